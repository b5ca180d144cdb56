package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chatdojo/scenarios"
)

// runCmd runs the program with args and returns stdout, stderr and the exit status.
func runCmd(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(stdin), &out, &errb)
	code := exitCode(err, &errb)
	return out.String(), errb.String(), code
}

func TestLintLibrary(t *testing.T) {
	out, errOut, code := runCmd(t, "", "lint", "../../scenarios/library")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(out, ": warning:") == false && strings.Contains(out, "error") {
		t.Errorf("unexpected output: %s", out)
	}
	if !strings.Contains(errOut, "scenario(s) OK") {
		t.Errorf("stderr = %q", errOut)
	}
}

func TestLintBrokenExitsOne(t *testing.T) {
	out, errOut, code := runCmd(t, "", "lint", "../../scenarios/testdata/broken/out-of-range.md")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
	}
	want := "../../scenarios/testdata/broken/out-of-range.md:9: persona.mood: 150 is out of range, expected a whole number 0..100\n"
	if !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
	_, _, code = runCmd(t, "", "lint", "no/such/file.md")
	if code != 2 {
		t.Errorf("a missing path: exit %d, want 2", code)
	}
}

func TestLintChecksScriptsBesideScenario(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../../simulator/testdata/semantics.md")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "x.md"), src, 0o644)
	os.WriteFile(filepath.Join(dir, "x.good.txt"), []byte("+5q hello\n"), 0o644)
	out, _, code := runCmd(t, "", "lint", dir)
	if code != 1 || !strings.Contains(out, "x.good.txt:1: agent: bad delay \"+5q\"") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

func TestSimulateJSONIsByteIdentical(t *testing.T) {
	args := []string{"simulate", "--scenario", "double-charge", "--agent", "../../scenarios/library/double-charge.good.txt", "--seed", "3", "--json"}
	a, errA, code := runCmd(t, "", args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errA)
	}
	b, _, _ := runCmd(t, "", args...)
	if a != b {
		t.Fatal("two runs differ")
	}
	if strings.Count(a, "\n") != 1 {
		t.Errorf("want one JSON line, got %d lines", strings.Count(a, "\n"))
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(a), &got); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"id", "scenario", "outcome", "resolved", "final_mood", "messages", "events"} {
		if _, ok := got[key]; !ok {
			t.Errorf("no %q in the JSON", key)
		}
	}
	if got["id"] != "double-charge-3" || got["outcome"] != "resolved" {
		t.Errorf("id %v outcome %v", got["id"], got["outcome"])
	}
	var tr scenarios.Transcript
	json.Unmarshal([]byte(a), &tr)
	if tr.Messages[0].At.Format(time.RFC3339) != "2026-01-01T09:00:00Z" || !strings.Contains(a, `"at":"2026-01-01T09:00:00.000Z"`) {
		t.Errorf("times are not UTC with milliseconds from the default start: %v", tr.Messages[0].At)
	}
	for _, m := range tr.Messages {
		if m.Role == scenarios.RoleCustomer && m.Source != scenarios.SourceScript {
			t.Errorf("customer message without source script: %+v", m)
		}
	}
	c, _, _ := runCmd(t, "", "simulate", "--scenario", "double-charge", "--agent", "../../scenarios/library/double-charge.good.txt", "--seed", "3", "--json", "--start", "2026-03-01T10:00:00+02:00")
	if !strings.Contains(c, `"started_at":"2026-03-01T08:00:00.000Z"`) {
		t.Errorf("--start not applied in UTC: %.200s", c)
	}
}

func TestSimulateText(t *testing.T) {
	out, errOut, code := runCmd(t, "", "simulate", "--scenario", "double-charge", "--agent", "../../scenarios/library/double-charge.poor.txt")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"[mood ", "(moves: ", "Outcome: ", "Final mood"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Outcome: resolved") {
		t.Errorf("the poor script resolved:\n%s", out)
	}
}

func TestSimulateScriptFromStdinAndIgnoredLines(t *testing.T) {
	script := "+10s Whatever, calm down, it's not a big deal.\n+10s It's your fault, you must have clicked twice.\n+10s Read the FAQ.\n+10s Rules are rules.\n+10s Calm down.\n+10s Not my problem.\n+10s Whatever.\n+10s Bye.\n"
	out, errOut, code := runCmd(t, script, "simulate", "--scenario", "double-charge", "--agent", "-", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, `"outcome":"walked_away"`) {
		t.Fatalf("want walked_away: %s", out)
	}
	if !strings.Contains(errOut, "agent line(s) ignored") {
		t.Errorf("no warning about ignored lines: %q", errOut)
	}
}

func TestSimulateBadArguments(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no flags", []string{"simulate"}, "needs --scenario and --agent"},
		{"unknown scenario", []string{"simulate", "--scenario", "nope", "--agent", "x"}, `no scenario "nope"`},
		{"bad start", []string{"simulate", "--scenario", "double-charge", "--agent", "x", "--start", "yesterday"}, "is not an RFC 3339 time"},
		{"missing script", []string{"simulate", "--scenario", "double-charge", "--agent", "/nonexistent.txt"}, "read agent script"},
		{"broken scenario", []string{"simulate", "--scenario", "../../scenarios/testdata/broken/cycle.md", "--agent", "x"}, "has errors"},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runCmd(t, "", tt.args...)
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tt.want)
			}
		})
	}
}

func TestHelpEverywhere(t *testing.T) {
	for _, cmd := range []string{"lint", "simulate", "practice"} {
		_, errOut, code := runCmd(t, "", cmd, "--help")
		if code != 0 || !strings.Contains(errOut, "Usage: chatdojo "+cmd) {
			t.Errorf("%s --help: exit %d, %q", cmd, code, errOut)
		}
	}
	out, _, code := runCmd(t, "", "--help")
	if code != 0 || !strings.Contains(out, "simulate") {
		t.Errorf("--help: exit %d, %q", code, out)
	}
}

// TestPracticeResolves plays the good reference script through the terminal practice
// loop, without typing delays.
func TestPracticeResolves(t *testing.T) {
	script, err := os.ReadFile("../../scenarios/library/double-charge.good.txt")
	if err != nil {
		t.Fatal(err)
	}
	var in strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(string(script)), "\n") {
		if strings.HasPrefix(l, "+") {
			_, l, _ = strings.Cut(l, " ")
		}
		in.WriteString(l + "\n")
	}
	in.WriteString("/status\n")
	var out, errb bytes.Buffer
	e := &env{getenv: func(string) string { return "" }, stdin: strings.NewReader(in.String()), stdout: &out, stderr: &errb, now: time.Now, typing: 0, sleep: sleepCtx}
	if err := e.run(context.Background(), []string{"practice", "--scenario", "double-charge", "--seed", "5"}); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	if !strings.Contains(out.String(), "Session over: resolved") {
		t.Errorf("not resolved:\n%s", out.String())
	}
}

// TestPracticeChasesWhenSilent: a scenario with a short patience chases a trainee who
// types nothing, then the trainee ends the session.
func TestPracticeChasesWhenSilent(t *testing.T) {
	dir := t.TempDir()
	src := "---\nid: quick\ntitle: Quick\ndifficulty: 1\npersona:\n  name: Quinn\n  mood: 50\n  patience: 300ms\nissues:\n  - id: a\n    summary: A\n    needs: [offer_solution]\n---\n## Opening\nHi?\n## On silence\nmood: -1\n- Still there?\n## On other\n- OK.\n"
	path := filepath.Join(dir, "quick.md")
	os.WriteFile(path, []byte(src), 0o644)
	pr, pw := io.Pipe()
	var out, errb syncBuffer
	e := &env{getenv: func(string) string { return "" }, stdin: pr, stdout: &out, stderr: &errb, now: time.Now, typing: 0.01, sleep: sleepCtx}
	done := make(chan error, 1)
	go func() { done <- e.run(context.Background(), []string{"practice", "--scenario", path, "--seed", "1"}) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "Quinn: Still there?") {
		if time.Now().After(deadline) {
			t.Fatalf("no chase line:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	io.WriteString(pw, "/end\n")
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if !strings.Contains(out.String(), "Session over: ended unresolved") {
		t.Errorf("output:\n%s", out.String())
	}
}
