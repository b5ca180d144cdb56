package moves

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"chatdojo/scenarios"
)

// testLex builds a one-move lexicon, so that the pattern language is tested apart from
// the real lexicons.
func testLex(opts opt, patterns ...string) *lex {
	l := &lex{macros: map[string]string{"feel": "{upset|frustrat*|let down}"}}
	l.flag(wNeg, "not", "can't")
	l.flag(wNum, "five")
	l.flag(wCond, "if")
	l.alias("im", "i'm")
	l.add(scenarios.MoveApologize, opts, patterns...)
	l.add(scenarios.MoveThank, 0, "thanks for the sorry") // puts "sorry" in the vocabulary
	return l
}

func TestPatternLanguage(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    opt
		pattern string
		text    string
		want    []string // evidence, nil for no match
	}{
		{"word", 0, "sorry", "Sorry!", []string{"Sorry"}},
		{"alternation", 0, "{so|very} sorry", "I'm very sorry", []string{"very sorry"}},
		{"alternation of phrases", 0, "{so very|truly} sorry", "so very sorry", []string{"so very sorry"}},
		{"optional", 0, "i'm {so}? sorry", "I’m sorry", []string{"I’m sorry"}},
		{"optional taken", 0, "i'm {so}? sorry", "im so sorry", []string{"im so sorry"}},
		{"prefix", 0, "frustrat*", "How frustrating.", []string{"frustrating"}},
		{"macro", 0, "you're <feel>", "You're frustrated and you're let down", []string{"You're frustrated", "you're let down"}},
		{"gap", 0, "sorry *2 delay", "sorry about the delay", []string{"sorry about the delay"}},
		{"gap too long", 0, "sorry *2 delay", "sorry about all the delay", nil},
		{"gap stops at a negator", 0, "sorry * delay", "sorry not delay", nil},
		{"gap stays in its clause", 0, "sorry * delay", "sorry, the delay", nil},
		{"any word", 0, "sorry _ delay", "sorry for delay", []string{"sorry for delay"}},
		{"number", 0, "<num> days", "in 3 days, or five days", []string{"3 days", "five days"}},
		{"time", 0, "at <time>", "at 8am", []string{"at 8am"}},
		{"name", 0, "i'm <name>", "I'm Sam", []string{"I'm Sam"}},
		{"name is no pattern word", 0, "i'm <name>", "I'm Sorry", nil},
		{"negated", 0, "sorry", "I'm not sorry", nil},
		{"negation in its own clause", 0, "sorry", "I can't, sorry", []string{"sorry"}},
		{"conditional negation", 0, "sorry", "if it's not sorry", []string{"sorry"}},
		{"no negation option", optNoNeg, "sorry", "I'm not sorry", []string{"sorry"}},
		{"clause start", optStart, "sorry", "oh, sorry", []string{"sorry"}},
		{"not clause start", optStart, "sorry", "very sorry", nil},
		{"clause end", optEnd, "sorry", "sorry, really", []string{"sorry"}},
		{"not clause end", optEnd, "sorry", "sorry really", nil},
		{"question only", optQuestion, "sorry", "sorry?", []string{"sorry"}},
		{"statement only", optStatement, "sorry", "sorry?", nil},
		{"no match across sentences", 0, "so sorry", "so. sorry", nil},
		{"evidence merges", 0, "{so sorry|sorry}", "so sorry", []string{"so sorry"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := compile(testLex(tc.opts, tc.pattern))
			if err != nil {
				t.Fatalf("compile(%q): %v", tc.pattern, err)
			}
			var got []string
			for _, m := range c.Classify(tc.text) {
				if m.Move == scenarios.MoveApologize {
					got = m.Evidence
				}
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%q on %q (-want +got):\n%s", tc.pattern, tc.text, diff)
			}
		})
	}
}

func TestPatternErrors(t *testing.T) {
	for _, tc := range []struct{ pattern, want string }{
		{"Sorry", "not lowercase"},
		{"{so|very sorry", "unclosed {"},
		{"<nothing>", "unknown macro"},
		{"sorry *", "gap must stand between words"},
		{"* sorry", "gap must stand between words"},
		{"sorry *20 now", "gap of 20"},
		{"'ll", "apostrophe"},
		{"re-send", "punctuation"},
		{"{a|b}?", "can match nothing"},
		{"sorry}", "unexpected"},
	} {
		t.Run(tc.pattern, func(t *testing.T) {
			_, err := compile(testLex(0, "fine", tc.pattern, "also fine"))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("compile(%q) error = %v, want one mentioning %q", tc.pattern, err, tc.want)
			}
		})
	}
	// Every bad pattern is reported at once, not one per run.
	_, err := compile(testLex(0, "Bad", "<missing>"))
	if err == nil || !strings.Contains(err.Error(), "Bad") || !strings.Contains(err.Error(), "missing") {
		t.Errorf("compile error = %v, want both bad patterns named", err)
	}
}
