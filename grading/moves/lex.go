package moves

import "chatdojo/scenarios"

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
