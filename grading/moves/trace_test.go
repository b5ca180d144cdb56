package moves

import (
	"flag"
	"fmt"
	"strings"
	"testing"
)

// traceText prints every pattern hit for one message, live or dead, to debug the lexicon:
//
//	go test -v -run TestTrace ./grading/moves -moves.trace "I'll check."
var traceText = flag.String("moves.trace", "", "print the lexicon hits for this text")

// TestTrace prints the trace of -moves.trace, or checks the trace of a known message.
func TestTrace(t *testing.T) {
	if *traceText != "" {
		t.Log("\n" + strings.Join(trace(classifier(), *traceText), "\n"))
		return
	}
	got := strings.Join(trace(classifier(), "I'm not sorry. Let me check."), "\n")
	for _, want := range []string{`dead apologize`, `live hold`, `"Let me check"`} {
		if !strings.Contains(got, want) {
			t.Errorf("trace lacks %q:\n%s", want, got)
		}
	}
}

// trace lists the hits of text with the rule that made each, after filtering.
func trace(c *Classifier, text string) []string {
	type src struct {
		move    string
		pattern string
	}
	var pats []src
	for _, r := range lexicon().rules {
		for _, p := range r.patterns {
			pats = append(pats, src{string(r.move), p})
		}
	}
	s := &scratch{}
	c.tokenize(s, text)
	c.match(s)
	c.filter(s)
	c.limits(s)
	c.sarcasm(s)
	c.questions(s)
	var out []string
	for _, h := range s.hits {
		r := pats[h.entry]
		state := "live"
		if h.dead {
			state = "dead"
		}
		name := r.move
		if name == "" {
			name = "(veto)"
		}
		phrase := text[s.toks[h.start].start:s.toks[h.end-1].end]
		out = append(out, fmt.Sprintf("%s %-20s %q  pattern %q", state, name, phrase, r.pattern))
	}
	for _, e := range s.ev {
		out = append(out, fmt.Sprintf("rule-based %s %q", c.moves[e.move], text[e.start:e.end]))
	}
	return out
}
