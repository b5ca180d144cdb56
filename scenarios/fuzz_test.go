package scenarios_test

import (
	"os"
	"path/filepath"
	"testing"

	"chatdojo/scenarios"
)

// FuzzParse feeds the parser arbitrary bytes: it must never panic, every diagnostic
// must point at a line of the file, and a file without errors must have what a session
// needs.
func FuzzParse(f *testing.F) {
	f.Add([]byte(example))
	for _, glob := range []string{"testdata/broken/*.md", "library/*.md"} {
		paths, _ := filepath.Glob(glob)
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("---\nid: [\n---\n## On"))
	f.Fuzz(func(t *testing.T, src []byte) {
		sc, diags := scenarios.Parse("fuzz.md", src)
		if sc == nil {
			t.Fatal("nil scenario")
		}
		lines := 1
		for _, c := range src {
			if c == '\n' {
				lines++
			}
		}
		for _, d := range diags {
			if d.Line < 1 || d.Line > lines+1 {
				t.Errorf("diagnostic at line %d of a %d-line file: %s", d.Line, lines, d)
			}
		}
		if !diags.HasErrors() {
			if sc.ID == "" || len(sc.Issues) == 0 || len(sc.Opening.Lines) == 0 || sc.Persona.WalkAway >= sc.Persona.Mood {
				t.Errorf("a scenario without errors is incomplete: %+v", sc)
			}
		}
	})
}
