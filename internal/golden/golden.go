// Package golden compares test output with a file under testdata, and rewrites the file
// when the test runs with -update.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// update is registered once for every test binary that compares golden files.
var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Updating reports whether the test runs with -update.
func Updating() bool {
	return *update
}

// Check compares got with the golden file at path; with -update it writes got there
// first. A difference fails the test with a diff.
func Check(tb testing.TB, path string, got []byte) {
	tb.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read golden file (run go test -update once): %v", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		tb.Errorf("output differs from %s (-want +got):\n%s", path, diff)
	}
}
