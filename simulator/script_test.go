package simulator_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"chatdojo/simulator"
)

func TestParseScript(t *testing.T) {
	src := "\ufeff+45s Hi, I'm Sam.\n\nNo prefix here.\n+1m30s   Padded.\n+1 for that idea\n+4x bad\n+10s\n"
	got, diags := simulator.ParseScript("a.txt", strings.NewReader(src))
	want := []simulator.ScriptLine{
		{Delay: 45 * time.Second, Text: "Hi, I'm Sam.", Line: 1},
		{Delay: simulator.DefaultDelay, Text: "No prefix here.", Line: 3},
		{Delay: 90 * time.Second, Text: "Padded.", Line: 4},
	}
	if diff := cmp.Diff(want, got[:3]); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	var msgs []string
	for _, d := range diags {
		msgs = append(msgs, d.String())
	}
	wantDiags := []string{
		`a.txt:5: agent: bad delay "+1", expected a delay like +45s or +2m before the message`,
		`a.txt:6: agent: bad delay "+4x", expected a delay like +45s or +2m before the message`,
		`a.txt:7: agent: a delay with no message, expected "+45s Your message"`,
	}
	if diff := cmp.Diff(wantDiags, msgs); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestParseScriptLongLineAndBadUTF8(t *testing.T) {
	long := strings.Repeat("a", 70<<10)
	_, diags := simulator.ParseScript("b.txt", strings.NewReader("ok\n\xff\xfe\n"+long+"\n"))
	if len(diags) != 2 || diags[0].Line != 2 || !strings.Contains(diags[1].Message, "longer than") {
		t.Fatalf("diagnostics = %v", diags)
	}
}

func FuzzParseScript(f *testing.F) {
	f.Add("+45s Hi\nplain\n+2m\n+1 x\n")
	f.Fuzz(func(t *testing.T, src string) {
		lines, _ := simulator.ParseScript("f.txt", strings.NewReader(src))
		for _, l := range lines {
			if l.Text == "" || l.Delay < 0 || l.Line < 1 {
				t.Errorf("bad line %+v", l)
			}
		}
	})
}
