package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"chatdojo/grading"
)

// gradedFile is a hand-written file of graded sessions for four people; its report is
// the golden file beside it.
const gradedFile = "../../grading/testdata/readiness/graded.jsonl"

func readGolden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../../grading/testdata/readiness/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestReportFormats(t *testing.T) {
	input, err := os.ReadFile(gradedFile)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		stdin string
		args  []string
		check func(t *testing.T, out string)
	}{
		{"markdown by default", "", []string{"report", gradedFile}, func(t *testing.T, out string) {
			if diff := cmp.Diff(readGolden(t, "report.md"), out); diff != "" {
				t.Errorf("not the golden report (-want +got):\n%s", diff)
			}
		}},
		{"md from standard input", string(input), []string{"report", "--format", "md", "-"}, func(t *testing.T, out string) {
			if out != readGolden(t, "report.md") {
				t.Error("not the golden report")
			}
		}},
		{"json, flags after the file", "", []string{"report", gradedFile, "--format", "json"}, func(t *testing.T, out string) {
			if diff := cmp.Diff(readGolden(t, "report.json"), out); diff != "" {
				t.Errorf("not the golden report (-want +got):\n%s", diff)
			}
		}},
		{"html", string(input), []string{"report", "--format=html"}, func(t *testing.T, out string) {
			for _, want := range []string{"<!DOCTYPE html>", "<title>Readiness report</title>", "<h2>amara: ready</h2>", "<h2>ben: not ready</h2>", "<table>"} {
				if !strings.Contains(out, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCmd(t, tc.stdin, tc.args...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			tc.check(t, out)
		})
	}
}

// reportJSON runs report --format json with args and decodes the report.
func reportJSON(t *testing.T, stdin string, args ...string) (grading.ReadinessReport, string, int) {
	t.Helper()
	out, errOut, code := runCmd(t, stdin, append([]string{"report", "--format", "json"}, args...)...)
	var rep grading.ReadinessReport
	if code != 2 {
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("stdout is not a report: %v\n%s", err, out)
		}
	}
	return rep, errOut, code
}

func TestReportUserAndThresholds(t *testing.T) {
	rep, _, code := reportJSON(t, "", gradedFile, "--user", "ben")
	if code != 0 || len(rep.Users) != 1 || rep.Users[0].User != "ben" || rep.Users[0].Verdict != grading.VerdictNotReady {
		t.Fatalf("--user ben: exit %d, %+v", code, rep.Users)
	}
	// Over his latest 3 sessions, ben clears 55 everywhere but has no multi-issue
	// scenario; without that criterion he is ready.
	rep, _, _ = reportJSON(t, "", gradedFile, "--user", "ben", "--threshold", "55", "--window", "3")
	if got := rep.Users[0].Unchecked; rep.Users[0].Verdict != grading.VerdictNotReady || len(got) != 0 {
		t.Errorf("window 3, threshold 55: %s, unchecked %v, reasons %q", rep.Users[0].Verdict, got, rep.Users[0].Reasons)
	}
	rep, _, _ = reportJSON(t, "", gradedFile, "--user", "ben", "--threshold", "55", "--window", "3", "--require-multi-issue=false")
	if u := rep.Users[0]; u.Verdict != grading.VerdictReady || rep.Window != 3 || u.Skills[0].Threshold != 55 {
		t.Errorf("without the multi-issue criterion: %s, window %d, reasons %q", u.Verdict, rep.Window, u.Reasons)
	}
	rep, _, _ = reportJSON(t, "", gradedFile, "--user", "amara", "--threshold-timing", "95")
	if u := rep.Users[0]; u.Verdict != grading.VerdictNotReady || u.Skills[2].Threshold != 95 || u.Skills[0].Threshold != 70 {
		t.Errorf("--threshold-timing 95: %s, skills %+v", u.Verdict, u.Skills)
	}
	rep, _, code = reportJSON(t, "", gradedFile, "--user", "nobody", "--user", "(unknown)")
	if code != 0 || len(rep.Users) != 2 || rep.Users[0].Graded != 0 || rep.Users[1].Graded != 1 {
		t.Errorf("--user nobody --user (unknown): exit %d, %+v", code, rep.Users)
	}
}

func TestReportMalformedLines(t *testing.T) {
	good, err := os.ReadFile(gradedFile)
	if err != nil {
		t.Fatal(err)
	}
	first := strings.SplitN(string(good), "\n", 2)[0]
	input := strings.Join([]string{
		first,
		`{"id": "x", "scores": {`,
		`{"id": "y", "user": "amara", "scores": {"empathy": 140}}`,
		`{"user": "amara", "kpis": {}}`,
		`{"id": "z", "user": "amara"}`,
		`[1, 2]`,
		``,
		`null`,
		`{"id": "w", "scores": {"empathy": "high"}}`,
		`{"id": "v", "scores": {}, "kpis": {"csat": 0}}`,
		`{"id": "u", "scores": {}, "started_at": "yesterday"}`,
		strings.Replace(first, `"amara-01"`, `"amara-99"`, 1),
	}, "\n")
	out, errOut, code := runCmd(t, input, "report", "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, errOut)
	}
	for _, want := range []string{
		"line 2: not valid JSON",
		"line 3: scores.empathy: 140 is out of range, expected 0..100",
		`line 4: no "scores" object, expected one line of chatdojo grade output`,
		`line 5: session "z" has no "scores" object`,
		"line 6: a JSON array, expected one line of chatdojo grade output (an object)",
		"line 8: null, expected",
		"line 9: scores.empathy: string is the wrong type, expected int",
		"line 10: kpis.csat: 0 is out of range, expected 1..5",
		"line 11: ",
		"9 line(s) skipped, 2 read",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "line 7:") || strings.Contains(errOut, "line 12:") || strings.Contains(errOut, "line 1:") {
		t.Errorf("a good or blank line was reported:\n%s", errOut)
	}
	var rep grading.ReadinessReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("the report of the good lines is missing: %v\n%s", err, out)
	}
	if len(rep.Users) != 1 || rep.Users[0].Graded != 2 {
		t.Errorf("users %+v, want amara with 2 sessions", rep.Users)
	}
}

func TestReportEmptyAndUnreadable(t *testing.T) {
	for _, input := range []string{"", "\n\n", "\uFEFF\n"} {
		out, errOut, code := runCmd(t, input, "report")
		if code != 0 || out != "# Readiness report\n\nNo graded sessions.\n" || !strings.Contains(errOut, "no graded sessions") {
			t.Errorf("input %q: exit %d, out %q, stderr %q", input, code, out, errOut)
		}
	}
	rep, _, code := reportJSON(t, "", "-")
	if code != 0 || rep.Users == nil || len(rep.Users) != 0 {
		t.Errorf("empty JSON report: exit %d, %+v", code, rep)
	}

	out, errOut, code := runCmd(t, "", "report", "no/such/graded.jsonl")
	if code != 2 || out != "" || !strings.Contains(errOut, "read no/such/graded.jsonl") {
		t.Errorf("a missing file: exit %d, out %q, stderr %q", code, out, errOut)
	}
	var stdout, stderr bytes.Buffer
	in := io.MultiReader(strings.NewReader(`{"id": "a", "scores": {}}`+"\n"), failingReader{})
	code = exitCode(run(context.Background(), []string{"report"}, func(string) string { return "" }, in, &stdout, &stderr), &stderr)
	if code != 2 || stdout.Len() != 0 || !strings.Contains(stderr.String(), "read standard input: line 2: disk on fire") {
		t.Errorf("a read error: exit %d, out %q, stderr %q", code, stdout.String(), stderr.String())
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestReportLongLine(t *testing.T) {
	text := strings.Repeat("I understand how frustrating this is. ", 40_000) // 1.5 MB
	line, err := json.Marshal(map[string]any{
		"id": "long", "scenario": "double-charge", "user": "amara", "started_at": "2026-01-05T09:00:00Z",
		"scores": map[string]any{"empathy": 80, "de_escalation": 80, "timing": 80, "resolution": 100, "overall": 84},
		"kpis":   map[string]any{"csat": 5},
		"turns":  []map[string]any{{"index": 1, "text": text}},
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, errOut, code := reportJSON(t, string(line)+"\r\n")
	if code != 0 || len(rep.Users) != 1 || rep.Users[0].Graded != 1 {
		t.Errorf("exit %d, stderr %q, users %+v", code, errOut, rep.Users)
	}
}

func TestReportBadArguments(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--format", "pdf"}, `--format "pdf" is not a format, expected md, html or json`},
		{[]string{"--threshold", "150"}, "the empathy threshold 150 is out of range, expected 0..100"},
		{[]string{"--window", "0"}, "the window 0 is too small"},
		{[]string{"--csat-good", "95"}, "the exceptional CSAT target 90 % is below the good one 95 %"},
		{[]string{"--threshold", "high"}, `invalid value "high" for flag -threshold`},
		{[]string{"a.jsonl", "b.jsonl"}, "report reads one file, got 2"},
		{[]string{"--db", "chatdojo.db", "graded.jsonl"}, "give either --db or a file of graded sessions, not both"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, errOut, code := runCmd(t, "", append([]string{"report"}, tc.args...)...)
			if code != 2 || out != "" || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, out %q, stderr %q, want exit 2 and %q", code, out, errOut, tc.want)
			}
		})
	}
}

func TestReportHelp(t *testing.T) {
	out, errOut, code := runCmd(t, "", "report", "--help")
	if code != 0 || out != "" {
		t.Fatalf("exit %d, out %q", code, out)
	}
	for _, want := range []string{"Usage: chatdojo report", "-user U", "-format", "-threshold N", "-window N", "-db", "web app's database", "docs/readiness.md"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("help lacks %q:\n%s", want, errOut)
		}
	}
	out, _, _ = runCmd(t, "", "--help")
	if !strings.Contains(out, "report ") {
		t.Errorf("the command list lacks report:\n%s", out)
	}
}
