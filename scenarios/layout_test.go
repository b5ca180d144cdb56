package scenarios_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsPointOneWay keeps the layout of STYLE.md: scenarios ← grading/moves ←
// simulator; grading reads transcripts and never imports the simulator; none of the
// domain packages touches HTTP, the database, Ollama or a logger.
func TestImportsPointOneWay(t *testing.T) {
	forbiddenEverywhere := []string{"net/http", "log", "log/slog", "github.com/uptrace/bun", "github.com/ollama/ollama"}
	rules := map[string][]string{ // package dir -> chatdojo packages it may import
		"scenarios":         {},
		"scenarios/library": {"chatdojo/scenarios"},
		"internal/asciirun": {},
		"grading/moves":     {"chatdojo/scenarios", "chatdojo/internal/asciirun"},
		"simulator":         {"chatdojo/scenarios", "chatdojo/grading/moves"},
		"grading":           {"chatdojo/scenarios", "chatdojo/grading/moves", "chatdojo/internal/asciirun"},
	}
	for dir, allowed := range rules {
		files, err := filepath.Glob(filepath.Join("..", dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no Go files (%v)", dir, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			af, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range af.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				for _, bad := range forbiddenEverywhere {
					if path == bad || strings.HasPrefix(path, bad+"/") {
						t.Errorf("%s imports %s; domain packages return values and errors", f, path)
					}
				}
				if strings.HasPrefix(path, "chatdojo/") && !contains(allowed, path) {
					t.Errorf("%s imports %s; %s may import only %v", f, path, dir, allowed)
				}
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
