package moves

import (
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

// Above these edge counts a node indexes its word edges densely and dispatches its set
// edges by bitset; below them a short scan is faster.
const (
	manyWords = 24
	manySets  = 8
)

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
type automaton struct {
	sets      []wordSet
	setWords  int      // uint64 words in a token's set bitset
	wordSets  []uint64 // per vocabulary id, the sets that contain the word
	preSets   []uint64 // per prefix id, the sets that contain the prefix
	inSet     []bool   // per vocabulary id, whether any set contains the word
	wordFold  []uint64 // wordSets and preSets folded to 64 bits, for the next-token filter
	preFold   []uint64
	rootLo    []int32 // per vocabulary id, its range in rootEdges: the root edges it takes
	rootEdges []int32

	nodes    []fnode
	edges    []fedge  // ranges of it are a node's word, prefix, class, set and gap edges
	ends     []int32  // entries that end at a node
	dense    []int32  // word tables of wide nodes, by word id: edge index+1, 0 for none
	masks    []uint64 // set bitsets of nodes with many set edges
	setChild []int32  // by set id, for those nodes: the index of the set edge in edges
}

type fnode struct {
	endLo, endHi   int32
	wordLo, wordHi int32 // sorted by word id; unused when dense >= 0
	dense          int32 // offset in automaton.dense, -1 when the node lists its words
	preLo, preHi   int32
	clsLo, clsHi   int32
	setLo, setHi   int32
	mask           int32 // offset in masks (setWords words) and /64 in setChild, -1 for none
	gapLo, gapHi   int32 // an edge id here is the gap's maximum length
	// A filter on the next token, checked before entering the node: the word ids and set
	// ids of its word and set edges, folded to 64 bits. A node with ends, or with prefix,
	// class or gap edges, is always entered.
	always    bool
	nextWords uint64
	nextSets  uint64
}

// fedge carries a copy of its target's next-token filter, so that a dead end is
// recognised without loading the target node.
type fedge struct {
	id, to    int32
	always    bool
	nextWords uint64
	nextSets  uint64
}

// fold64 maps an id to one of 64 filter bits.
func fold64(id int32) uint64 { return 1 << (uint32(id) & 63) }

// flatten lays the (minimised) trie out as an automaton; node 0 is the root.
func flatten(root *node, vocab, setWords int) *automaton {
	a := &automaton{}
	index := map[*node]int32{}
	var order []*node
	var number func(n *node)
	number = func(n *node) {
		if _, ok := index[n]; ok {
			return
		}
		index[n] = int32(len(order))
		order = append(order, n)
		for _, c := range n.words {
			number(c)
		}
		for _, list := range [][]edge{n.pre, n.cls, n.sets, n.gaps} {
			for _, e := range list {
				number(e.n)
			}
		}
	}
	number(root)
	a.nodes = make([]fnode, len(order))
	add := func(list []edge) (int32, int32) {
		lo := int32(len(a.edges))
		for _, e := range list {
			a.edges = append(a.edges, fedge{id: e.id, to: index[e.n]})
		}
		return lo, int32(len(a.edges))
	}
	for i, n := range order {
		f := fnode{dense: -1, mask: -1}
		f.endLo = int32(len(a.ends))
		a.ends = append(a.ends, n.ends...)
		f.endHi = int32(len(a.ends))
		words := make([]edge, 0, len(n.words))
		for id, c := range n.words {
			words = append(words, edge{id, c})
		}
		slices.SortFunc(words, func(a, b edge) int { return int(a.id - b.id) })
		f.wordLo, f.wordHi = add(words)
		if len(words) > manyWords {
			f.dense = int32(len(a.dense))
			a.dense = append(a.dense, make([]int32, vocab)...)
			for k := f.wordLo; k < f.wordHi; k++ {
				a.dense[int(f.dense)+int(a.edges[k].id)] = k + 1
			}
		}
		f.preLo, f.preHi = add(n.pre)
		f.clsLo, f.clsHi = add(n.cls)
		f.setLo, f.setHi = add(n.sets)
		if len(n.sets) > manySets {
			f.mask = int32(len(a.masks))
			a.masks = append(a.masks, make([]uint64, setWords)...)
			a.setChild = append(a.setChild, make([]int32, setWords*64)...)
			for _, e := range n.sets {
				a.masks[int(f.mask)+int(e.id>>6)] |= 1 << (e.id & 63)
				for k := f.setLo; k < f.setHi; k++ {
					if a.edges[k].id == e.id {
						a.setChild[int(f.mask)*64+int(e.id)] = k
					}
				}
			}
		}
		f.gapLo, f.gapHi = add(n.gaps)
		f.always = len(n.ends) > 0 || len(n.pre) > 0 || len(n.cls) > 0 || len(n.gaps) > 0
		for id := range n.words {
			f.nextWords |= fold64(id)
		}
		for _, e := range n.sets {
			f.nextSets |= fold64(e.id)
		}
		a.nodes[i] = f
	}
	for i := range a.edges {
		t := &a.nodes[a.edges[i].to]
		a.edges[i].always, a.edges[i].nextWords, a.edges[i].nextSets = t.always, t.nextWords, t.nextSets
	}
	return a
}

// next finds the word edge for id from node f, or returns nil.
func (a *automaton) next(f *fnode, id int32) *fedge {
	if f.dense >= 0 {
		if k := a.dense[f.dense+id]; k > 0 {
			return &a.edges[k-1]
		}
		return nil
	}
	for k := f.wordLo; k < f.wordHi; k++ {
		if e := &a.edges[k]; e.id >= id {
			if e.id == id {
				return e
			}
			break
		}
	}
	return nil
}
