package moves

import (
	"strings"

	"chatdojo/scenarios"
)

// lex is a lexicon as written in source, before New compiles it.
type lex struct {
	rules   []rule
	words   []wordFlags
	aliases [][2]string // variant, canonical
	macros  map[string]string
	sincere []scenarios.Move // moves that sarcasm turns into rude
	notAsk  []scenarios.Move // moves that make a question something other than ask_question
	// negProof moves are statements that negation does not undo: "not being able to print
	// is stressful" still empathizes, "the code didn't work because…" still explains.
	negProof []scenarios.Move
}

// rule gives patterns a move. A rule with no move only vetoes.
type rule struct {
	move     scenarios.Move
	opts     opt
	veto     []scenarios.Move
	patterns []string
}

type wordFlags struct {
	word  string
	flags uint32
}

func (l *lex) add(m scenarios.Move, o opt, patterns ...string) {
	l.rules = append(l.rules, rule{move: m, opts: o, patterns: patterns})
}

// veto adds patterns that, where they match, remove the hits of the vetoed moves: "sorry
// you feel that way" is dismiss and takes the apology away.
func (l *lex) veto(m scenarios.Move, o opt, vetoed []scenarios.Move, patterns ...string) {
	l.rules = append(l.rules, rule{move: m, opts: o, veto: vetoed, patterns: patterns})
}

func (l *lex) flag(f uint32, words ...string) {
	for _, w := range words {
		l.words = append(l.words, wordFlags{w, f})
	}
}

func (l *lex) alias(pairs ...string) {
	for i := 0; i+1 < len(pairs); i += 2 {
		l.aliases = append(l.aliases, [2]string{pairs[i], pairs[i+1]})
	}
}

func moveList(ms ...scenarios.Move) []scenarios.Move { return ms }

// wordWeights counts how often each word is written in the lexicon's patterns and
// macros. The function words that make up most of any message ("i", "you", "the") are
// the ones patterns use most, which makes the count a fair guess at how common a word
// is in messages.
func (l *lex) wordWeights() map[string]int {
	w := make(map[string]int)
	count := func(src string) {
		for _, f := range strings.FieldsFunc(src, func(r rune) bool { return strings.ContainsRune(" {}|?<>*_", r) }) {
			w[strings.ReplaceAll(f, "’", "'")]++
		}
	}
	for _, m := range l.macros {
		count(m)
	}
	for _, r := range l.rules {
		for _, p := range r.patterns {
			count(p)
		}
	}
	return w
}
