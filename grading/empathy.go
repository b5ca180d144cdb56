package grading

import (
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
	customerWords(seen, c)
	negative := mv.has(bitDismiss)
	for si, s := range a.sents {
		formula, warm, understandG, understandS, personal := -1, -1, -1, -1, -1
		feeling := -1
		fEnd, wEnd, gEnd, sEnd, pEnd := 0, 0, 0, 0, 0
		for i := s.first; i < s.last; i++ {
			x := &a.words[i]
			if x.slot < 0 {
				continue // no lexicon knows the word
			}
			if x.flags&flagFeeling != 0 && feeling < 0 {
				feeling = i
			}
			if x.starts == 0 {
				continue
			}
			if x.starts&(1<<lexFormula) != 0 {
				if n := a.phraseAt(i, s.last, lexFormula); n > 0 && formula < 0 {
					formula, fEnd = i, i+n
					r.formulas = append(r.formulas, a.src[a.words[i].start:a.words[i+n-1].end])
				}
			}
			if x.starts&(1<<lexWarm) != 0 && warm < 0 {
				if n := a.phraseAt(i, s.last, lexWarm); n > 0 {
					warm, wEnd = i, i+n
				}
			}
			if x.starts&(1<<lexUnderstandGeneric) != 0 && understandG < 0 {
				if n := a.phraseAt(i, s.last, lexUnderstandGeneric); n > 0 {
					understandG, gEnd = i, i+n
				}
			}
			if x.starts&(1<<lexUnderstandSpecific) != 0 && understandS < 0 {
				if n := a.phraseAt(i, s.last, lexUnderstandSpecific); n > 0 {
					understandS, sEnd = i, i+n
				}
			}
			if x.starts&(1<<lexPersonal) != 0 && personal < 0 {
				if n := a.phraseAt(i, s.last, lexPersonal); n > 0 {
					personal, pEnd = i, i+n
				}
			}
		}
		overlap := l.overlap(a, s, seen)
		// Emotional reaction.
		if !negative {
			level := 0
			var ev string
			switch {
			case warm >= 0 && (feeling >= 0 || overlap >= 1):
				level, ev = 2, a.span(warm, max(wEnd, feeling+1))
			case feeling >= 0 && (formula >= 0 || mv.has(bitAcknowledgeEmotion) || mv.has(bitEmpathize) || mv.has(bitApologize)) && overlap >= 2:
				level, ev = 2, a.span(feeling, feeling+1)
			case formula >= 0:
				level, ev = 1, a.span(formula, fEnd)
			case warm >= 0:
				level, ev = 1, a.span(warm, wEnd)
			case feeling >= 0 && (mv.has(bitAcknowledgeEmotion) || mv.has(bitEmpathize)):
				level, ev = 1, a.span(feeling, feeling+1)
			}
			if level > r.m.EmotionalReaction {
				r.m.EmotionalReaction, r.er = level, ev
			}
		}
		// Interpretation.
		{
			level := 0
			var ev string
			switch {
			case understandS >= 0 && overlap >= 1:
				level, ev = 2, a.span(understandS, sEnd)
			case mv.has(bitEmpathize) && overlap >= 2 && (warm >= 0 || feeling >= 0 || understandS >= 0):
				level, ev = 2, a.sentence(si)
			case !s.question && overlap >= 3 && !a.startsWithAction(s) && !a.explains(s):
				// Restating the customer's situation in their own words.
				level, ev = 2, a.sentence(si)
			case understandG >= 0 || understandS >= 0:
				if understandS >= 0 {
					level, ev = 1, a.span(understandS, sEnd)
				} else {
					level, ev = 1, a.span(understandG, gEnd)
				}
			}
			if level > r.m.Interpretation {
				r.m.Interpretation, r.in = level, ev
			}
		}
		// Exploration: a question about the person is strong; a question about the
		// case, or a request for details, is weak.
		if s.question || personal >= 0 {
			level := 0
			var ev string
			asks := mv.has(bitAskQuestion)
			switch {
			case s.question && personal >= 0 && (asks || mv.has(bitClose)) && !mv.has(bitRude):
				level, ev = 2, a.span(personal, pEnd)
			case s.question && asks && overlap >= 2 && a.mentionsYou(s) && !mv.has(bitRude):
				// A question about the customer's own circumstances.
				level, ev = 2, a.sentence(si)
			case s.question && (asks || mv.has(bitVerifyIdentity) || mv.has(bitClose)):
				level, ev = 1, a.sentence(si)
			}
			if level > r.m.Exploration {
				r.m.Exploration, r.ex = level, ev
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

// overlap counts the content words of sentence s of a that the customer's recent
// messages use too: a reply that echoes the customer's own words is about their
// situation. seen holds the customer's content words (see customerWords).
func (l *lexicon) overlap(a *text, s sentence, seen *wordSet) int {
	n := 0
	for i := s.first; i < s.last; i++ {
		if a.words[i].content && seen.has(a.w(i), a.words[i].k) {
			n++
		}
	}
	return n
}

// wordSet is a small open-addressing set of the customer's words, keyed by their scan
// key and reused from turn to turn. A slot is in use when it carries the set's current
// generation, so emptying the set touches no slot. Slots name their word by message and
// index rather than hold it: they have no pointer, so filling them costs the garbage
// collector nothing.
type wordSet struct {
	slots []wordSlot
	mask  uint32
	gen   uint32
	texts []*text // the messages the words come from
}

type wordSlot struct {
	k    wordKey
	gen  uint32
	text uint32 // index in wordSet.texts
	word int32  // index in the message's words
}

// reset empties the set and sizes it for n words of the messages cs.
func (ws *wordSet) reset(n int, cs []*text) {
	size := 64
	for size < 2*n {
		size <<= 1
	}
	ws.gen++
	if len(ws.slots) < size || ws.gen == 0 {
		ws.slots = make([]wordSlot, size)
		ws.gen = 1
	}
	ws.mask = uint32(len(ws.slots) - 1)
	ws.texts = append(ws.texts[:0], cs...) // a copy: cs is the caller's, often on its stack
}

// add puts word i of message ws.texts[c] in the set.
func (ws *wordSet) add(c uint32, i int32, k wordKey) {
	for h := k.h & ws.mask; ; h = (h + 1) & ws.mask {
		s := &ws.slots[h]
		if s.gen != ws.gen {
			s.k, s.gen, s.text, s.word = k, ws.gen, c, i
			return
		}
		if s.k == k && (k.n <= 8 || ws.texts[s.text].w(int(s.word)) == ws.texts[c].w(int(i))) {
			return
		}
	}
}

// has reports whether the set holds the word w, of key k.
func (ws *wordSet) has(w string, k wordKey) bool {
	if len(ws.slots) == 0 {
		return false
	}
	for h := k.h & ws.mask; ; h = (h + 1) & ws.mask {
		s := &ws.slots[h]
		if s.gen != ws.gen {
			return false
		}
		if s.k == k && (k.n <= 8 || ws.texts[s.text].w(int(s.word)) == w) {
			return true
		}
	}
}

// customerWords fills ws with the content words of the customer's messages.
func customerWords(ws *wordSet, cs []*text) {
	n := 0
	for _, c := range cs {
		n += len(c.words)
	}
	ws.reset(n, cs)
	for ci, c := range cs {
		for i := range c.words {
			if c.words[i].content {
				ws.add(uint32(ci), int32(i), c.words[i].k)
			}
		}
	}
}

// span returns the source text of words [i, j).
func (t *text) span(i, j int) string {
	if i < 0 || i >= len(t.words) {
		return ""
	}
	j = min(max(j, i+1), len(t.words))
	return t.src[t.words[i].start:t.words[j-1].end]
}

// sentence returns the source text of sentence i, trimmed.
func (t *text) sentence(i int) string {
	s := t.sents[i]
	return t.src[t.words[s.first].start:t.words[s.last-1].end]
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
