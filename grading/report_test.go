package grading_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"chatdojo/grading"
	"chatdojo/internal/golden"
	"chatdojo/scenarios/library"
)

// readinessGolden compares got with a golden file under testdata/readiness, rewriting it
// with -update.
func readinessGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "readiness", name)
	if golden.Updating() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update once): %v", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

// libraryReadiness builds the report of testdata/readiness/graded.jsonl: four people
// (one without a name) on the built-in library, with a regrade and unknown scenarios.
func libraryReadiness(t *testing.T) grading.ReadinessReport {
	t.Helper()
	cat, err := library.Load()
	if err != nil {
		t.Fatal(err)
	}
	grades := readGradedFile(t, "testdata/readiness/graded.jsonl")
	return buildReadiness(t, grades, cat, grading.DefaultReadinessConfig())
}

func TestReadinessGolden(t *testing.T) {
	rep := libraryReadiness(t)
	var md, js bytes.Buffer
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	readinessGolden(t, "report.md", md.Bytes())
	readinessGolden(t, "report.json", js.Bytes())

	// The figures the golden files show, checked on their own.
	verdicts := map[string]grading.Verdict{}
	for _, u := range rep.Users {
		verdicts[u.User] = u.Verdict
	}
	want := map[string]grading.Verdict{"amara": "ready", "ben": "not_ready", "chloe": "not_ready", "(unknown)": "not_ready"}
	if diff := cmp.Diff(want, verdicts); diff != "" {
		t.Errorf("verdicts (-want +got):\n%s", diff)
	}
	var back grading.ReadinessReport
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rep, back); diff != "" {
		t.Errorf("the JSON does not read back (-want +got):\n%s", diff)
	}
}

func TestReadinessJSONListsAreArrays(t *testing.T) {
	var empty bytes.Buffer
	rep := buildReadiness(t, nil, nil, grading.DefaultReadinessConfig())
	if err := rep.WriteJSON(&empty); err != nil {
		t.Fatal(err)
	}
	if got := empty.String(); got != "{\n  \"window\": 5,\n  \"users\": []\n}\n" {
		t.Errorf("empty report: %q", got)
	}
	cfg := grading.DefaultReadinessConfig()
	cfg.Users = []string{"nobody"}
	var js bytes.Buffer
	if err := buildReadiness(t, nil, nil, cfg).WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(js.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	u := m["users"].([]any)[0].(map[string]any)
	for _, key := range []string{"reasons", "unchecked", "criteria", "skills", "strengths", "kpis", "sessions"} {
		if _, ok := u[key].([]any); !ok {
			t.Errorf("%s is %v, want an array", key, u[key])
		}
	}
	cv := u["coverage"].(map[string]any)
	for _, key := range []string{"scenarios", "unknown", "frustrated", "multi_issue"} {
		if _, ok := cv[key].([]any); !ok {
			t.Errorf("coverage.%s is %v, want an array", key, cv[key])
		}
	}
}

// TestReadinessHTMLEscapes feeds names and ids that try to add HTML or Markdown: the
// page shows them as text.
func TestReadinessHTMLEscapes(t *testing.T) {
	evil := []string{
		`<script>alert("user")</script>`,
		`<img src=x onerror=alert(1)>`,
		`[click](javascript:alert(1))`,
		"**bold** | cell\n# heading",
		`&lt;b&gt;entity`,
	}
	var grades []grading.Grade
	for i, s := range evil {
		g := rdSession(s, s, s, i+1, 60)
		grades = append(grades, g)
	}
	rep := buildReadiness(t, grades, nil, grading.DefaultReadinessConfig())
	var page bytes.Buffer
	if err := rep.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	got := page.String()
	for _, bad := range []string{"<script", "<img", "<a ", "<strong>bold", "<h1>heading", "<b>", "raw HTML omitted"} {
		if strings.Contains(got, bad) {
			t.Errorf("the page contains %q:\n%s", bad, got)
		}
	}
	for _, want := range []string{
		"&lt;script&gt;alert(&quot;user&quot;)&lt;/script&gt;",
		"&lt;img src=x onerror=alert(1)&gt;",
		"[click](javascript:alert(1))",
		"**bold** | cell # heading",
		"&amp;lt;b&amp;gt;entity",
		"<title>Readiness report</title>",
		"<table>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if !strings.HasPrefix(got, "<!DOCTYPE html>") || !strings.HasSuffix(got, "</html>\n") {
		t.Errorf("not a standalone page:\n%s", got)
	}

	one := buildReadiness(t, grades[:1], nil, grading.DefaultReadinessConfig())
	page.Reset()
	if err := one.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	if want := "<title>Readiness report: &lt;script&gt;alert(&#34;user&#34;)&lt;/script&gt;</title>"; !strings.Contains(page.String(), want) {
		t.Errorf("title not escaped, want %q in:\n%.400s", want, page.String())
	}
}

func TestReadinessHTMLRendersTheMarkdown(t *testing.T) {
	rep := libraryReadiness(t)
	var page bytes.Buffer
	if err := rep.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	got := page.String()
	for _, want := range []string{"<h1>Readiness report</h1>", "<h2>amara: ready</h2>", "<h3>Skills</h3>", "<th>skill</th>", "<td>de-escalation</td>"} {
		if !strings.Contains(got, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

func TestReadinessMarkdownEmpty(t *testing.T) {
	var md bytes.Buffer
	if err := buildReadiness(t, nil, nil, grading.DefaultReadinessConfig()).WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if got, want := md.String(), "# Readiness report\n\nNo graded sessions.\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
