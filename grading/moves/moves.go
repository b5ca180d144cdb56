// Package moves classifies an agent's chat message into the moves of scenarios.AllMoves.
//
// The classifier is made of rules and lexicons, not a model: the scripted customer runs
// it on every agent message and the grader quotes its evidence back to the trainee, so it
// has to be fast, deterministic and explainable. docs/moves.md is its specification.
package moves

import (
	"errors"
	"fmt"
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
	buf   []byte
	toks  []token
	sents []sentence
	bangs []span
	// exclamations counts the message's exclamation marks, for Reading.
	exclamations int32
	quotes       []span // sincere words in quotes
	qOpen        int32  // token index after an opening quotation mark, -1 when none is open
	qByte        int32  // where that quotation mark is
	hits         []hit
	stack        []frame // the walk's steps still to take
	cands        []int32 // the tokens a match may start at
	order        []int32 // veto hits, longest first
	maxHit       int32   // the most tokens any hit spans, which bounds overlap searches
	ev           []moveSpan
	keys         []uint64   // ev as sort keys
	merged       []moveSpan // ev sorted, overlapping passages merged
	moves        int        // the moves in merged
	caps         bool       // a token is in capitals
	// mixed records that the message has something a plain reading takes otherwise
	// (see Reading): a word with a letter, digit or apostrophe outside ASCII, an
	// emoji, "…", a carriage return, "/s", an apostrophe before a digit, a dot before
	// punctuation.
	mixed bool
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
	s.exclamations = 0
	s.quotes = s.quotes[:0]
	s.hits = s.hits[:0]
	s.order = s.order[:0]
	s.maxHit = 0
	s.ev = s.ev[:0]
	s.caps = false
	s.mixed = false
}

// maxText is the most of a message Classify reads. No chat message comes near it; the cap
// keeps every byte offset inside int32, and inside the 28 bits evKey packs one into.
const maxText = 1 << 28

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

// compile builds a classifier from a lexicon, reporting every malformed pattern.
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
		// A rule that only vetoes describes words, not a claim a negator could deny.
		if r.move == "" || slices.Contains(l.negProof, r.move) {
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
	setWords := (len(comp.sets) + 63) / 64
	c.auto = flatten(minimize(root), setWords)
	c.auto.sets, c.auto.setWords = comp.sets, setWords
	c.prefixes.seal()
	c.words.seal(l.wordWeights())
	c.indexSets()
	c.indexAccept()
	c.indexFilters()
	c.indexRoot()
	c.indexTokens()
	c.release()
	return c, nil
}

// release lets go of what only compiling needs: the garbage collector would otherwise
// scan its maps and strings at every collection for as long as the classifier lives.
func (c *Classifier) release() {
	c.auto.sets, c.auto.wordSets, c.auto.preSets = nil, nil, nil
	c.words.ids, c.words.words = nil, nil
	c.prefixes.ids = nil
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
	s, text := c.run(text, nil)
	out := c.result(s, text)
	c.done(s)
	return out
}

// run classifies text up to its matches, merged in s (see merge), filling r (when not
// nil) with what it read of text. It returns the text it read, at most maxText bytes;
// done returns s to the pool.
func (c *Classifier) run(text string, r *Reading) (*scratch, string) {
	whole := len(text) <= maxText
	if !whole {
		text = text[:maxText]
	}
	s := c.pool.Get().(*scratch)
	c.tokenize(s, text)
	if r != nil {
		r.fill(s, whole)
	}
	c.match(s)
	c.filter(s)
	c.limits(s)
	c.sarcasm(s)
	c.questions(s)
	c.shouting(s)
	c.merge(s)
	return s, text
}

func (c *Classifier) done(s *scratch) {
	if len(s.toks) <= maxScratch {
		c.pool.Put(s)
	}
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
	if len(s.order) > 1 {
		slices.SortStableFunc(s.order, func(a, b int32) int {
			ha, hb := &s.hits[a], &s.hits[b]
			return int((hb.end - hb.start) - (ha.end - ha.start))
		})
	}
	lastSent, lastVeto := int32(-1), uint64(0)
	for _, i := range s.order {
		h := &s.hits[i]
		e := &c.entries[h.entry]
		if h.dead {
			continue
		}
		lo, hi := h.start, h.end
		if e.opts&optSentence != 0 {
			sent := s.toks[h.start].sent
			if sent == lastSent && e.veto == lastVeto {
				continue // the sentence is already cleared of these moves
			}
			lastSent, lastVeto = sent, e.veto
			st := &s.sents[sent]
			lo, hi = st.first, st.last+1
		}
		from, to := s.overlapping(lo, hi)
		for j := from; j < to; j++ {
			o := &s.hits[j]
			if int32(j) != i && o.move >= 0 && e.veto&(1<<o.move) != 0 && o.start < hi && lo < o.end {
				o.dead = true
			}
		}
	}
}

// overlapping returns the index range of hits that may overlap tokens [lo, hi): hits are
// recorded in order of their first token, and none spans more than s.maxHit tokens, so
// the search stays linear in the size of the answer even on pathological input.
func (s *scratch) overlapping(lo, hi int32) (int, int) {
	return s.firstHit(lo - s.maxHit), s.firstHit(hi)
}

// firstHit returns the index of the first hit that starts at token t or after it.
func (s *scratch) firstHit(t int32) int {
	i, j := 0, len(s.hits)
	for i < j {
		h := int(uint(i+j) >> 1)
		if s.hits[h].start < t {
			i = h + 1
		} else {
			j = h
		}
	}
	return i
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
	lastHelp := int32(-1) // where the last live offer or escalation starts
	for i := range s.hits {
		if h := &s.hits[i]; !h.dead && (h.move == c.offer || h.move == c.escalate) {
			lastHelp = max(lastHelp, h.start)
		}
	}
	for i := range s.hits {
		h := &s.hits[i]
		limit := c.entries[h.entry].opts&optLimit != 0
		if h.dead || !limit && h.move != c.policy || lastHelp < h.end {
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
		// Bounded around the request, so that a pathological run-on sentence stays linear.
		st := &s.sents[s.toks[h.start].sent]
		first := max(st.first, h.start-askReach)
		if c.excluded(s, c.questionStart(s, first, h.start+1), min(st.last+1, h.end+askReach)) {
			h.dead = true
		}
	}
}

// askReach is how many words around a lexical request ("could you tell me") are searched
// for a move that makes it something else.
const askReach = 24

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
	from, to := s.overlapping(first, end)
	for i := from; i < to; i++ {
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

// shouting finds runs of capitalised words, messages mostly in capitals, and piles of
// exclamation marks.
func (c *Classifier) shouting(s *scratch) {
	if !s.caps {
		// Without a word in capitals only the exclamation marks can shout.
		for _, b := range s.bangs {
			s.ev = append(s.ev, moveSpan{c.shout, b})
		}
		return
	}
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
	if len(s.merged) == 0 {
		return nil
	}
	out, evidence := newResult(s.moves, len(s.merged))
	c.emit(s, text, out, evidence)
	return out
}

// merge collects the passages of the hits that survived, sorted by move and merged where
// they overlap, in s.merged, and counts their moves in s.moves.
func (c *Classifier) merge(s *scratch) {
	s.merged, s.moves = s.merged[:0], 0
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
		return
	}
	// Sort by move, then start, then longest first, as packed integers: a plain sort of
	// a few numbers, with no comparison function to call.
	s.keys = s.keys[:0]
	for _, e := range s.ev {
		s.keys = append(s.keys, evKey(e))
	}
	slices.Sort(s.keys)
	// Merge the overlapping passages of each move.
	moves := 0
	for i, k := range s.keys {
		e := evSpan(k)
		if n := len(s.merged); i > 0 && s.merged[n-1].move == e.move {
			if cur := &s.merged[n-1]; e.start < cur.end {
				cur.end = max(cur.end, e.end)
				continue
			}
		} else {
			moves++
		}
		s.merged = append(s.merged, e)
	}
	s.moves = moves
}

// emit writes the matches of s.merged to out, s.moves of them, and their evidence, as
// passages of text, to evidence, len(s.merged) of them.
func (c *Classifier) emit(s *scratch, text string, out []Match, evidence []string) {
	k := 0
	for i := 0; i < len(s.merged); k++ {
		m := s.merged[i].move
		j := i
		for ; j < len(s.merged) && s.merged[j].move == m; j++ {
			evidence[j] = text[s.merged[j].start:s.merged[j].end]
		}
		// Field by field: a Match built whole and copied would stall on store forwarding
		// (see scratch.pushWord).
		out[k].Move, out[k].Evidence = c.moves[m], evidence[i:j:j]
		i = j
	}
}

// newResult returns room for n matches and m pieces of evidence. An allocation costs
// more than all the rest of building the result, and every byte allocated brings the
// next garbage collection closer, so the usual shapes (one piece of evidence per move,
// a few moves) take one allocation of exactly their size.
func newResult(n, m int) ([]Match, []string) {
	if n == m {
		switch n {
		case 1:
			r := new(struct {
				m [1]Match
				e [1]string
			})
			return r.m[:], r.e[:]
		case 2:
			r := new(struct {
				m [2]Match
				e [2]string
			})
			return r.m[:], r.e[:]
		case 3:
			r := new(struct {
				m [3]Match
				e [3]string
			})
			return r.m[:], r.e[:]
		case 4:
			r := new(struct {
				m [4]Match
				e [4]string
			})
			return r.m[:], r.e[:]
		}
	}
	return make([]Match, n), make([]string, m)
}

// evKey packs an evidence span into a sort key: move, then start, then end descending.
// Offsets are at most maxText (1<<28) and an end is never 0.
func evKey(e moveSpan) uint64 {
	return uint64(e.move)<<56 | uint64(e.start)<<28 | uint64(maxText-e.end)
}

func evSpan(k uint64) moveSpan {
	return moveSpan{int8(k >> 56), span{int32(k >> 28 & (maxText - 1)), int32(maxText - k&(maxText-1))}}
}
