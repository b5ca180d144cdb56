package moves

import (
	"chatdojo/internal/asciirun"
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strings"
)

// vocab interns the words the patterns use; a word outside it cannot match a literal.
type vocab struct {
	ids     map[string]int32
	flag    []uint32
	no, way int32
	// An open-addressing table over every spelling (words and aliases), keyed by the
	// word's lowercase bytes, which the tokenizer reads straight from the message: no
	// lowercased copy, no byte-by-byte hash, no string comparison. The table holds
	// 16-bit indexes into spell, which holds what a token of the spelling inherits:
	// looking words up is bound by memory latency, and the smaller the tables the more
	// of them the caches keep.
	slots []uint16 // index+1 in spell, 0 for an empty slot
	shift uint     // a hash's top bits index slots
	spell []spelling
	words []string // by spelling, the spelling; only while compiling
	// k1s and tails hold, by spelling, what of it key leaves out: bytes 8 to 15 (zero
	// padded), and the rest (see keyed). Only a word longer than 8 bytes reads them, so
	// they stay out of spelling, which fits one cache line.
	k1s   []uint64
	tails []string
}

// spelling is a spelling's key and what a token of it inherits. The key and length,
// which a lookup compares, come first. All but the key, length and id depend on the
// automaton and are filled in by Classifier.indexTokens.
//
// It is 64 bytes, a cache line: a table of them over 32 KB is allocated on its own pages,
// so that looking a word up reads one line, where an 80-byte entry straddled two.
// TestSpellingSize holds the size.
type spelling struct {
	key   uint64 // the word's first 8 bytes, little endian, zero padded, xor its length<<56
	n     uint16 // the word's length, at most 65535
	pre   uint16 // as token.pre
	id    int32
	flags uint32 // vocabulary flags, tPrefix and tInSet
	row   int32
	col   int32
	aux   int32  // as token.aux
	bits  filter // as token.bits
	root  filter // as token.root
}

// keyed is the longest word a key holds whole; longer words also compare their tail.
const keyed = 16

// keyMasks[n] are the masks that keep the first n bytes of a word of n <= keyed bytes
// in the two 8-byte loads of its key: a table load costs less than the two variable
// shifts it stands for, which Go compiles with a compare and a mask each.
var keyMasks = func() (m [keyed + 1][2]uint64) {
	for n := range m {
		m[n][0] = 1<<(8*min(n, 8)) - 1
		m[n][1] = 1<<(8*max(n-8, 0)) - 1
	}
	return m
}()

// key0 is the first half of a key: a word of up to 7 bytes is keyed by it alone.
func key0(k0 uint64, n int) uint64 { return k0 ^ uint64(min(n, 255))<<56 }

// vhash mixes a key (multiply-shift).
func vhash(key uint64) uint64 { return key * 0x9E3779B97F4A7C15 }

// byteMask keeps the low n bytes of a word, n < 8.
func byteMask(n int) uint64 { return 1<<(8*uint(n)) - 1 }

// bytesKey keys a lowercase word.
func bytesKey(w []byte) (k0, k1 uint64) {
	for i := 0; i < len(w) && i < keyed; i++ {
		if i < 8 {
			k0 |= uint64(w[i]) << (8 * i)
		} else {
			k1 |= uint64(w[i]) << (8 * (i - 8))
		}
	}
	return k0, k1
}

// asciiLower turns the bytes of an ASCII word ([A-Za-z0-9']) lowercase: in all of
// them but the capitals bit 5 is already set.
const asciiLower = 0x2020202020202020

// textKey keys text[i:j], a word of ASCII letters, digits and straight apostrophes, as
// its lowercase form.
func textKey(text string, i, j int) (k0, k1 uint64) {
	n := j - i
	switch {
	case i+keyed <= len(text):
		// Two loads cover the word; the bytes past it are masked off.
		k0 = asciirun.Load64(text[i:i+8]) | asciiLower
		k1 = asciirun.Load64(text[i+8:i+16]) | asciiLower
		switch {
		case n < 8:
			k0 &= byteMask(n)
			k1 = 0
		case n < keyed:
			k1 &= byteMask(n - 8)
		}
		return k0, k1
	case n <= 8 && j >= 8:
		// Near the end of the text: load the 8 bytes that end the word and shift the
		// bytes before it out.
		return (asciirun.Load64(text[j-8:j]) | asciiLower) >> (8 * (8 - n)), 0
	case n <= keyed && j >= keyed:
		return asciirun.Load64(text[i:i+8]) | asciiLower, (asciirun.Load64(text[j-8:j]) | asciiLower) >> (8 * (keyed - n))
	}
	for k := 0; k < n && k < keyed; k++ {
		b := uint64(text[i+k] | 0x20)
		if k < 8 {
			k0 |= b << (8 * k)
		} else {
			k1 |= b << (8 * (k - 8))
		}
	}
	return k0, k1
}

// seal builds the lookup table once every word and alias is interned. weight orders
// the spellings: the heavier a word, the earlier it comes, so that the common words a
// message is mostly made of share a few cache lines.
func (v *vocab) seal(weight map[string]int) {
	if len(v.ids) >= math.MaxUint16 {
		panic("moves: too many words for the vocabulary's 16-bit index")
	}
	size := 64
	for size < 2*len(v.ids) { // at most half full: a miss ends on an empty slot soon
		size <<= 1
	}
	v.slots = make([]uint16, size)
	v.shift = uint(64 - bits.TrailingZeros(uint(size)))
	v.words = v.words[:0]
	for w := range v.ids {
		v.words = append(v.words, w)
	}
	slices.SortFunc(v.words, func(a, b string) int { // the same layout from run to run
		return cmp.Or(weight[b]-weight[a], strings.Compare(a, b))
	})
	v.spell = make([]spelling, len(v.words))
	v.k1s = make([]uint64, len(v.words))
	v.tails = make([]string, len(v.words))
	mask := uint64(size - 1)
	for i, w := range v.words {
		k0, k1 := bytesKey([]byte(w))
		key := key0(k0, len(w))
		v.spell[i] = spelling{key: key, n: uint16(min(len(w), math.MaxUint16)), id: v.ids[w], aux: -1}
		v.k1s[i] = k1
		if len(w) > keyed {
			v.tails[i] = w[keyed:]
		}
		k := vhash(key) >> v.shift
		for v.slots[k] != 0 {
			k = (k + 1) & mask
		}
		v.slots[k] = uint16(i + 1)
	}
}

// findBytes returns the spelling of a lowercase word, or nil.
func (v *vocab) findBytes(w []byte) *spelling {
	k0, k1 := bytesKey(w)
	key := key0(k0, len(w))
	mask := uint64(len(v.slots) - 1)
	for k := vhash(key) >> v.shift; ; k = (k + 1) & mask {
		x := v.slots[k]
		if x == 0 {
			return nil
		}
		sp := &v.spell[x-1]
		if sp.key == key && int(sp.n) == min(len(w), math.MaxUint16) &&
			(len(w) <= 8 || v.k1s[x-1] == k1 && (len(w) <= keyed || v.tails[x-1] == string(w[keyed:]))) {
			return sp
		}
	}
}

// findText returns the spelling of text[i:j], a word of ASCII letters, digits and
// straight apostrophes in any case, or nil.
func (v *vocab) findText(text string, i, j int) *spelling {
	k0, k1 := textKey(text, i, j)
	n := j - i
	key := key0(k0, n)
	mask := uint64(len(v.slots) - 1)
	for k := vhash(key) >> v.shift; ; k = (k + 1) & mask {
		x := v.slots[k]
		if x == 0 {
			return nil
		}
		sp := &v.spell[x-1]
		if sp.key == key && int(sp.n) == min(n, math.MaxUint16) &&
			(n <= 8 || v.k1s[x-1] == k1 && (n <= keyed || foldEq(text[i+keyed:j], v.tails[x-1]))) {
			return sp
		}
	}
}

// foldEq compares an ASCII word in any case with a lowercase one.
func foldEq(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for k := 0; k < len(s); k++ {
		if s[k]|0x20 != lower[k] {
			return false
		}
	}
	return true
}

func newVocab() *vocab { return &vocab{ids: make(map[string]int32)} }

// lookup returns the id of a lowercase word, -1 when it is not in the vocabulary.
func (v *vocab) lookup(w []byte) int32 {
	if sp := v.findBytes(w); sp != nil {
		return sp.id
	}
	return -1
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
	// letters[n][b-'a'] is node n's child by lowercase letter b, -1 for none: a walk in
	// one small table rather than in every node's list of children, which lie apart.
	letters [][26]int32
}

// seal indexes the root for the common case: most words match no prefix at all, and
// gives every node the prefixes of its path, so that a match is the node it stops at.
func (p *prefixTrie) seal() {
	for i := range p.first {
		p.first[i] = -1
	}
	for _, e := range p.nodes[0].next {
		p.first[e.b] = e.n
	}
	p.letters = make([][26]int32, len(p.nodes))
	for n := range p.nodes {
		for b := range p.letters[n] {
			p.letters[n][b] = p.step(int32(n), byte('a'+b))
		}
	}
	// Children come after their parents (add appends them), so one pass suffices.
	for n := range p.nodes {
		if id := p.nodes[n].id; id >= 0 {
			p.nodes[n].pm[id>>6] |= 1 << (id & 63)
		}
		for _, e := range p.nodes[n].next {
			p.nodes[e.n].pm = p.nodes[n].pm
		}
	}
}

type pnode struct {
	next []pedge
	id   int32
	pm   [prefixWords]uint64 // the prefixes on the path to this node, itself included
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
			if len(p.nodes) >= math.MaxUint16 {
				panic("moves: too many prefix pattern bytes for a 16-bit trie node")
			}
			next = int32(len(p.nodes))
			p.nodes = append(p.nodes, pnode{id: -1})
			p.nodes[n].next = append(p.nodes[n].next, pedge{b, next})
		}
		n = next
	}
	p.nodes[n].id = id
	return id
}

// step follows byte b from node n, or returns -1.
func (p *prefixTrie) step(n int32, b byte) int32 {
	for _, e := range p.nodes[n].next {
		if e.b == b {
			return e.n
		}
	}
	return -1
}

// matchBytes returns the node where a lowercase word leaves the trie: its pm holds every
// prefix pattern the word matches. 0, the root, matches none.
func (p *prefixTrie) matchBytes(w []byte) int32 {
	if len(w) == 0 || p.first[w[0]] < 0 {
		return 0
	}
	n := p.first[w[0]]
	for _, b := range w[1:] {
		next := p.step(n, b)
		if next < 0 {
			break
		}
		n = next
	}
	return n
}

// matchText is matchBytes for text[i:j], an ASCII word in any case (see textKey).
func (p *prefixTrie) matchText(text string, i, j int) int32 {
	n := p.first[text[i]|0x20]
	if n < 0 {
		return 0
	}
	for k := i + 1; k < j; k++ {
		next := int32(-1)
		if b := text[k] | 0x20; b >= 'a' && b <= 'z' {
			next = p.letters[n][b-'a']
		} else {
			next = p.step(n, b)
		}
		if next < 0 {
			break
		}
		n = next
	}
	return n
}
