// Package moves classifies an agent's chat message into the moves of scenarios.AllMoves.
//
// The classifier is made of rules and lexicons, not a model: the scripted customer runs
// it on every agent message and the grader quotes its evidence back to the trainee, so it
// has to be fast, deterministic and explainable. docs/moves.md is its specification.
package moves

import (
	"errors"
	"fmt"
	"math"
	bits64 "math/bits"
	"slices"
	"sync"

	"chatdojo/scenarios"
)

// Match is one move found in a message.
type Match struct {
	Move scenarios.Move
	// Evidence holds the passages of the message that triggered the move, as they appear
	// in the text (original case), in order; each is a substring of the message.
	Evidence []string
}

// Classifier holds the compiled lexicons. It is immutable after New, so one Classifier
// serves any number of goroutines.
type Classifier struct {
	words    *vocab
	prefixes *prefixTrie
	auto     *automaton
	sets     []wordSet
	setWords int      // uint64 words in a token's set bitset
	wordSets []uint64 // per vocabulary id, the sets that contain the word
	inSet    []bool   // per vocabulary id, whether any set contains the word
	preSets  []uint64 // per prefix id, the sets that contain the prefix
	entries  []entry
	moves    []scenarios.Move // AllMoves, as it was when New ran
	rude     int8
	shout    int8
	ask      int8
	policy   int8
	offer    int8
	escalate int8
	explain  int8
	sincere  uint64 // the moves that sarcasm turns into rude
	notAsk   uint64 // moves that make a question something other than ask_question
	pool     sync.Pool
}

// opt qualifies where a lexicon pattern counts.
type opt uint16

const (
	optStart     opt = 1 << iota // only at the start of a clause
	optQuestion                  // only in a sentence that ends with ?
	optStatement                 // only in a sentence that does not end with ?
	optSarcasm                   // a sarcasm marker: sincere moves in the message become rude
	optAlone                     // with optSarcasm: rude even when nothing sincere is there
	optNoNeg                     // a negator before it does not cancel it
	optSentence                  // its veto covers its whole sentence, not only its words
	optEnd                       // only at the end of a clause ("it happens.")
	optLimit                     // a refusal ("I can't refund"): explain when help follows
)

// entry is one compiled lexicon rule.
type entry struct {
	move int8 // index in Classifier.moves, -1 for a rule that only vetoes
	opts opt
	veto uint64 // moves whose hits this rule removes where it matches
}

// hit is one pattern matched at tokens [start, end).
type hit struct {
	entry      int32
	start, end int32
	move       int8
	dead       bool
}

// scratch is the per-message working memory, pooled so that classifying allocates little
// more than the result.
type scratch struct {
	buf     []byte
	toks    []token
	sents   []sentence
	bangs   []span
	quotes  []span   // sincere words in quotes
	qOpen   int32    // token index after an opening quotation mark, -1 when none is open
	qByte   int32    // where that quotation mark is
	setBits []uint64 // per token, the word sets it belongs to
	hits    []hit
	order   []int32 // veto hits, longest first
	ev      []moveSpan
}

type moveSpan struct {
	move int8
	span
}

func (s *scratch) reset() {
	s.buf = s.buf[:0]
	s.toks = s.toks[:0]
	s.sents = s.sents[:0]
	s.bangs = s.bangs[:0]
	s.quotes = s.quotes[:0]
	s.hits = s.hits[:0]
	s.order = s.order[:0]
	s.ev = s.ev[:0]
}

// maxScratch is the token count above which a scratch is not returned to the pool, so
// that one huge message does not pin its memory for the life of the process.
const maxScratch = 1 << 14

// negWindow is how many words before a match a negator may stand and still cancel it:
// "I don't think we can refund" has the negator four words ahead of "refund".
const negWindow = 5

// New compiles the lexicons. It panics if a lexicon pattern is malformed, which the
// package's tests rule out.
func New() *Classifier {
	c, err := compile(lexicon())
	if err != nil {
		panic("moves: " + err.Error())
	}
	return c
}

func compile(l *lex) (*Classifier, error) {
	if len(scenarios.AllMoves) > 64 {
		return nil, fmt.Errorf("%d moves do not fit a uint64 set", len(scenarios.AllMoves))
	}
	c := &Classifier{
		words:    newVocab(),
		prefixes: newPrefixTrie(),
		moves:    slices.Clone(scenarios.AllMoves),
	}
	c.pool.New = func() any { return &scratch{} }
	for _, w := range l.words {
		c.words.intern(w.word)
		c.words.flag[c.words.ids[w.word]] |= w.flags
	}
	for _, a := range l.aliases {
		c.words.alias(a[0], a[1])
	}
	c.words.no, c.words.way = c.words.intern("no"), c.words.intern("way")
	idx := func(m scenarios.Move) (int8, error) {
		r := m.Rank()
		if r < 0 {
			return 0, fmt.Errorf("unknown move %q", m)
		}
		return int8(r), nil
	}
	set := func(ms []scenarios.Move) (uint64, error) {
		var b uint64
		for _, m := range ms {
			i, err := idx(m)
			if err != nil {
				return 0, err
			}
			b |= 1 << i
		}
		return b, nil
	}
	var err error
	for _, p := range []struct {
		dst *int8
		m   scenarios.Move
	}{
		{&c.rude, scenarios.MoveRude}, {&c.shout, scenarios.MoveShouting}, {&c.ask, scenarios.MoveAskQuestion},
		{&c.policy, scenarios.MovePolicyWall}, {&c.offer, scenarios.MoveOfferSolution},
		{&c.escalate, scenarios.MoveEscalate}, {&c.explain, scenarios.MoveExplain},
	} {
		if *p.dst, err = idx(p.m); err != nil {
			return nil, err
		}
	}
	if c.sincere, err = set(l.sincere); err != nil {
		return nil, err
	}
	if c.notAsk, err = set(l.notAsk); err != nil {
		return nil, err
	}
	var errs []error // every bad pattern at once, not one per test run
	root := &node{}
	comp := &compiler{words: c.words, pre: c.prefixes, macros: l.macros,
		cache: make(map[string][][]atom), setIDs: make(map[string]int32)}
	for _, r := range l.rules {
		e := entry{move: -1, opts: r.opts}
		if r.move != "" {
			if e.move, err = idx(r.move); err != nil {
				return nil, err
			}
		}
		if l.negProof != nil && slices.Contains(l.negProof, r.move) {
			e.opts |= optNoNeg
		}
		if e.veto, err = set(r.veto); err != nil {
			return nil, err
		}
		for _, pat := range r.patterns {
			// One entry per pattern, so that a trace can name the pattern that fired.
			id := int32(len(c.entries))
			c.entries = append(c.entries, e)
			seqs, err := comp.compile(pat)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			for _, s := range seqs {
				root.insert(s, id)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	c.sets = comp.sets
	c.setWords = (len(c.sets) + 63) / 64
	c.auto = flatten(minimize(root), len(c.words.flag), c.setWords)
	c.prefixes.seal()
	c.words.seal()
	c.indexSets()
	return c, nil
}

// Moves returns the moves of text in reporting order.
func (c *Classifier) Moves(text string) []scenarios.Move {
	ms := c.Classify(text)
	out := make([]scenarios.Move, len(ms))
	for i, m := range ms {
		out[i] = m.Move
	}
	return out
}

// Classify returns the moves of text, sorted by Move.Rank, each at most once, with the
// words that triggered it.
func (c *Classifier) Classify(text string) []Match {
	if len(text) >= math.MaxInt32 {
		text = text[:math.MaxInt32-1]
	}
	s := c.pool.Get().(*scratch)
	c.tokenize(s, text)
	c.match(s)
	c.filter(s)
	c.limits(s)
	c.sarcasm(s)
	c.questions(s)
	c.shouting(s)
	out := c.result(s, text)
	if len(s.toks) <= maxScratch {
		c.pool.Put(s)
	}
	return out
}

// indexSets records, for every word and prefix, the sets it belongs to, so that a token's
// set membership is computed once per message rather than once per trie edge.
func (c *Classifier) indexSets() {
	w := c.setWords
	c.wordSets = make([]uint64, len(c.words.flag)*w)
	c.inSet = make([]bool, len(c.words.flag))
	c.preSets = make([]uint64, len(c.prefixes.ids)*w)
	for id, set := range c.sets {
		bit := uint64(1) << (id & 63)
		for word := range set.words {
			c.wordSets[int(word)*w+id>>6] |= bit
			c.inSet[word] = true
		}
		for p := range len(c.prefixes.ids) {
			if set.pm[p>>6]&(1<<(p&63)) != 0 {
				c.preSets[p*w+id>>6] |= bit
			}
		}
	}
}

// tokenSets fills s.setBits with each token's set membership.
func (c *Classifier) tokenSets(s *scratch) {
	w := c.setWords
	s.setBits = slices.Grow(s.setBits[:0], len(s.toks)*w)[:len(s.toks)*w]
	clear(s.setBits)
	for i := range s.toks {
		t := &s.toks[i]
		dst := s.setBits[i*w : (i+1)*w]
		if t.id >= 0 && c.inSet[t.id] {
			copy(dst, c.wordSets[int(t.id)*w:int(t.id+1)*w])
			t.flags |= tInSet
		}
		if t.flags&tPrefix == 0 {
			continue
		}
		t.flags |= tInSet
		for pw, m := range t.pm {
			for x := m; x != 0; x &= x - 1 {
				p := pw<<6 + bits64.TrailingZeros64(x)
				for k, v := range c.preSets[p*w : (p+1)*w] {
					dst[k] |= v
				}
			}
		}
	}
}

// match runs the trie from every token.
func (c *Classifier) match(s *scratch) {
	c.tokenSets(s)
	for i := range s.toks {
		end := s.sents[s.toks[i].sent].last + 1
		c.walk(s, 0, int32(i), int32(i), end)
	}
}

func (c *Classifier) walk(s *scratch, ni, p, start, end int32) {
	a := c.auto
	f := &a.nodes[ni]
	for _, e := range a.ends[f.endLo:f.endHi] {
		s.hits = append(s.hits, hit{entry: e, start: start, end: p, move: c.entries[e].move})
	}
	if p < end {
		t := &s.toks[p]
		if t.id >= 0 {
			if next := a.next(f, t.id); next >= 0 {
				c.walk(s, next, p+1, start, end)
			}
		}
		if t.flags&tPrefix != 0 {
			for _, e := range a.edges[f.preLo:f.preHi] {
				if t.pm[e.id>>6]&(1<<(e.id&63)) != 0 {
					c.walk(s, e.to, p+1, start, end)
				}
			}
		}
		for _, e := range a.edges[f.clsLo:f.clsHi] {
			if c.class(t, e.id) {
				c.walk(s, e.to, p+1, start, end)
			}
		}
		if f.setHi > f.setLo && t.flags&tInSet != 0 {
			bits := s.setBits[int(p)*c.setWords : int(p+1)*c.setWords]
			if f.mask >= 0 {
				for w, m := range a.masks[f.mask : int(f.mask)+c.setWords] {
					for x := m & bits[w]; x != 0; x &= x - 1 {
						c.walk(s, a.setChild[int(f.mask)*64+w<<6+bits64.TrailingZeros64(x)]-1, p+1, start, end)
					}
				}
			} else {
				for _, e := range a.edges[f.setLo:f.setHi] {
					if bits[e.id>>6]&(1<<(e.id&63)) != 0 {
						c.walk(s, e.to, p+1, start, end)
					}
				}
			}
		}
	}
	for _, g := range a.edges[f.gapLo:f.gapHi] {
		for k := int32(0); k <= g.id; k++ {
			if k > 0 {
				q := p + k - 1
				if q >= end || s.toks[q].clause != s.toks[p-1].clause || s.toks[q].flags&(wNeg|wGapStop) != 0 {
					break
				}
			}
			c.walk(s, g.to, p+k, start, end)
		}
	}
}

func (c *Classifier) class(t *token, class int32) bool {
	switch class {
	case classAny:
		return t.flags&wNeg == 0
	case classNum:
		return t.flags&(tDigit|wNum) != 0
	case className:
		return t.flags&tTitle != 0 && t.id < 0 && t.flags&tCaps == 0
	case classTime:
		return t.flags&tClock != 0
	}
	return false
}

// filter drops hits whose place or a negator rules them out, then applies vetoes.
func (c *Classifier) filter(s *scratch) {
	for i := range s.hits {
		h := &s.hits[i]
		e := &c.entries[h.entry]
		first := &s.toks[h.start]
		q := s.sents[first.sent].question
		switch {
		case e.opts&optStart != 0 && first.flags&tClauseStart == 0,
			e.opts&optQuestion != 0 && !q,
			e.opts&optStatement != 0 && q,
			e.opts&optEnd != 0 && int(h.end) < len(s.toks) && s.toks[h.end].clause == s.toks[h.end-1].clause,
			e.opts&optNoNeg == 0 && c.negated(s, h):
			h.dead = true
		}
	}
	// Vetoes apply longest first: the more words a pattern matched, the more specific it
	// is, so "how annoying it is when…" (empathize) overrules "how annoying it is" (ack).
	s.order = s.order[:0]
	for i := range s.hits {
		if !s.hits[i].dead && c.entries[s.hits[i].entry].veto != 0 {
			s.order = append(s.order, int32(i))
		}
	}
	slices.SortStableFunc(s.order, func(a, b int32) int {
		ha, hb := &s.hits[a], &s.hits[b]
		return int((hb.end - hb.start) - (ha.end - ha.start))
	})
	for _, i := range s.order {
		h := &s.hits[i]
		e := &c.entries[h.entry]
		if h.dead {
			continue
		}
		lo, hi := h.start, h.end
		if e.opts&optSentence != 0 {
			st := &s.sents[s.toks[h.start].sent]
			lo, hi = st.first, st.last+1
		}
		for j := range s.hits {
			o := &s.hits[j]
			if int32(j) != i && o.move >= 0 && e.veto&(1<<o.move) != 0 && o.start < hi && lo < o.end {
				o.dead = true
			}
		}
	}
}

// negated reports whether a negator stands shortly before h in its clause.
func (c *Classifier) negated(s *scratch, h *hit) bool {
	clause := s.toks[h.start].clause
	for i := h.start - 1; i >= 0 && i >= h.start-negWindow; i-- {
		t := &s.toks[i]
		if t.clause != clause {
			return false
		}
		if t.flags&wNeg != 0 {
			return !c.conditional(s, i)
		}
	}
	return false
}

// conditional reports whether the negator at i sits in an if-clause ("if it doesn't
// arrive by Friday, …"), which states a condition rather than a refusal.
func (c *Classifier) conditional(s *scratch, i int32) bool {
	clause := s.toks[i].clause
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		t := &s.toks[j]
		if t.clause != clause {
			return false
		}
		if t.flags&wCond != 0 {
			return true
		}
	}
	return false
}

// limits turns a refusal or a policy into explain when the agent goes on to help anyway:
// "Our policy is 30 days, but I'll make an exception" explains the policy and offers a
// way round it, which is the opposite of hiding behind it.
func (c *Classifier) limits(s *scratch) {
	for i := range s.hits {
		h := &s.hits[i]
		limit := c.entries[h.entry].opts&optLimit != 0
		if h.dead || !limit && h.move != c.policy {
			continue
		}
		helped := false
		for j := range s.hits {
			o := &s.hits[j]
			if !o.dead && o.start >= h.end && (o.move == c.offer || o.move == c.escalate) {
				helped = true
				break
			}
		}
		if !helped {
			continue
		}
		h.dead = true
		s.ev = append(s.ev, moveSpan{c.explain, span{s.toks[h.start].start, s.toks[h.end-1].end}})
	}
}

// sarcasm turns sincere moves into rude when the message carries a sarcasm marker.
func (c *Classifier) sarcasm(s *scratch) {
	markers, alone := 0, false
	for i := range s.hits {
		h := &s.hits[i]
		if h.dead || c.entries[h.entry].opts&optSarcasm == 0 {
			continue
		}
		markers++
		alone = alone || c.entries[h.entry].opts&optAlone != 0
	}
	if markers == 0 && len(s.quotes) == 0 {
		return
	}
	sincere := false
	for i := range s.hits {
		h := &s.hits[i]
		if !h.dead && h.move >= 0 && c.sincere&(1<<h.move) != 0 {
			h.dead = true
			sincere = true
		}
	}
	// A sincere word in quotes mocks by itself ("we value your "feedback"" does not count:
	// only the sincere words of the lexicon are marked).
	alone = alone || len(s.quotes) > 0
	if !sincere && !alone {
		// A marker that needs something sincere to mock ("wow") is no move alone.
		for i := range s.hits {
			if c.entries[s.hits[i].entry].opts&optSarcasm != 0 {
				s.hits[i].dead = true
			}
		}
		return
	}
	for _, q := range s.quotes {
		s.ev = append(s.ev, moveSpan{c.rude, q})
	}
}

// questions adds ask_question for every question that is not already another move: an
// offer, a close, a request for identity details or a rhetorical jab.
func (c *Classifier) questions(s *scratch) {
	for si := range s.sents {
		st := &s.sents[si]
		if !st.question {
			continue
		}
		if c.excluded(s, c.questionStart(s, st.first, st.last+1), st.last+1) {
			continue
		}
		s.ev = append(s.ev, moveSpan{c.ask, span{s.toks[st.first].start, st.end}})
	}
	// Lexical requests ("could you tell me") yield to the same moves.
	for i := range s.hits {
		h := &s.hits[i]
		if h.dead || h.move != c.ask {
			continue
		}
		st := &s.sents[s.toks[h.start].sent]
		if c.excluded(s, c.questionStart(s, st.first, h.start+1), st.last+1) {
			h.dead = true
		}
	}
}

// questionStart finds where the question of the sentence tokens [first, end) begins: the
// last clause that opens like a question ("…, and tell me when it started?"). Clauses
// after it only qualify it (", please?", ", exactly as on the passport?"). With no such
// clause the whole sentence is the question.
func (c *Classifier) questionStart(s *scratch, first, end int32) int32 {
	for i := end - 1; i >= first; i-- {
		t := &s.toks[i]
		if t.flags&tClauseStart == 0 || t.flags&wQuestion == 0 {
			continue
		}
		// Walk back over soft starters ("and", "so") to the clause's first word.
		j := i
		for j > first && s.toks[j-1].clause == t.clause {
			j--
		}
		return j
	}
	return first
}

// excluded reports whether a live hit of a move that is not a question overlaps tokens
// [first, end).
func (c *Classifier) excluded(s *scratch, first, end int32) bool {
	for i := range s.hits {
		h := &s.hits[i]
		if h.dead || h.move < 0 || c.notAsk&(1<<h.move) == 0 {
			continue
		}
		if h.start < end && h.end > first {
			return true
		}
	}
	return false
}

// Shouting thresholds. Acronyms and one word of emphasis are not shouting.
const (
	capsRun     = 3  // capitalised words in a row, acronyms included
	capsOwn     = 2  // of which at least this many are not acronyms
	capsLetters = 12 // letters a message needs before "mostly capitals" applies
)

func (c *Classifier) shouting(s *scratch) {
	run, own, runStart := 0, 0, 0
	var upper, letters int32
	capsWords, lowerWords := 0, 0
	firstCaps, lastCaps := -1, -1
	for i := range s.toks {
		t := &s.toks[i]
		acronym := t.flags&wAcronym != 0
		switch {
		case t.flags&tCaps != 0:
			if run == 0 {
				runStart, own = i, 0
				if i > 0 && s.toks[i-1].letters == 1 && s.toks[i-1].upper == 1 {
					runStart = i - 1 // "I ALREADY TOLD YOU" quotes the I too
				}
			}
			run++
			if !acronym {
				own++
				capsWords++
				if firstCaps < 0 {
					firstCaps = i
				}
				lastCaps = i
			}
			if run >= capsRun && own >= capsOwn {
				s.ev = append(s.ev, moveSpan{c.shout, span{s.toks[runStart].start, t.end}})
			}
		case t.letters > 1 || t.letters == 1 && t.upper == 0:
			run = 0
			lowerWords++
		}
		if !acronym || t.flags&tCaps == 0 {
			upper += t.upper
			letters += t.letters
		}
	}
	mostly := letters >= capsLetters && upper*10 > letters*6 && capsWords > 0
	if mostly || capsWords >= capsOwn && lowerWords == 0 {
		s.ev = append(s.ev, moveSpan{c.shout, span{s.toks[firstCaps].start, s.toks[lastCaps].end}})
	}
	for _, b := range s.bangs {
		s.ev = append(s.ev, moveSpan{c.shout, b})
	}
}

// result gathers the evidence of live hits, merges overlapping passages and builds the
// matches in reporting order.
func (c *Classifier) result(s *scratch, text string) []Match {
	for i := range s.hits {
		h := &s.hits[i]
		if h.dead || h.move < 0 {
			continue
		}
		e := &c.entries[h.entry]
		m := h.move
		if e.opts&optSarcasm != 0 {
			m = c.rude
		}
		s.ev = append(s.ev, moveSpan{m, span{s.toks[h.start].start, s.toks[h.end-1].end}})
	}
	if len(s.ev) == 0 {
		return nil
	}
	slices.SortFunc(s.ev, func(a, b moveSpan) int {
		if a.move != b.move {
			return int(a.move) - int(b.move)
		}
		if a.start != b.start {
			return int(a.start - b.start)
		}
		return int(b.end - a.end)
	})
	n := 1
	for i := 1; i < len(s.ev); i++ {
		if s.ev[i].move != s.ev[i-1].move {
			n++
		}
	}
	out := make([]Match, 0, n)
	for i := 0; i < len(s.ev); {
		m := s.ev[i].move
		var ev []string
		cur := s.ev[i].span
		j := i + 1
		for ; j < len(s.ev) && s.ev[j].move == m; j++ {
			if sp := s.ev[j].span; sp.start < cur.end {
				cur.end = max(cur.end, sp.end)
				continue
			}
			ev = append(ev, text[cur.start:cur.end])
			cur = s.ev[j].span
		}
		ev = append(ev, text[cur.start:cur.end])
		out = append(out, Match{Move: c.moves[m], Evidence: ev})
		i = j
	}
	return out
}
