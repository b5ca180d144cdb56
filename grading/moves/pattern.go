package moves

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The pattern language of the lexicon:
//
//	word        a lowercase word; curly apostrophes and spellings are normalised as in messages
//	word*       any word that starts with "word"
//	{a|b c}     one of the alternatives, each a sequence
//	x?          x is optional (x a word, a group or a class)
//	<name>      a macro of the lexicon, or a class: <num> (a number), <time> (8am, 10pm),
//	            <name> (a capitalised word that no pattern uses, so probably a name)
//	_           any one word
//	*  *N       a gap of 0..3 (0..N) words in the same clause, none of them a negator or
//	            a conjunction ("and", "so")
//
// New expands alternatives and options into word sequences (a group of one-word
// alternatives becomes a single word-set step), inserts them into a trie, merges the
// trie's identical subtrees and lays the result out flat as an automaton. Matching then
// starts a walk at every token and never backtracks over alternatives; only gaps branch.

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
