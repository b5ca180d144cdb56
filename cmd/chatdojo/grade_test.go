package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gradeLines grades input through the CLI and returns the decoded result lines.
func gradeLines(t *testing.T, input string, args ...string) ([]map[string]any, string, int) {
	t.Helper()
	out, errOut, code := runCmd(t, input, append([]string{"grade"}, args...)...)
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l == "" {
			continue
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("output line is not JSON: %v: %q", err, l)
		}
		lines = append(lines, v)
	}
	return lines, errOut, code
}

func TestGradeContract(t *testing.T) {
	in := `{"id": "c1", "scenario": "double-charge", "user": "sam", "started_at": "2026-03-01T10:00:00+01:00", "messages": [{"role": "customer", "text": "I was charged twice!", "at": "2026-03-01T10:00:00+01:00"}, {"role": "agent", "text": "I'm so sorry about that. Could you confirm the email on the account?", "at": "2026-03-01T10:00:30+01:00"}]}
{"id": "c2", "messages": [{"role": "customer", "text": "Hello?"}]}
`
	lines, errOut, code := gradeLines(t, in)
	if code != 0 || len(lines) != 2 {
		t.Fatalf("exit %d, %d lines, stderr %q", code, len(lines), errOut)
	}
	c1 := lines[0]
	for _, key := range []string{"id", "scenario", "user", "started_at", "judge", "scores", "kpis", "turns"} {
		if _, ok := c1[key]; !ok {
			t.Errorf("no %q in %v", key, c1)
		}
	}
	if c1["started_at"] != "2026-03-01T09:00:00.000Z" || c1["judge"] != "rules" || c1["user"] != "sam" {
		t.Errorf("passed-through fields: %v %v %v", c1["started_at"], c1["judge"], c1["user"])
	}
	turn := c1["turns"].([]any)[0].(map[string]any)
	for _, key := range []string{"index", "text", "moves", "evidence", "empathy", "scores", "feedback"} {
		if _, ok := turn[key]; !ok {
			t.Errorf("turn has no %q: %v", key, turn)
		}
	}
	if turn["index"].(float64) != 1 {
		t.Errorf("turn index %v, want 1 (the message's position)", turn["index"])
	}
	if c1["kpis"].(map[string]any)["first_response_s"].(float64) != 30 {
		t.Errorf("first response %v", c1["kpis"])
	}
	// c2 has no agent turn: every score null, turns an empty list.
	c2 := lines[1]
	for k, v := range c2["scores"].(map[string]any) {
		if v != nil {
			t.Errorf("c2 score %s = %v, want null", k, v)
		}
	}
	if turns, ok := c2["turns"].([]any); !ok || len(turns) != 0 {
		t.Errorf("c2 turns = %#v, want []", c2["turns"])
	}
}

func TestGradeMalformedInput(t *testing.T) {
	big := strings.Repeat("word ", 1<<20/5)
	in := strings.Join([]string{
		`{"id": "ok1", "messages": [{"role": "customer", "text": "hi"}, {"role": "agent", "text": "Hello! How can I help?"}]}`,
		`{"id": "broken", "messages": [`,
		`not json at all`,
		`{"messages": []}`,
		`{"id": "badrole", "messages": [{"role": "bot", "text": "x"}]}`,
		`{"id": "badtime", "messages": [{"role": "agent", "text": "x", "at": "yesterday"}]}`,
		`{"id": "big", "messages": [{"role": "customer", "text": "help"}, {"role": "agent", "text": "` + big + `"}]}`,
		"{\"id\": \"latin1\", \"messages\": [{\"role\": \"agent\", \"text\": \"caf\xe9 \xff ok\"}]}",
		``,
		`{"id": "ok2", "messages": []}`,
	}, "\n")
	lines, errOut, code := gradeLines(t, in)
	if code != 1 {
		t.Errorf("exit %d, want 1 (some lines skipped)", code)
	}
	var ids []string
	for _, l := range lines {
		ids = append(ids, l["id"].(string))
	}
	if got := strings.Join(ids, ","); got != "ok1,big,latin1,ok2" {
		t.Errorf("graded %s, want ok1,big,latin1,ok2", got)
	}
	for _, want := range []string{
		"line 2: not valid JSON",
		"line 3: not valid JSON",
		`line 4: no "id"`,
		`line 5: messages[0].role: "bot" is not a role, expected customer or agent`,
		`line 6: `,
		"line 8: warning: not valid UTF-8",
		"5 line(s) skipped, 4 graded",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	// --strict stops at the first bad line.
	lines, errOut, code = gradeLines(t, in, "--strict")
	if code != 1 || len(lines) != 1 || !strings.Contains(errOut, "line 2:") || strings.Contains(errOut, "line 3:") {
		t.Errorf("--strict: exit %d, %d lines, stderr %q", code, len(lines), errOut)
	}
}

func TestGradeEmptyAndUnreadable(t *testing.T) {
	out, errOut, code := runCmd(t, "", "grade")
	if code != 0 || out != "" {
		t.Errorf("empty input: exit %d, out %q, err %q", code, out, errOut)
	}
	_, errOut, code = runCmd(t, "", "grade", "/no/such/file.jsonl")
	if code != 2 || !strings.Contains(errOut, "read /no/such/file.jsonl") {
		t.Errorf("missing file: exit %d, %q", code, errOut)
	}
	// Without an Ollama host the rule judge grades alone, and says so.
	_, errOut, code = runCmd(t, "", "grade", "--judge", "ollama:llama3.2")
	if code != 0 || !strings.Contains(errOut, "grading with the rule judge alone") {
		t.Errorf("--judge ollama without a host: exit %d, %q", code, errOut)
	}
	_, errOut, code = runCmd(t, "", "grade", "--judge", "gpt")
	if code != 2 || !strings.Contains(errOut, "not a judge") {
		t.Errorf("--judge gpt: exit %d, %q", code, errOut)
	}
}

// TestSimulateOutputIsGradeInput: chatdojo simulate --json output is valid grade input,
// and the grade carries the simulator's mood and issues.
func TestSimulateOutputIsGradeInput(t *testing.T) {
	sim, errOut, code := runCmd(t, "", "simulate", "--scenario", "double-charge", "--agent", "../../scenarios/library/double-charge.good.txt", "--json")
	if code != 0 {
		t.Fatal(errOut)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "sim.jsonl")
	os.WriteFile(path, []byte(sim), 0o644)
	lines, errOut, code := gradeLines(t, "", path, "--strict")
	if code != 0 || len(lines) != 1 {
		t.Fatalf("exit %d, %d lines: %s", code, len(lines), errOut)
	}
	g := lines[0]
	if g["mood_source"] != "simulator" || g["scores"].(map[string]any)["resolution"].(float64) != 100 {
		t.Errorf("mood source %v, scores %v", g["mood_source"], g["scores"])
	}
}

func TestGradeTable(t *testing.T) {
	var in bytes.Buffer
	for i := 0; i < 3; i++ {
		in.WriteString(`{"id": "c` + string(rune('1'+i)) + `", "messages": [{"role": "customer", "text": "My parcel is late."}, {"role": "agent", "text": "I'm sorry. I've rebooked the delivery for tomorrow."}]}` + "\n")
	}
	out, errOut, code := runCmd(t, in.String(), "grade", "--format", "table")
	if code != 0 {
		t.Fatal(errOut)
	}
	if !strings.Contains(out, "empathy") || !strings.Contains(out, "average of 3") || strings.Count(out, "\n") != 5 {
		t.Errorf("table:\n%s", out)
	}
}

func TestGradeStreamsManyConversations(t *testing.T) {
	var in bytes.Buffer
	for i := 0; i < 2000; i++ {
		in.WriteString(`{"id": "c", "messages": [{"role": "customer", "text": "Where is my refund?!"}, {"role": "agent", "text": "Let me check. I've found it: the refund went out today and you'll see it within 3 days."}]}` + "\n")
	}
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"grade"}, func(string) string { return "" }, &in, &out, &errb)
	if err != nil || strings.Count(out.String(), "\n") != 2000 {
		t.Errorf("err %v, %d lines, stderr %q", err, strings.Count(out.String(), "\n"), errb.String())
	}
}
