package moves

import (
	bits64 "math/bits"
	"slices"
)

// Matching: every token starts a walk of the automaton, and every path that reaches an
// entry's end records a hit. Word sets ("{frustrat*|upset|angry}") are tested by bit:
// each token carries the sets it belongs to, computed once per message.

// indexSets records, for every word and prefix, the sets it belongs to, so that a token's
// set membership is computed once per message rather than once per trie edge.
func (c *Classifier) indexSets() {
	w := c.auto.setWords
	c.auto.wordSets = make([]uint64, len(c.words.flag)*w)
	c.auto.inSet = make([]bool, len(c.words.flag))
	c.auto.wordFold = make([]uint64, len(c.words.flag))
	c.auto.preFold = make([]uint64, len(c.prefixes.ids))
	c.auto.preSets = make([]uint64, len(c.prefixes.ids)*w)
	for id, set := range c.auto.sets {
		bit := uint64(1) << (id & 63)
		for word := range set.words {
			c.auto.wordSets[int(word)*w+id>>6] |= bit
			c.auto.inSet[word] = true
			c.auto.wordFold[word] |= fold64(int32(id))
		}
		for p := range len(c.prefixes.ids) {
			if set.pm[p>>6]&(1<<(p&63)) != 0 {
				c.auto.preSets[p*w+id>>6] |= bit
				c.auto.preFold[p] |= fold64(int32(id))
			}
		}
	}
}

// indexRoot lists, for every word, the root edges it takes: the root is visited once per
// token and is the widest node, so ordinary words skip its dispatch altogether.
func (c *Classifier) indexRoot() {
	a := c.auto
	root := &a.nodes[0]
	w := c.auto.setWords
	c.auto.rootLo = make([]int32, len(c.words.flag)+1)
	for id := range int32(len(c.words.flag)) {
		c.auto.rootLo[id] = int32(len(c.auto.rootEdges))
		for k := root.wordLo; k < root.wordHi; k++ {
			if a.edges[k].id == id {
				c.auto.rootEdges = append(c.auto.rootEdges, k)
			}
		}
		for k := root.setLo; k < root.setHi; k++ {
			set := a.edges[k].id
			if c.auto.wordSets[int(id)*w+int(set>>6)]&(1<<(set&63)) != 0 {
				c.auto.rootEdges = append(c.auto.rootEdges, k)
			}
		}
	}
	c.auto.rootLo[len(c.words.flag)] = int32(len(c.auto.rootEdges))
}

// tokenSets fills s.setBits with each token's set membership.
func (c *Classifier) tokenSets(s *scratch) {
	w := c.auto.setWords
	s.setBits = slices.Grow(s.setBits[:0], len(s.toks)*w)[:len(s.toks)*w]
	clear(s.setBits)
	for i := range s.toks {
		t := &s.toks[i]
		dst := s.setBits[i*w : (i+1)*w]
		t.wordBit, t.setBits = 0, 0
		if t.id >= 0 {
			t.wordBit = fold64(t.id)
		}
		if t.id >= 0 && c.auto.inSet[t.id] {
			copy(dst, c.auto.wordSets[int(t.id)*w:int(t.id+1)*w])
			t.flags |= tInSet
			t.setBits = c.auto.wordFold[t.id]
		}
		if t.flags&tPrefix != 0 {
			t.flags |= tInSet
			for pw, m := range t.pm {
				for x := m; x != 0; x &= x - 1 {
					p := pw<<6 + bits64.TrailingZeros64(x)
					t.setBits |= c.auto.preFold[p]
					for k, v := range c.auto.preSets[p*w : (p+1)*w] {
						dst[k] |= v
					}
				}
			}
		}
	}
}

// match starts a walk at every token, within the token's sentence.
func (c *Classifier) match(s *scratch) {
	c.tokenSets(s)
	a := c.auto
	root := &a.nodes[0]
	for i := range s.toks {
		t := &s.toks[i]
		p := int32(i)
		end := s.sents[t.sent].last + 1
		if t.id < 0 || t.flags&tPrefix != 0 {
			c.walk(s, 0, p, p, end)
			continue
		}
		for _, k := range c.auto.rootEdges[c.auto.rootLo[t.id]:c.auto.rootLo[t.id+1]] {
			c.follow(s, &a.edges[k], p+1, p, end)
		}
		for k := root.clsLo; k < root.clsHi; k++ {
			if e := &a.edges[k]; c.class(t, e.id) {
				c.follow(s, e, p+1, p, end)
			}
		}
	}
}

// walk records the hits that end at node ni and follows the edges that token p takes.
// start is the token the walk began at; end is the end of its sentence.
func (c *Classifier) walk(s *scratch, ni, p, start, end int32) {
	a := c.auto
	f := &a.nodes[ni]
	for _, e := range a.ends[f.endLo:f.endHi] {
		s.hits = append(s.hits, hit{entry: e, start: start, end: p, move: c.entries[e].move})
		s.maxHit = max(s.maxHit, p-start)
	}
	if p < end {
		t := &s.toks[p]
		if t.id >= 0 {
			if e := a.next(f, t.id); e != nil {
				c.follow(s, e, p+1, start, end)
			}
		}
		if t.flags&tPrefix != 0 {
			for k := f.preLo; k < f.preHi; k++ {
				if e := &a.edges[k]; t.pm[e.id>>6]&(1<<(e.id&63)) != 0 {
					c.follow(s, e, p+1, start, end)
				}
			}
		}
		for k := f.clsLo; k < f.clsHi; k++ {
			if e := &a.edges[k]; c.class(t, e.id) {
				c.follow(s, e, p+1, start, end)
			}
		}
		if f.setHi > f.setLo && t.flags&tInSet != 0 {
			bits := s.setBits[int(p)*c.auto.setWords : int(p+1)*c.auto.setWords]
			if f.mask >= 0 {
				for w, m := range a.masks[f.mask : int(f.mask)+c.auto.setWords] {
					for x := m & bits[w]; x != 0; x &= x - 1 {
						c.follow(s, &a.edges[a.setChild[int(f.mask)*64+w<<6+bits64.TrailingZeros64(x)]], p+1, start, end)
					}
				}
			} else {
				for k := f.setLo; k < f.setHi; k++ {
					if e := &a.edges[k]; bits[e.id>>6]&(1<<(e.id&63)) != 0 {
						c.follow(s, e, p+1, start, end)
					}
				}
			}
		}
	}
	for k := f.gapLo; k < f.gapHi; k++ {
		g := &a.edges[k]
		for n := int32(0); n <= g.id; n++ {
			if n > 0 {
				q := p + n - 1
				if q >= end || s.toks[q].clause != s.toks[p-1].clause || s.toks[q].flags&(wNeg|wGapStop) != 0 {
					break
				}
			}
			c.follow(s, g, p+n, start, end)
		}
	}
}

// follow walks on along e unless its target can take neither the end of a match nor the
// token at p: most edges die on the very next word, and this test costs no node load.
func (c *Classifier) follow(s *scratch, e *fedge, p, start, end int32) {
	if !e.always && (p >= end || e.nextWords&s.toks[p].wordBit == 0 && e.nextSets&s.toks[p].setBits == 0) {
		return
	}
	c.walk(s, e.to, p, start, end)
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
