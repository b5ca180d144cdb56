package moves

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
