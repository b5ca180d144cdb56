package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"chatdojo/internal/testserver"
)

// TestRun drives a few sessions against the real binary on SQLite and reads the report:
// no errors, nothing lost, and messages acknowledged.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the chatdojo binary and runs for a few seconds")
	}
	db := filepath.Join(t.TempDir(), "l.db")
	srv := testserver.Start(t, db, "--typing", "0")
	tok := testserver.Token(t, db, "load@example.com", "trainee")

	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{
		"--url", srv.URL, "--token", tok,
		"--sessions", "5", "--interval", "200ms", "--duration", "2s", "--ramp", "200ms",
	}, &stdout, &stderr)
	t.Logf("report:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	rep := stdout.String()
	if got := reportNumber(t, rep, "errors"); got != 0 {
		t.Errorf("errors = %d, want 0", got)
	}
	if got := reportNumber(t, rep, "lost"); got != 0 {
		t.Errorf("lost = %d, want 0", got)
	}
	acked := reportNumber(t, rep, "acknowledged")
	if acked == 0 {
		t.Errorf("acknowledged = 0, want more")
	}
	if sent := reportNumber(t, rep, "sent"); sent < acked {
		t.Errorf("sent = %d < acknowledged = %d", sent, acked)
	}
	if !strings.Contains(rep, "result            PASS") {
		t.Errorf("the report does not say PASS")
	}
}

// TestRunCountsErrors checks that a wrong token fails the run with a clear error rather
// than a report of zeros.
func TestRunCountsErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the chatdojo binary")
	}
	db := filepath.Join(t.TempDir(), "l.db")
	srv := testserver.Start(t, db, "--typing", "0")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"--url", srv.URL, "--token", "cdj_wrong", "--sessions", "2", "--duration", "1s"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("run with a wrong token: %v, want an error with status 401", err)
	}

	// A named scenario skips the listing: every start then fails with 401.
	stdout.Reset()
	stderr.Reset()
	err = run(context.Background(), []string{"--url", srv.URL, "--token", "cdj_wrong", "--scenario", "double-charge",
		"--sessions", "2", "--interval", "200ms", "--duration", "1s", "--ramp", "0s"}, &stdout, &stderr)
	if !errors.Is(err, errReported) {
		t.Fatalf("run: %v, want errReported\n%s", err, stderr.String())
	}
	if got := reportNumber(t, stdout.String(), "errors"); got == 0 {
		t.Errorf("errors = 0, want the failed starts counted\n%s", stdout.String())
	}
	if !strings.Contains(stdout.String(), "status 401") {
		t.Errorf("the report does not name the status 401:\n%s", stdout.String())
	}
}

func TestParseFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"no url", []string{"--token", "x"}},
		{"no token", []string{"--url", "http://x"}},
		{"no sessions", []string{"--url", "http://x", "--token", "x", "--sessions", "0"}},
		{"argument", []string{"--url", "http://x", "--token", "x", "extra"}},
		{"negative ramp", []string{"--url", "http://x", "--token", "x", "--ramp", "-1s"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if err := run(context.Background(), tc.args, &stderr, &stderr); !errors.Is(err, errUsage) {
				t.Errorf("run(%q) = %v, want a usage error", tc.args, err)
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	var sorted []time.Duration
	for i := 1; i <= 100; i++ {
		sorted = append(sorted, time.Duration(i))
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 50}, {0.9, 90}, {0.99, 99}, {1, 100}} {
		if got := percentile(sorted, tc.q); got != tc.want {
			t.Errorf("percentile(1..100, %v) = %d, want %d", tc.q, got, tc.want)
		}
	}
	if got := percentile(nil, 0.5); got != 0 {
		t.Errorf("percentile(nil) = %d, want 0", got)
	}
}

// reportNumber reads the first number of a report line "name  value…".
func reportNumber(t *testing.T, report, name string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `\s+(\d+)`).FindStringSubmatch(report)
	if m == nil {
		t.Fatalf("no %q line in the report:\n%s", name, report)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return n
}
