package moves

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The pattern language of the lexicon, compiled once by New into a token trie:
//
//	word        a lowercase word; curly apostrophes and spellings are normalised as in messages
//	word*       any word that starts with "word"
//	{a|b c}     one of the alternatives, each a sequence
//	x?          x is optional (x a word, a group or a class)
//	<name>      a macro of the lexicon, or a class: <num> (a number), <time> (8am, 10pm),
//	            <name> (a capitalised word that no pattern uses, so probably a name)
//	_           any one word
//	*  *N       a gap of 0..3 (0..N) words in the same sentence, none of them a negator
//
// Alternatives and options are expanded at compile time, so matching never backtracks
// over them; only gaps branch.

// prefixWords is the number of uint64 words in a token's prefix bitset.
const prefixWords = 2

type atomKind uint8

const (
	atomWord atomKind = iota
	atomPrefix
	atomClass
	atomGap
	atomSet // any word of a set: a group of one-word alternatives, compiled as one step
)

// Classes a token can match besides its own word.
const (
	classAny int32 = iota
	classNum
	className
	classTime
)

type atom struct {
	kind atomKind
	id   int32 // word id, prefix id, class, or the gap's maximum length
}

// vocab interns the words the patterns use; a word outside it cannot match a literal.
type vocab struct {
	ids     map[string]int32
	flag    []uint32
	no, way int32
	// An open-addressing table over ids, keyed by the FNV-1a hash that the tokenizer
	// computes while it lowercases a word, so a lookup costs no second pass over it.
	slots []vslot
	mask  uint32
}

type vslot struct {
	hash uint32
	id   int32 // -1 for an empty slot
	word string
}

// FNV-1a, 32 bits.
const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func fnv(w string) uint32 {
	h := uint32(fnvOffset)
	for i := 0; i < len(w); i++ {
		h = (h ^ uint32(w[i])) * fnvPrime
	}
	return h
}

// seal builds the lookup table once every word and alias is interned.
func (v *vocab) seal() {
	size := 1
	for size < 2*len(v.ids) {
		size <<= 1
	}
	v.slots = make([]vslot, size)
	for i := range v.slots {
		v.slots[i].id = -1
	}
	v.mask = uint32(size - 1)
	for w, id := range v.ids {
		h := fnv(w)
		k := h & v.mask
		for v.slots[k].id >= 0 {
			k = (k + 1) & v.mask
		}
		v.slots[k] = vslot{h, id, w}
	}
}

// find looks up a lowercase word whose FNV-1a hash is h.
func (v *vocab) find(w []byte, h uint32) int32 {
	for k := h & v.mask; ; k = (k + 1) & v.mask {
		sl := &v.slots[k]
		if sl.id < 0 {
			return -1
		}
		if sl.hash == h && sl.word == string(w) {
			return sl.id
		}
	}
}

func newVocab() *vocab { return &vocab{ids: make(map[string]int32)} }

func (v *vocab) lookup(w []byte) int32 {
	return v.find(w, fnv(string(w)))
}

func (v *vocab) flags(id int32) uint32 {
	if id < 0 {
		return 0
	}
	return v.flag[id]
}

func (v *vocab) intern(w string) int32 {
	if id, ok := v.ids[w]; ok {
		return id
	}
	id := int32(len(v.flag))
	v.ids[w] = id
	v.flag = append(v.flag, 0)
	return id
}

// alias makes a spelling variant share its canonical word's id, so that "dont" matches
// every pattern written with "don't".
func (v *vocab) alias(variant, canonical string) {
	v.ids[variant] = v.intern(canonical)
}

// prefixTrie finds, in one walk over a word's bytes, every prefix pattern it matches.
type prefixTrie struct {
	nodes []pnode
	ids   map[string]int32
	first [256]int32 // the root's children by byte, -1 for none; filled by seal
}

// seal indexes the root for the common case: most words match no prefix at all.
func (p *prefixTrie) seal() {
	for i := range p.first {
		p.first[i] = -1
	}
	for _, e := range p.nodes[0].next {
		p.first[e.b] = e.n
	}
}

type pnode struct {
	next []pedge
	id   int32
}

type pedge struct {
	b byte
	n int32
}

func newPrefixTrie() *prefixTrie {
	return &prefixTrie{nodes: []pnode{{id: -1}}, ids: make(map[string]int32)}
}

func (p *prefixTrie) add(prefix string) int32 {
	if id, ok := p.ids[prefix]; ok {
		return id
	}
	id := int32(len(p.ids))
	if id >= prefixWords*64 {
		panic("moves: too many prefix patterns; raise prefixWords")
	}
	p.ids[prefix] = id
	n := int32(0)
	for i := 0; i < len(prefix); i++ {
		b := prefix[i]
		next := int32(-1)
		for _, e := range p.nodes[n].next {
			if e.b == b {
				next = e.n
				break
			}
		}
		if next < 0 {
			next = int32(len(p.nodes))
			p.nodes = append(p.nodes, pnode{id: -1})
			p.nodes[n].next = append(p.nodes[n].next, pedge{b, next})
		}
		n = next
	}
	p.nodes[n].id = id
	return id
}

func (p *prefixTrie) match(w []byte) (m [prefixWords]uint64) {
	if len(w) == 0 || p.first[w[0]] < 0 {
		return m
	}
	n := p.first[w[0]]
	if id := p.nodes[n].id; id >= 0 {
		m[id>>6] |= 1 << (id & 63)
	}
	for _, b := range w[1:] {
		next := int32(-1)
		for _, e := range p.nodes[n].next {
			if e.b == b {
				next = e.n
				break
			}
		}
		if next < 0 {
			return m
		}
		n = next
		if id := p.nodes[n].id; id >= 0 {
			m[id>>6] |= 1 << (id & 63)
		}
	}
	return m
}

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

// compiler expands lexicon patterns into atom sequences.
type compiler struct {
	words  *vocab
	pre    *prefixTrie
	macros map[string]string
	cache  map[string][][]atom
	depth  int
	sets   []wordSet
	setIDs map[string]int32
}

// maxExpansions bounds what one pattern may expand to, so that a careless alternation
// fails loudly in the tests instead of bloating the trie.
const maxExpansions = 50000

func (c *compiler) compile(pattern string) ([][]atom, error) {
	p := &parser{src: pattern}
	seqs, err := c.seq(p)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", pattern, err)
	}
	if p.pos < len(p.src) {
		return nil, fmt.Errorf("pattern %q: unexpected %q at %d", pattern, p.src[p.pos], p.pos)
	}
	for _, s := range seqs {
		if len(s) == 0 {
			return nil, fmt.Errorf("pattern %q: can match nothing", pattern)
		}
		if s[0].kind == atomGap || s[len(s)-1].kind == atomGap {
			return nil, fmt.Errorf("pattern %q: a gap must stand between words", pattern)
		}
	}
	return seqs, nil
}

type parser struct {
	src string
	pos int
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
}

// seq parses items until '|', '}' or the end.
func (c *compiler) seq(p *parser) ([][]atom, error) {
	out := [][]atom{{}}
	for {
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] == '|' || p.src[p.pos] == '}' {
			return out, nil
		}
		item, err := c.item(p)
		if err != nil {
			return nil, err
		}
		if p.pos < len(p.src) && p.src[p.pos] == '?' {
			p.pos++
			item = append(item, nil)
		}
		if len(out)*len(item) > maxExpansions {
			return nil, fmt.Errorf("more than %d expansions", maxExpansions)
		}
		next := make([][]atom, 0, len(out)*len(item))
		for _, a := range out {
			for _, b := range item {
				s := make([]atom, 0, len(a)+len(b))
				next = append(next, append(append(s, a...), b...))
			}
		}
		out = next
	}
}

// item parses one word, group, class, gap or macro.
func (c *compiler) item(p *parser) ([][]atom, error) {
	switch ch := p.src[p.pos]; {
	case ch == '{':
		p.pos++
		var alts [][]atom
		for {
			s, err := c.seq(p)
			if err != nil {
				return nil, err
			}
			alts = append(alts, s...)
			if p.pos >= len(p.src) {
				return nil, fmt.Errorf("unclosed {")
			}
			if p.src[p.pos] == '}' {
				p.pos++
				return c.compact(alts), nil
			}
			p.pos++ // '|'
		}
	case ch == '<':
		end := strings.IndexByte(p.src[p.pos:], '>')
		if end < 0 {
			return nil, fmt.Errorf("unclosed <")
		}
		name := p.src[p.pos+1 : p.pos+end]
		p.pos += end + 1
		switch name {
		case "num":
			return [][]atom{{{atomClass, classNum}}}, nil
		case "name":
			return [][]atom{{{atomClass, className}}}, nil
		case "time":
			return [][]atom{{{atomClass, classTime}}}, nil
		}
		return c.macro(name)
	case ch == '_':
		p.pos++
		return [][]atom{{{atomClass, classAny}}}, nil
	case ch == '*':
		p.pos++
		start := p.pos
		for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
			p.pos++
		}
		n := 3
		if p.pos > start {
			n, _ = strconv.Atoi(p.src[start:p.pos])
		}
		if n < 1 || n > 8 {
			return nil, fmt.Errorf("gap of %d words", n)
		}
		return [][]atom{{{atomGap, int32(n)}}}, nil
	}
	start := p.pos
	for p.pos < len(p.src) && !strings.ContainsRune(" {}|?<>", rune(p.src[p.pos])) {
		p.pos++
	}
	w := p.src[start:p.pos]
	if w == "" {
		return nil, fmt.Errorf("unexpected %q at %d", p.src[p.pos], p.pos)
	}
	w = strings.ReplaceAll(w, "’", "'")
	if w != strings.ToLower(w) {
		return nil, fmt.Errorf("word %q is not lowercase", w)
	}
	if strings.HasSuffix(w, "*") {
		stem := strings.TrimSuffix(w, "*")
		if stem == "" || strings.ContainsAny(stem, "*-") {
			return nil, fmt.Errorf("bad prefix %q", w)
		}
		return [][]atom{{{atomPrefix, c.pre.add(stem)}}}, nil
	}
	if strings.HasPrefix(w, "'") || strings.HasSuffix(w, "'") {
		return nil, fmt.Errorf("word %q: messages keep an apostrophe only inside a word (\"it's\")", w)
	}
	if strings.ContainsAny(w, "*-.,!;:%&/") && w != "/s" {
		return nil, fmt.Errorf("word %q has punctuation; messages split it into words", w)
	}
	return [][]atom{{{atomWord, c.words.intern(w)}}}, nil
}

func (c *compiler) macro(name string) ([][]atom, error) {
	if seqs, ok := c.cache[name]; ok {
		return seqs, nil
	}
	src, ok := c.macros[name]
	if !ok {
		return nil, fmt.Errorf("unknown macro <%s>", name)
	}
	if c.depth > 8 {
		return nil, fmt.Errorf("macro <%s> nests too deep", name)
	}
	c.depth++
	defer func() { c.depth-- }()
	p := &parser{src: src}
	seqs, err := c.seq(p)
	if err != nil {
		return nil, fmt.Errorf("macro <%s>: %w", name, err)
	}
	if p.pos < len(p.src) {
		return nil, fmt.Errorf("macro <%s>: unexpected %q", name, p.src[p.pos])
	}
	seqs = c.compact(seqs)
	c.cache[name] = seqs
	return seqs, nil
}

// compact folds the one-word alternatives of a group into a single set atom, so that
// "<pron> <copula> <intens>? <feel>" compiles to a few thousand trie paths instead of
// the product of every word in every group.
func (c *compiler) compact(alts [][]atom) [][]atom {
	var set wordSet
	n := 0
	var rest [][]atom
	for _, a := range alts {
		if len(a) != 1 {
			rest = append(rest, a)
			continue
		}
		switch a[0].kind {
		case atomWord:
			if set.words == nil {
				set.words = make(map[int32]struct{})
			}
			set.words[a[0].id] = struct{}{}
			n++
		case atomPrefix:
			set.pm[a[0].id>>6] |= 1 << (a[0].id & 63)
			n++
		case atomSet:
			o := &c.sets[a[0].id]
			if set.words == nil {
				set.words = make(map[int32]struct{})
			}
			for w := range o.words {
				set.words[w] = struct{}{}
			}
			for i := range set.pm {
				set.pm[i] |= o.pm[i]
			}
			n++
		default:
			rest = append(rest, a)
		}
	}
	if n < 2 {
		return alts
	}
	return append(rest, []atom{{atomSet, c.internSet(set)}})
}

func (c *compiler) internSet(set wordSet) int32 {
	ids := make([]int, 0, len(set.words))
	for w := range set.words {
		ids = append(ids, int(w))
	}
	slices.Sort(ids)
	key := fmt.Sprint(ids, set.pm)
	if id, ok := c.setIDs[key]; ok {
		return id
	}
	id := int32(len(c.sets))
	c.sets = append(c.sets, set)
	c.setIDs[key] = id
	return id
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
	nodes    []fnode
	edges    []fedge  // ranges of it are a node's word, prefix, class, set and gap edges
	ends     []int32  // entries that end at a node
	dense    []int32  // word tables of wide nodes, by word id: child+1, 0 for none
	masks    []uint64 // set bitsets of nodes with many set edges
	setChild []int32  // by set id, for those nodes: child+1
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
}

type fedge struct{ id, to int32 }

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
			a.edges = append(a.edges, fedge{e.id, index[e.n]})
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
		if len(words) > manyWords {
			f.dense = int32(len(a.dense))
			a.dense = append(a.dense, make([]int32, vocab)...)
			for _, e := range words {
				a.dense[int(f.dense)+int(e.id)] = index[e.n] + 1
			}
		} else {
			f.wordLo, f.wordHi = add(words)
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
				a.setChild[int(f.mask)*64+int(e.id)] = index[e.n] + 1
			}
		}
		f.gapLo, f.gapHi = add(n.gaps)
		a.nodes[i] = f
	}
	return a
}

// next follows the word edge for id from node f, or returns -1.
func (a *automaton) next(f *fnode, id int32) int32 {
	if f.dense >= 0 {
		return a.dense[f.dense+id] - 1
	}
	for _, e := range a.edges[f.wordLo:f.wordHi] {
		if e.id >= id {
			if e.id == id {
				return e.to
			}
			break
		}
	}
	return -1
}
