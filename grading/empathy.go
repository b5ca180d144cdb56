package grading

import (
	"math/bits"

	"chatdojo/scenarios"
)

// moveSet is a set of moves as a bitset over scenarios.AllMoves ranks.
type moveSet uint64

// has reports whether s holds any move of b, a moveBit or a union of them.
func (s moveSet) has(b moveSet) bool { return s&b != 0 }

// moveBit is the set of move m alone.
func moveBit(m scenarios.Move) moveSet {
	r := m.Rank()
	if r < 0 {
		panic("grading: unknown move " + string(m))
	}
	return 1 << uint(r)
}

// The moves the grader looks for, as sets: a move's rank is a switch on its name, too
// slow to ask on every test.
var (
	bitAcknowledgeEmotion = moveBit(scenarios.MoveAcknowledgeEmotion)
	bitApologize          = moveBit(scenarios.MoveApologize)
	bitAskQuestion        = moveBit(scenarios.MoveAskQuestion)
	bitBlameCustomer      = moveBit(scenarios.MoveBlameCustomer)
	bitClose              = moveBit(scenarios.MoveClose)
	bitDismiss            = moveBit(scenarios.MoveDismiss)
	bitEmpathize          = moveBit(scenarios.MoveEmpathize)
	bitEscalate           = moveBit(scenarios.MoveEscalate)
	bitExplain            = moveBit(scenarios.MoveExplain)
	bitHold               = moveBit(scenarios.MoveHold)
	bitOfferSolution      = moveBit(scenarios.MoveOfferSolution)
	bitPolicyWall         = moveBit(scenarios.MovePolicyWall)
	bitReassure           = moveBit(scenarios.MoveReassure)
	bitRude               = moveBit(scenarios.MoveRude)
	bitSetExpectation     = moveBit(scenarios.MoveSetExpectation)
	bitShouting           = moveBit(scenarios.MoveShouting)
	bitTakeOwnership      = moveBit(scenarios.MoveTakeOwnership)
	bitThank              = moveBit(scenarios.MoveThank)
	bitVerifyIdentity     = moveBit(scenarios.MoveVerifyIdentity)
)

func (s *moveSet) add(m scenarios.Move) {
	if r := m.Rank(); r >= 0 {
		*s |= 1 << uint(r)
	}
}

// mechanismResult is the rule judge's reading of one reply.
type mechanismResult struct {
	m Mechanisms
	// evidence per mechanism: the words that earned it.
	er, in, ex string
	// formulas are the stock phrases the reply used, for the repetition penalty.
	formulas []string
}

// mechanisms grades the three empathy mechanisms of an agent reply a to the customer's
// recent messages c (the last one first), given the reply's moves. Level 2 needs a reply that is about this customer:
// a feeling or understanding tied to words of their message, or a question about them.
func (l *lexicon) mechanisms(a *text, c []*text, mv moveSet, seen *wordSet) mechanismResult {
	var r mechanismResult
	seen.fill(c)
	negative := mv.has(bitDismiss)
	for _, s := range a.sents {
		// at[lex] and end[lex] are the first phrase of each reply lexicon in the sentence,
		// at -1 for none; pending has the bits of the lexicons with none yet, so that a
		// word is matched against those only, in one test.
		at := [nReplyLex]int{-1, -1, -1, -1, -1}
		var end [nReplyLex]int
		pending := uint8(1<<nReplyLex - 1)
		feeling := -1
		// overlap counts the content words of the sentence that the customer's messages
		// use too: a reply that echoes the customer's own words is about their situation.
		overlap := 0
		// The words are read 64 at a time, in two loops: the first, with no branch and
		// no call, marks in bitmasks the few words that may be the customer's, that start
		// a phrase or that name a feeling; the second looks at those alone, in order. A
		// single loop mispredicted its tests on many words, and kept its counters on the
		// stack for the sake of its calls.
		for base := s.first; base < s.last; base += 64 {
			theirs, starts, feelings := seen.marks(a.words[base:min(s.last, base+64)], pending)
			if feelings != 0 && feeling < 0 {
				feeling = base + bits.TrailingZeros64(feelings)
			}
			for ; theirs != 0; theirs &= theirs - 1 {
				i := base + bits.TrailingZeros64(theirs)
				if seen.has(c, a.w(i), a.words[i].k) {
					overlap++
				}
			}
			for ; starts != 0; starts &= starts - 1 {
				i := base + bits.TrailingZeros64(starts)
				if lexes := a.words[i].starts & pending; lexes != 0 {
					pending &^= a.phrasesAt(i, s.last, lexes, &at, &end)
				}
			}
		}
		if pending == 1<<nReplyLex-1 && feeling < 0 && !s.question && overlap < 3 {
			continue // nothing below can find a level in the sentence
		}
		formula, warm, understandG, understandS, personal := at[lexFormula], at[lexWarm], at[lexUnderstandGeneric], at[lexUnderstandSpecific], at[lexPersonal]
		fEnd, wEnd, gEnd, sEnd, pEnd := end[lexFormula], end[lexWarm], end[lexUnderstandGeneric], end[lexUnderstandSpecific], end[lexPersonal]
		if formula >= 0 {
			r.formulas = append(r.formulas, a.span(formula, fEnd))
		}
		// Emotional reaction.
		if !negative {
			level, lo, hi := 0, 0, 0 // the level and its evidence, words [lo, hi)
			switch {
			case warm >= 0 && (feeling >= 0 || overlap >= 1):
				level, lo, hi = 2, warm, max(wEnd, feeling+1)
			case feeling >= 0 && (formula >= 0 || mv.has(bitAcknowledgeEmotion) || mv.has(bitEmpathize) || mv.has(bitApologize)) && overlap >= 2:
				level, lo, hi = 2, feeling, feeling+1
			case formula >= 0:
				level, lo, hi = 1, formula, fEnd
			case warm >= 0:
				level, lo, hi = 1, warm, wEnd
			case feeling >= 0 && (mv.has(bitAcknowledgeEmotion) || mv.has(bitEmpathize)):
				level, lo, hi = 1, feeling, feeling+1
			}
			if level > r.m.EmotionalReaction {
				r.m.EmotionalReaction, r.er = level, a.span(lo, hi)
			}
		}
		// Interpretation.
		{
			level, lo, hi := 0, 0, 0 // the level and its evidence, words [lo, hi)
			switch {
			case understandS >= 0 && overlap >= 1:
				level, lo, hi = 2, understandS, sEnd
			case mv.has(bitEmpathize) && overlap >= 2 && (warm >= 0 || feeling >= 0 || understandS >= 0):
				level, lo, hi = 2, s.first, s.last
			case !s.question && overlap >= 3 && !a.startsWithAction(s) && !a.explains(s):
				// Restating the customer's situation in their own words.
				level, lo, hi = 2, s.first, s.last
			case understandG >= 0 || understandS >= 0:
				if understandS >= 0 {
					level, lo, hi = 1, understandS, sEnd
				} else {
					level, lo, hi = 1, understandG, gEnd
				}
			}
			if level > r.m.Interpretation {
				r.m.Interpretation, r.in = level, a.span(lo, hi)
			}
		}
		// Exploration: a question about the person is strong; a question about the
		// case, or a request for details, is weak.
		if s.question || personal >= 0 {
			level, lo, hi := 0, 0, 0 // the level and its evidence, words [lo, hi)
			asks := mv.has(bitAskQuestion)
			switch {
			case s.question && personal >= 0 && (asks || mv.has(bitClose)) && !mv.has(bitRude):
				level, lo, hi = 2, personal, pEnd
			case s.question && asks && overlap >= 2 && a.mentionsYou(s) && !mv.has(bitRude):
				// A question about the customer's own circumstances.
				level, lo, hi = 2, s.first, s.last
			case s.question && (asks || mv.has(bitVerifyIdentity) || mv.has(bitClose)):
				level, lo, hi = 1, s.first, s.last
			}
			if level > r.m.Exploration {
				r.m.Exploration, r.ex = level, a.span(lo, hi)
			}
		}
	}
	if r.m.Exploration == 0 && (mv.has(bitAskQuestion) || mv.has(bitVerifyIdentity)) {
		r.m.Exploration = 1
	}
	if r.m.EmotionalReaction == 0 && !negative && (mv.has(bitApologize) || mv.has(bitAcknowledgeEmotion)) {
		r.m.EmotionalReaction = 1
	}
	if mv.has(bitBlameCustomer) || mv.has(bitRude) || mv.has(bitShouting) {
		r.m.EmotionalReaction = min(r.m.EmotionalReaction, 1)
		r.m.Interpretation = min(r.m.Interpretation, 1)
	}
	return r
}

// wordSet holds the content words of the customer's recent messages, reused from turn
// to turn. It is a table indexed by the top nine bits of a word's key hash: a slot names
// the last content word of its index, so that a reply word whose slot is empty (most
// are) is none of theirs, and one whose slot is not is most often the word the slot
// names. Filling it costs a store a word and no branch, where a hash set of the words
// cost a probe and a mispredicted branch on most. Two words of one index, or a reply
// word that only shares the index of one of theirs, are told apart by a search of the
// messages (see search), which is rare.
type wordSet struct {
	// slots hold gen<<16 | the word's index among the messages' words, one message
	// after the other: a slot of an older generation is empty, so that emptying the
	// set touches no slot. Slot 512 takes the words that are not content words.
	slots [513]uint32
	gen   uint32
}

// fill empties the set and puts in it the content words of the messages cs.
func (ws *wordSet) fill(cs []*text) {
	ws.gen = (ws.gen + 1) & 0xffff
	if ws.gen == 0 {
		ws.slots, ws.gen = [513]uint32{}, 1
	}
	gen := ws.gen << 16
	n := 0 // the index of c.words[0] among the words of cs
	for _, c := range cs {
		words := c.words // loaded once: the stores below might be to c, for all the compiler knows
		for i := range words {
			x := words[i].k.h >> 23
			if !words[i].content {
				x = 512 // a select, not a branch
			}
			ws.slots[x] = gen | uint32(uint16(n+i)) // past 65,535 words, a search tells (see has)
		}
		n += len(words)
	}
}

// may is 1 when the set may hold the word of key k, 0 when it does not.
func (ws *wordSet) may(k wordKey) uint64 {
	return b2u(ws.slots[k.h>>23]>>16 == ws.gen)
}

// marks reads up to 64 words of a reply sentence for mechanisms: it returns a bit per
// word that the set may hold and is a content word, one per word that starts a phrase
// of the lexicons pending, and one per word that names a feeling. It is a function of
// its own, without a branch or a call, so that its masks stay in registers.
func (ws *wordSet) marks(words []word, pending uint8) (theirs, starts, feelings uint64) {
	// Each word's bits enter at the top and move down a place a word: shifts by a
	// constant, which need no register of their own.
	for k := range words {
		// A word no lexicon knows has no flags and starts no phrase.
		x := &words[k]
		theirs = theirs>>1 | (b2u(x.content)&ws.may(x.k))<<63
		starts = starts>>1 | b2u(x.starts&pending != 0)<<63
		feelings = feelings>>1 | b2u(x.flags&flagFeeling != 0)<<63
	}
	n := uint(64-len(words)) & 63 // words holds 1 to 64 words
	return theirs >> n, starts >> n, feelings >> n
}

// has reports whether the messages cs, which ws was filled from, use the content word w
// of key k, which the set may hold. It need not ask whether their word is a content word
// too: whether a word is one depends on the word alone.
func (ws *wordSet) has(cs []*text, w string, k wordKey) bool {
	j := int(uint16(ws.slots[k.h>>23]))
	for _, c := range cs {
		if j < len(c.words) {
			if c.words[j].k == k && (k.n <= 8 || c.w(j) == w) {
				return true
			}
			break
		}
		j -= len(c.words)
	}
	return search(cs, w, k)
}

// search reports whether the messages cs use the word w of key k.
func search(cs []*text, w string, k wordKey) bool {
	for _, c := range cs {
		for i := range c.words {
			if c.words[i].k == k && (k.n <= 8 || c.w(i) == w) {
				return true
			}
		}
	}
	return false
}

// b2u is 1 for true and 0 for false, without a branch.
func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// span returns the source text of words [i, j).
func (t *text) span(i, j int) string {
	if i < 0 || i >= len(t.words) {
		return ""
	}
	j = min(max(j, i+1), len(t.words))
	return t.src[t.words[i].start:t.words[j-1].end]
}

// startsWithAction reports whether a sentence starts with the agent's own action ("I've
// refunded…", "I'll send…"): echoing the customer's words there is doing, not
// understanding.
func (t *text) startsWithAction(s sentence) bool {
	return t.flag(s.first, flagAction)
}

// mentionsYou reports whether a sentence addresses the customer.
func (t *text) mentionsYou(s sentence) bool {
	for i := s.first; i < s.last; i++ {
		if t.flag(i, flagYou) {
			return true
		}
	}
	return false
}

// explains reports whether a sentence gives a cause ("…, which is why…", "because…"):
// that is the agent's explanation, not a reading of the customer's situation.
func (t *text) explains(s sentence) bool {
	for i := s.first; i < s.last; i++ {
		if t.flag(i, flagCause) {
			return true
		}
	}
	return false
}
