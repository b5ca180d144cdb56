package moves

import (
	"maps"
	"math"
	"slices"
	"strconv"
)

// wordSet is the compiled form of a group such as {frustrat*|upset|angry}.
type wordSet struct {
	words map[int32]struct{}
	pm    [prefixWords]uint64
}

// node is a state of the pattern trie while it is built; minimize merges its identical
// subtrees and flatten turns it into the automaton that Classify walks.
type node struct {
	words map[int32]*node
	pre   []edge
	cls   []edge
	sets  []edge
	gaps  []edge // id is the gap's maximum length
	ends  []int32
}

type edge struct {
	id int32
	n  *node
}

// insert adds one expanded pattern, ending in entry.
func (n *node) insert(seq []atom, entry int32) {
	for _, a := range seq {
		var list *[]edge
		switch a.kind {
		case atomWord:
			if n.words == nil {
				n.words = make(map[int32]*node)
			}
			next := n.words[a.id]
			if next == nil {
				next = &node{}
				n.words[a.id] = next
			}
			n = next
			continue
		case atomPrefix:
			list = &n.pre
		case atomClass:
			list = &n.cls
		case atomGap:
			list = &n.gaps
		case atomSet:
			list = &n.sets
		}
		var next *node
		for _, e := range *list {
			if e.id == a.id {
				next = e.n
				break
			}
		}
		if next == nil {
			next = &node{}
			*list = append(*list, edge{a.id, next})
		}
		n = next
	}
	for _, e := range n.ends {
		if e == entry {
			return
		}
	}
	n.ends = append(n.ends, entry)
}

// minimize merges the subtrees that accept the same continuations, bottom up, so that
// the shared tails of expanded alternatives ("… <feel>") exist once. The automaton stays
// acyclic and walk needs no change.
func minimize(root *node) *node {
	reg := make(map[string]*node)
	ids := make(map[*node]int)
	done := make(map[*node]*node)
	var buf []byte
	var canon func(n *node) *node
	canon = func(n *node) *node {
		if m, ok := done[n]; ok {
			return m
		}
		for k, c := range n.words {
			n.words[k] = canon(c)
		}
		for _, list := range [][]edge{n.pre, n.cls, n.sets, n.gaps} {
			for i := range list {
				list[i].n = canon(list[i].n)
			}
		}
		buf = n.signature(ids, buf)
		m, ok := reg[string(buf)]
		if !ok {
			m = n
			reg[string(buf)] = n
			ids[n] = len(ids)
		}
		done[n] = m
		return m
	}
	return canon(root)
}

// signature describes a node by its ends and its edges to already canonical children.
func (n *node) signature(ids map[*node]int, buf []byte) []byte {
	b := buf[:0]
	ends := slices.Clone(n.ends)
	slices.Sort(ends)
	for _, e := range ends {
		b = strconv.AppendInt(append(b, 'e'), int64(e), 36)
	}
	keys := make([]int32, 0, len(n.words))
	for k := range n.words {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b = strconv.AppendInt(append(b, 'w'), int64(k), 36)
		b = strconv.AppendInt(append(b, ':'), int64(ids[n.words[k]]), 36)
	}
	for tag, list := range [][]edge{n.pre, n.cls, n.sets, n.gaps} {
		l := slices.Clone(list)
		slices.SortFunc(l, func(a, b edge) int { return int(a.id - b.id) })
		for _, e := range l {
			b = strconv.AppendInt(append(b, byte('0'+tag)), int64(e.id), 36)
			b = strconv.AppendInt(append(b, ':'), int64(ids[e.n]), 36)
		}
	}
	return b
}

// automaton is the matching form of the trie: nodes and edges in flat arrays, so that a
// walk touches a few small, adjacent records instead of chasing pointers to large structs.
// Matching is bound more by the latency of its loads than by arithmetic, so what a step
// of a walk needs is copied to where the step before it already looks (filters into
// edges, root edges into a token's run) and the shallow nodes lie together.
type automaton struct {
	// sets, wordSets and preSets serve only while compiling (see Classifier.release).
	sets     []wordSet
	setWords int      // uint64 words in a token's set bitset
	wordSets []uint64 // per vocabulary id, the sets that contain the word
	preSets  []uint64 // per prefix id, the sets that contain the prefix
	inSet    []bool   // per vocabulary id, whether any set contains the word
	wordBits []filter // per vocabulary id, its filter bits (see fedge)
	preBits  []uint64 // per prefix id, the filter bits of its sets
	// The root's edges by vocabulary id, copied out in the order match follows them:
	// the root is visited once per token and is the widest node, so a word goes straight
	// to the few edges it takes.
	roots       []rootRun // per vocabulary id
	rootEdges   []rootEdge
	rootCls     []fedge    // the root's class edges
	rootClsNeed uint32     // flags of which a token needs one to take any of them
	rows        []uint64   // interned set bitsets, setWords each; tokens name theirs by row
	idRow       []int32    // per vocabulary id, the row of its sets
	preEnt      []spelling // per prefix trie node, what a word outside the vocabulary inherits
	slashID     int32      // the vocabulary id of "/s", -1 when no pattern uses it

	nodes    []fnode
	edges    []fedge   // runs of it are a node's word, prefix, class, set and gap edges
	ends     []int32   // entries that end at a node
	wide     []wideKey // word edges of wide nodes, an open-addressing table
	wideMask uint32
	// The words that wide nodes accept, a bitset over vocabulary ids (see indexAccept).
	accept      []uint64
	acceptWords int32
	outside     int32    // the column of words outside the vocabulary
	prefixed    int32    // the column of words that match a prefix pattern
	masks       []uint64 // set bitsets of nodes with many set edges
	setChild    []int32  // by set id, for those nodes: the index of the set edge in edges
}

// fnode is a node: its edges are one run of automaton.edges, words (sorted by id), then
// prefixes, classes, sets and gaps, each kind ending at the offset given here.
type fnode struct {
	edgeLo int32
	endLo  int32 // its entries in automaton.ends
	nEnds  uint16
	wordHi uint16 // offsets from edgeLo
	preHi  uint16
	clsHi  uint16
	setHi  uint16
	gapHi  uint16 // an edge id here is the gap's maximum length
	mask   int32  // offset in masks (setWords words) and /64 in setChild, -1 for none
	accept int32  // offset in automaton.accept
}

// unfiltered reports whether a walk enters the node whatever the next word is: it has
// ends, or prefix, class or gap edges, which the filter on the next token cannot judge.
func (f *fnode) unfiltered() bool {
	return f.nEnds > 0 || f.preHi > f.wordHi || f.clsHi > f.preHi || f.gapHi > f.setHi
}

// Above these edge counts a node finds its word edge in automaton.wide and dispatches
// its set edges by bitset; below them a short scan is faster.
const (
	manyWords = 6
	manySets  = 8
)

// wideKey is a slot of automaton.wide: the word edge of node for word id.
type wideKey struct {
	node, id int32
	edge     int32 // -1 for an empty slot
}

// rootEdge is an edge from the root with what match needs to test it, together: the
// filter on the next token and on the one after it (see afterOf), and the target's
// accept offset.
type rootEdge struct {
	next, after filter
	to, accept  int32
}

// rootRun is a word's run of root edges, and their filters combined: for most words
// the next token rules out every one of them at once.
type rootRun struct {
	next   filter
	lo, hi int32
}

// fedge carries its target's filter on the next token, so that a dead end is recognised
// without loading the target node: the filter bits of the target's word and set edges
// (see token.bits), or always when the target has ends, or prefix, class or gap edges,
// which the filter cannot judge. A wide target's word bitset is also checked before the
// walk goes down the edge (see automaton.takes).
type fedge struct {
	next   filter
	id, to int32
	accept int32 // the target's accept offset (see fnode)
}

// filter is a token's word and sets folded to 64 bits each (token.bits), or what an edge
// lets through (fedge.next). Every token has the anyToken bit, so an edge that the filter
// cannot judge has all bits.
type filter struct{ words, sets uint64 }

const anyToken uint64 = 1 << 63

var (
	always  = filter{^uint64(0), ^uint64(0)}
	pastEnd = filter{words: anyToken} // the bits past a sentence's end: only always passes
)

func wordFilter(id int32) uint64 { return 1 << (uint32(id) % 63) }
func setFilter(id int32) uint64  { return 1 << (uint32(id) % 64) }

// passes reports whether a token with filter bits t may take an edge that lets f through.
func (f filter) passes(t filter) bool { return f.words&t.words|f.sets&t.sets != 0 }

// admits is passes as 0 or 1, computed without a branch.
func (f filter) admits(t filter) int {
	x := f.words&t.words | f.sets&t.sets
	return int((x | -x) >> 63)
}

func (f *filter) add(g filter) { f.words, f.sets = f.words|g.words, f.sets|g.sets }

func wideHash(node, id int32) uint32 {
	return uint32((uint64(node)<<32 | uint64(uint32(id))) * 0x9E3779B97F4A7C15 >> 32)
}

// flatten lays the (minimised) trie out as an automaton; node 0 is the root.
func flatten(root *node, setWords int) *automaton {
	a := &automaton{}
	// Number the nodes breadth first, children in edge order: the shallow nodes, where
	// nearly every walk goes and most stop, then lie together in a few cache lines, and
	// the layout is the same from run to run.
	index := map[*node]int32{root: 0}
	order := []*node{root}
	for i := 0; i < len(order); i++ {
		n := order[i]
		words := slices.Sorted(maps.Keys(n.words))
		children := make([]*node, 0, len(words))
		for _, id := range words {
			children = append(children, n.words[id])
		}
		for _, list := range [][]edge{n.pre, n.cls, n.sets, n.gaps} {
			for _, e := range list {
				children = append(children, e.n)
			}
		}
		for _, c := range children {
			if _, ok := index[c]; !ok {
				index[c] = int32(len(order))
				order = append(order, c)
			}
		}
	}
	a.nodes = make([]fnode, len(order))
	add := func(list []edge) int32 {
		for _, e := range list {
			a.edges = append(a.edges, fedge{id: e.id, to: index[e.n]})
		}
		return int32(len(a.edges))
	}
	var wide []wideKey
	for i, n := range order {
		f := fnode{mask: -1, edgeLo: int32(len(a.edges))}
		f.endLo = int32(len(a.ends))
		a.ends = append(a.ends, n.ends...)
		f.nEnds = uint16(len(n.ends))
		words := make([]edge, 0, len(n.words))
		for id, c := range n.words {
			words = append(words, edge{id, c})
		}
		slices.SortFunc(words, func(a, b edge) int { return int(a.id - b.id) })
		rel := func(hi int32) uint16 {
			if hi-f.edgeLo > math.MaxUint16 {
				panic("moves: a pattern node has too many edges")
			}
			return uint16(hi - f.edgeLo)
		}
		f.wordHi = rel(add(words))
		if len(words) > manyWords {
			for k := f.edgeLo; k < f.edgeLo+int32(f.wordHi); k++ {
				wide = append(wide, wideKey{int32(i), a.edges[k].id, k})
			}
		}
		f.preHi = rel(add(n.pre))
		f.clsHi = rel(add(n.cls))
		setLo := int32(len(a.edges))
		f.setHi = rel(add(n.sets))
		if len(n.sets) > manySets {
			f.mask = int32(len(a.masks))
			a.masks = append(a.masks, make([]uint64, setWords)...)
			a.setChild = append(a.setChild, make([]int32, setWords*64)...)
			for k := setLo; k < int32(len(a.edges)); k++ {
				id := a.edges[k].id
				a.masks[int(f.mask)+int(id>>6)] |= 1 << (id & 63)
				a.setChild[int(f.mask)*64+int(id)] = k
			}
		}
		f.gapHi = rel(add(n.gaps))
		a.nodes[i] = f
	}
	size := 16
	for size < 2*len(wide) {
		size <<= 1
	}
	a.wide = make([]wideKey, size)
	a.wideMask = uint32(size - 1)
	for i := range a.wide {
		a.wide[i].edge = -1
	}
	for _, w := range wide {
		k := wideHash(w.node, w.id) & a.wideMask
		for a.wide[k].edge >= 0 {
			k = (k + 1) & a.wideMask
		}
		a.wide[k] = w
	}
	return a
}

// next finds the word edge for id from node ni, or returns -1.
func (a *automaton) next(ni int32, f *fnode, id int32) int32 {
	if f.wordHi > manyWords {
		for k := wideHash(ni, id) & a.wideMask; ; k = (k + 1) & a.wideMask {
			w := &a.wide[k]
			if w.edge < 0 {
				return -1
			}
			if w.node == ni && w.id == id {
				return w.edge
			}
		}
	}
	for k := f.edgeLo; k < f.edgeLo+int32(f.wordHi); k++ {
		if e := &a.edges[k]; e.id >= id {
			if e.id == id {
				return k
			}
			break
		}
	}
	return -1
}
