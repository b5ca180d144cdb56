package moves

import (
	"encoding/binary"
	bits64 "math/bits"
	"slices"
)

// Matching: every token starts a walk of the automaton, and every path that reaches an
// entry's end records a hit. Word sets ("{frustrat*|upset|angry}") are tested by bit:
// each token carries the sets it belongs to, a row of bits computed once per spelling
// when the classifier is built (see indexTokens).

// indexSets records, for every word and prefix, the sets it belongs to, so that a token's
// set membership is computed once per message rather than once per trie edge.
func (c *Classifier) indexSets() {
	a := c.auto
	w := a.setWords
	a.wordSets = make([]uint64, len(c.words.flag)*w)
	a.inSet = make([]bool, len(c.words.flag))
	a.wordBits = make([]filter, len(c.words.flag))
	a.preBits = make([]uint64, len(c.prefixes.ids))
	a.preSets = make([]uint64, len(c.prefixes.ids)*w)
	for id := range a.wordBits {
		a.wordBits[id].words = anyToken | wordFilter(int32(id))
	}
	for id, set := range a.sets {
		bit := uint64(1) << (id & 63)
		for word := range set.words {
			a.wordSets[int(word)*w+id>>6] |= bit
			a.inSet[word] = true
			a.wordBits[word].sets |= setFilter(int32(id))
		}
		for p := range len(c.prefixes.ids) {
			if set.pm[p>>6]&(1<<(p&63)) != 0 {
				a.preSets[p*w+id>>6] |= bit
				a.preBits[p] |= setFilter(int32(id))
			}
		}
	}
}

// expandSet is the size up to which a set edge's words go into a filter one by one: a
// rare word is in few sets but a common one is in dozens, whose folded bits would let it
// through most set edges.
const expandSet = 8

// indexFilters gives every edge its target's filter on the next token (see fedge).
func (c *Classifier) indexFilters() {
	a := c.auto
	next := make([]filter, len(a.nodes))
	for ni := range a.nodes {
		f := &a.nodes[ni]
		if f.unfiltered() {
			next[ni] = always
			continue
		}
		x := &next[ni]
		for _, e := range a.edges[f.edgeLo : f.edgeLo+int32(f.wordHi)] {
			x.words |= wordFilter(e.id)
		}
		for _, e := range a.edges[f.edgeLo+int32(f.clsHi) : f.edgeLo+int32(f.setHi)] {
			set := &a.sets[e.id]
			if set.pm != [prefixWords]uint64{} || len(set.words) > expandSet {
				x.sets |= setFilter(e.id)
				continue
			}
			for id := range set.words {
				x.words |= wordFilter(id)
			}
		}
	}
	for i := range a.edges {
		e := &a.edges[i]
		e.next, e.accept = next[e.to], a.nodes[e.to].accept
	}
}

// afterOf returns the filter on the token after the one that takes edge e. A walk that
// enters the target of e goes on only along the target's own edges, so that token must
// pass one of their filters (see fedge); if the target has ends or edges the filter
// cannot judge, it is always.
func (a *automaton) afterOf(e *fedge) filter {
	if e.next == always {
		return always
	}
	var f filter
	n := &a.nodes[e.to]
	for _, ce := range a.edges[n.edgeLo : n.edgeLo+int32(n.setHi)] {
		f.add(ce.next)
	}
	return f
}

// wideAccept is the number of words above which a node records the words it takes:
// the filter bits of fedge tell the words of a narrower node apart, but not those of a
// node that takes a large set or a long list of words ("i" is followed by hundreds).
const wideAccept = 8

// indexAccept gives every wide node a bitset of the vocabulary ids its word and set
// edges take. A walk does not go down an edge to such a node with a word it does not
// take: the node has no ends and no other edges (it would pass every filter otherwise),
// so the walk could do nothing there.
//
// Every other node shares the bitset at offset 0, which takes everything, so that the
// test needs no branch. Two columns past the vocabulary stand for the tokens that have
// no id of their own (see token.col): a word outside the vocabulary, which no wide node
// takes, and a word that matches a prefix pattern ("frustrat*"), which may be in a set
// by its prefix and is let through.
func (c *Classifier) indexAccept() {
	a := c.auto
	w := a.setWords
	nv := len(c.words.flag)
	a.outside, a.prefixed = int32(nv), int32(nv+1)
	a.acceptWords = int32((nv + 2 + 63) / 64)
	a.accept = make([]uint64, a.acceptWords)
	for i := range a.accept {
		a.accept[i] = ^uint64(0)
	}
	seen := make(map[string]int32)
	acc := make([]uint64, a.acceptWords)
	key := make([]byte, 0, 8*len(acc))
	for ni := range a.nodes {
		f := &a.nodes[ni]
		f.accept = 0
		if f.unfiltered() {
			continue
		}
		clear(acc)
		for _, e := range a.edges[f.edgeLo : f.edgeLo+int32(f.wordHi)] {
			acc[e.id>>6] |= 1 << (e.id & 63)
		}
		for _, e := range a.edges[f.edgeLo+int32(f.clsHi) : f.edgeLo+int32(f.setHi)] {
			for id := range nv {
				if a.wordSets[id*w+int(e.id>>6)]&(1<<(e.id&63)) != 0 {
					acc[id>>6] |= 1 << (id & 63)
				}
			}
		}
		n := 0
		for _, x := range acc {
			n += bits64.OnesCount64(x)
		}
		if n <= wideAccept {
			continue
		}
		acc[a.prefixed>>6] |= 1 << (a.prefixed & 63)
		key = key[:0]
		for _, x := range acc {
			key = binary.LittleEndian.AppendUint64(key, x)
		}
		off, ok := seen[string(key)]
		if !ok {
			off = int32(len(a.accept))
			a.accept = append(a.accept, acc...)
			seen[string(key)] = off
		}
		f.accept = off
	}
}

// indexRoot lists, for every word, the root edges it takes: the root is visited once per
// token and is the widest node, so ordinary words skip its dispatch altogether. The
// edges are copied out, in the order match follows them: its word edge, then its set
// edges in the root's order.
func (c *Classifier) indexRoot() {
	a := c.auto
	root := &a.nodes[0]
	w := a.setWords
	words := a.edges[root.edgeLo : root.edgeLo+int32(root.wordHi)]
	sets := a.edges[root.edgeLo+int32(root.clsHi) : root.edgeLo+int32(root.setHi)]
	a.roots = make([]rootRun, len(c.words.flag))
	// The runs of common words first (the vocabulary's order, see vocab.seal), so that
	// the runs most messages need lie together.
	ids := make([]int32, 0, len(c.words.flag))
	seen := make([]bool, len(c.words.flag))
	for _, sp := range c.words.spell {
		if !seen[sp.id] {
			seen[sp.id] = true
			ids = append(ids, sp.id)
		}
	}
	for _, id := range ids {
		r := &a.roots[id]
		r.lo = int32(len(a.rootEdges))
		for _, e := range words {
			if e.id == id {
				a.rootEdges = append(a.rootEdges, rootEdge{e.next, a.afterOf(&e), e.to, e.accept})
				r.next.add(e.next)
			}
		}
		for _, e := range sets {
			if a.wordSets[int(id)*w+int(e.id>>6)]&(1<<(e.id&63)) != 0 {
				a.rootEdges = append(a.rootEdges, rootEdge{e.next, a.afterOf(&e), e.to, e.accept})
				r.next.add(e.next)
			}
		}
		r.hi = int32(len(a.rootEdges))
	}
	a.rootCls = slices.Clone(a.edges[root.edgeLo+int32(root.preHi) : root.edgeLo+int32(root.clsHi)])
	for _, e := range a.rootCls {
		a.rootClsNeed |= classNeeds(e.id)
	}
}

// indexTokens precomputes what a token takes from its word, so that tokenizing a word
// is one table lookup: for every spelling in the vocabulary, and for every node of the
// prefix trie (the words outside the vocabulary), the token's flags, its sets, its
// filter bits and its root edges. The set bitsets are interned as rows of
// automaton.rows; row 0 is empty.
func (c *Classifier) indexTokens() {
	a := c.auto
	w := a.setWords
	rowIDs := make(map[string]int32)
	key := make([]byte, 0, 8*w)
	intern := func(bits []uint64) int32 {
		key = key[:0]
		for _, b := range bits {
			key = binary.LittleEndian.AppendUint64(key, b)
		}
		if r, ok := rowIDs[string(key)]; ok {
			return r
		}
		r := int32(len(a.rows) / max(w, 1))
		a.rows = append(a.rows, bits...)
		rowIDs[string(key)] = r
		return r
	}
	a.rows = nil
	intern(make([]uint64, w))
	a.idRow = make([]int32, len(c.words.flag))
	for _, sp := range c.words.spell { // common words first, as in vocab.seal
		if id := int(sp.id); a.inSet[id] && a.idRow[id] == 0 {
			a.idRow[id] = intern(a.wordSets[id*w : (id+1)*w])
		}
	}
	// fill completes sp, of vocabulary id sp.id or -1, for the prefix trie node pre.
	fill := func(sp *spelling, pre int32) {
		t := a.bareToken(sp.id)
		sp.flags = t.flags | c.words.flags(sp.id)
		sp.pre, sp.bits, sp.col = uint16(pre), t.bits, t.col
		sp.root = t.root
		bits := slices.Clone(a.rows[int(t.row)*w : int(t.row+1)*w])
		if pm := c.prefixes.nodes[pre].pm; pm != [prefixWords]uint64{} {
			sp.flags |= tPrefix | tInSet
			sp.col = a.prefixed
			for pw, m := range pm {
				for x := m; x != 0; x &= x - 1 {
					p := pw<<6 + bits64.TrailingZeros64(x)
					sp.bits.sets |= a.preBits[p]
					for k, v := range a.preSets[p*w : (p+1)*w] {
						bits[k] |= v
					}
				}
			}
		}
		sp.row = intern(bits)
	}
	a.preEnt = make([]spelling, len(c.prefixes.nodes))
	for n := range a.preEnt {
		a.preEnt[n].id, a.preEnt[n].aux = -1, -1
		fill(&a.preEnt[n], int32(n))
	}
	for i := range c.words.spell {
		fill(&c.words.spell[i], c.prefixes.matchBytes([]byte(c.words.words[i])))
		if ntForm(c.words.words[i]) {
			c.words.spell[i].flags |= wNeg // the tokenizer tests only other words
		}
	}
	a.slashID = c.words.lookup([]byte("/s"))
}

// bareToken is the token of vocabulary id (or -1) before any flag of the word or of
// its place: its sets, its filter bits and its root edges.
func (a *automaton) bareToken(id int32) token {
	t := token{id: id, bits: filter{words: anyToken}, col: a.outside, aux: -1}
	if id >= 0 {
		t.col = id
		t.bits = a.wordBits[id]
		t.root = a.roots[id].next
		if a.inSet[id] {
			t.flags |= tInSet
			t.row = a.idRow[id]
		}
	}
	return t
}

// match walks the automaton from every token, within the token's sentence, and records
// a hit for every path that reaches an entry's end.
//
// A walk is a depth-first search, with an explicit stack rather than recursion: hits
// are recorded when a node is entered, so pushing a node's children in reverse visits
// them, and records the hits, in the same order as recursion would, without a call per
// step. Before it pushes an edge the walk checks the edge's filter against the token
// after it: most edges die on the very next word, and this test costs no load of the
// node they lead to.
func (c *Classifier) match(s *scratch) {
	a := c.auto
	toks := s.toks
	// First the tokens that may start a match at all: a word's root edges are ruled out
	// together when the next word passes none of their filters, which is most of the
	// time. The test is all but random, so it is made without a branch over every token
	// and only the candidates are walked from.
	cands := slices.Grow(s.cands[:0], len(toks))[:len(toks)]
	n := 0
	for si := range s.sents {
		end := s.sents[si].last + 1
		for p := s.sents[si].first; p < end; p++ {
			t := &toks[p]
			cands[n] = p
			n += t.root.admits(s.bitsAt(p+1, end)) | int(t.flags>>tPrefixBit&1) | nonZero(t.flags&a.rootClsNeed)
		}
	}
	s.cands = cands
	stack := s.stack // kept in s only at the end, see tokenize
	for _, p := range cands[:n] {
		t := &toks[p]
		end := s.sents[t.sent].last + 1
		stack = stack[:0]
		if t.flags&tPrefix != 0 {
			stack = append(stack, frame{0, p})
		} else {
			// Other words take the root's word and set edges listed for them (a word
			// outside the vocabulary has none), and class edges.
			next, col := s.bitsAt(p+1, end), s.colAt(p+1, end)
			if t.root.passes(next) { // only a word of the vocabulary has root edges
				// Every frame is written, and kept or not without a branch.
				run := a.rootEdges[a.roots[t.id].lo:a.roots[t.id].hi]
				after := s.bitsAt(p+2, end)
				stack = slices.Grow(stack, len(run))[:len(run)]
				n := 0
				for k := range run {
					e := &run[k]
					stack[n] = frame{e.to, p + 1}
					n += e.next.admits(next) & e.after.admits(after) & a.acceptBit(e.accept, col)
				}
				stack = stack[:n]
			}
			if t.flags&a.rootClsNeed != 0 {
				for k := range a.rootCls {
					if e := &a.rootCls[k]; c.class(t, e.id) && a.takes(e, next, col) != 0 {
						stack = append(stack, frame{e.to, p + 1})
					}
				}
			}
			if len(stack) == 0 {
				continue
			}
			slices.Reverse(stack)
		}
		stack = c.walk(s, stack, p, end)
	}
	s.stack = stack
}

// nonZero is 1 when x is not 0, without a branch.
func nonZero(x uint32) int { return int((uint64(x) | -uint64(x)) >> 63) }

// frame is a step of a walk still to take: node to enter at token p.
type frame struct{ node, p int32 }

// takes reports whether a walk goes down edge e to meet a token whose filter bits are
// next and whose column is col (see bitsAt and colAt): the edge's filter must let the
// token through, and the target must take its word (see indexAccept). It is 0 or 1,
// computed without a branch: which edges a word takes is all but random, and mispredicted
// branches would cost more than the arithmetic.
func (a *automaton) takes(e *fedge, next filter, col int32) int {
	return e.next.admits(next) & a.acceptBit(e.accept, col)
}

// acceptBit is bit col of the accept bitset at off, 0 or 1.
func (a *automaton) acceptBit(off, col int32) int {
	return int(a.accept[off+col>>6] >> (col & 63) & 1)
}

// colAt returns the accept column of token p of a sentence that ends before end. Past
// the end it is 0, whatever: only the edges that let everything through remain, and
// those take every column.
func (s *scratch) colAt(p, end int32) int32 {
	if p < end {
		return s.toks[p].col
	}
	return 0
}

// bitsAt returns the filter bits of token p of a sentence that ends before end.
func (s *scratch) bitsAt(p, end int32) filter {
	if p < end {
		return s.toks[p].bits
	}
	return pastEnd
}

// walk runs the walks of stack, which began at token start, in a sentence that ends
// before token end. It returns the stack, empty, for reuse.
func (c *Classifier) walk(s *scratch, stack []frame, start, end int32) []frame {
	a := c.auto
	nodes, edges, toks := a.nodes, a.edges, s.toks
	for len(stack) > 0 {
		fr := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		ni, p := fr.node, fr.p
		f := &nodes[ni]
		if f.nEnds > 0 {
			for _, e := range a.ends[f.endLo : f.endLo+int32(f.nEnds)] {
				// Written field by field, for the reason pushWord gives.
				s.hits = slices.Grow(s.hits, 1)
				s.hits = s.hits[:len(s.hits)+1]
				h := &s.hits[len(s.hits)-1]
				h.entry, h.start, h.end, h.move, h.dead = e, start, p, c.entries[e].move, false
				s.maxHit = max(s.maxHit, p-start)
			}
		}
		base := len(stack)
		lo := f.edgeLo
		if p < end && f.setHi > 0 {
			t := &toks[p]
			next, col := s.bitsAt(p+1, end), s.colAt(p+1, end)
			if t.id >= 0 && f.wordHi > 0 {
				if k := a.next(ni, f, t.id); k >= 0 && a.takes(&edges[k], next, col) != 0 {
					stack = append(stack, frame{edges[k].to, p + 1})
				}
			}
			if t.flags&tPrefix != 0 {
				pm := &c.prefixes.nodes[t.pre].pm
				for k := lo + int32(f.wordHi); k < lo+int32(f.preHi); k++ {
					if e := &edges[k]; pm[e.id>>6]&(1<<(e.id&63)) != 0 && a.takes(e, next, col) != 0 {
						stack = append(stack, frame{e.to, p + 1})
					}
				}
			}
			for k := lo + int32(f.preHi); k < lo+int32(f.clsHi); k++ {
				if e := &edges[k]; c.class(t, e.id) && a.takes(e, next, col) != 0 {
					stack = append(stack, frame{e.to, p + 1})
				}
			}
			if f.setHi > f.clsHi && t.flags&tInSet != 0 {
				bits := a.rows[int(t.row)*a.setWords : int(t.row+1)*a.setWords]
				if f.mask >= 0 {
					for w, m := range a.masks[f.mask : int(f.mask)+a.setWords] {
						for x := m & bits[w]; x != 0; x &= x - 1 {
							k := a.setChild[int(f.mask)*64+w<<6+bits64.TrailingZeros64(x)]
							if e := &edges[k]; a.takes(e, next, col) != 0 {
								stack = append(stack, frame{e.to, p + 1})
							}
						}
					}
				} else {
					// As at the root: every frame is written, kept or not without a branch.
					n := len(stack)
					stack = slices.Grow(stack, int(f.setHi-f.clsHi))[:n+int(f.setHi-f.clsHi)]
					for k := lo + int32(f.clsHi); k < lo+int32(f.setHi); k++ {
						e := &edges[k]
						stack[n] = frame{e.to, p + 1}
						n += int(bits[e.id>>6]>>(e.id&63)&1) & a.takes(e, next, col)
					}
					stack = stack[:n]
				}
			}
		}
		for k := lo + int32(f.setHi); k < lo+int32(f.gapHi); k++ {
			g := &edges[k]
			for n := int32(0); n <= g.id; n++ {
				if n > 0 {
					q := p + n - 1
					if q >= end || toks[q].clause != toks[p-1].clause || toks[q].flags&(wNeg|wGapStop) != 0 {
						break
					}
				}
				if a.takes(g, s.bitsAt(p+n, end), s.colAt(p+n, end)) != 0 {
					stack = append(stack, frame{g.to, p + n})
				}
			}
		}
		if len(stack)-base > 1 {
			slices.Reverse(stack[base:])
		}
	}
	return stack
}

// classNeeds returns flags of which a token needs one to belong to class.
func classNeeds(class int32) uint32 {
	switch class {
	case classNum:
		return tDigit | wNum
	case className:
		return tTitle
	case classTime:
		return tClock
	}
	return ^uint32(0)
}

// class reports whether t belongs to a pattern class (<num>, <name>, <time>, _).
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
