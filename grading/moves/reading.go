package moves

import (
	"maps"
	"math"
	"math/bits"
	"slices"
)

// Reading is what Classify read of a message, for a caller that reads the message
// further and would otherwise tokenize it a second time: the grader reads every agent
// reply for its own lexicons right after classifying it.
//
// It is filled only for a plain message, one where the classifier's words and sentences
// are exactly those of the simplest reading: words are runs of ASCII letters and digits
// joined by apostrophes that stand between letters ("don't"), everything else separates
// them (dashes, "£", quotation marks, bytes that are not UTF-8), and sentences end at a
// run of . ? ! (not at a dot inside "3.5" or "acme.com") and at a line break. A message
// with a letter, digit or apostrophe outside ASCII in a word, an emoji, "…", a carriage
// return, a "/s" tag, an apostrophe before a digit or a dot right before punctuation is
// not plain: the classifier reads those its own way ("café" is one word, "…" ends a
// sentence), and the caller reads the message itself.
type Reading struct {
	Plain     bool
	Words     []Word
	Sentences []Sentence
	// Exclamations counts the message's exclamation marks.
	Exclamations int
}

// Word is a word of a plain message.
type Word struct {
	Start, End int32 // byte offsets
	Sentence   int32 // index in Reading.Sentences
	// Upper and Letters count the word's capitals and letters (digits are neither).
	Upper, Letters int32
	// Aux is the number the word has in the table given to WithWords, -1 for a word not
	// in it.
	Aux int32
}

// Sentence is a run of words [First, End) of a plain message; Question reports a
// sentence that ends with a question mark.
type Sentence struct {
	First, End int32
	Question   bool
}

// ClassifyReading is Classify, and fills r with what it read of text. Rather than
// allocate its result, it appends the matches to ms and their evidence to ev, which it
// returns: the new matches' Evidence are slices of ev. A caller that grades a whole
// conversation so collects every message's matches in two buffers it reuses.
func (c *Classifier) ClassifyReading(text string, r *Reading, ms []Match, ev []string) ([]Match, []string) {
	s, text := c.run(text, r)
	n0, e0 := len(ms), len(ev)
	ms = slices.Grow(ms, s.moves)[:n0+s.moves]
	ev = slices.Grow(ev, len(s.merged))[:e0+len(s.merged)]
	c.emit(s, text, ms[n0:], ev[e0:])
	c.done(s)
	return ms, ev
}

// fill copies the words and sentences of a plain message out of s; whole reports that
// the classifier read all of the message.
func (r *Reading) fill(s *scratch, whole bool) {
	r.Words, r.Sentences, r.Exclamations = r.Words[:0], r.Sentences[:0], 0
	r.Plain = whole && !s.mixed
	if !r.Plain {
		return
	}
	r.Words = slices.Grow(r.Words, len(s.toks))[:len(s.toks)]
	for i := range s.toks {
		t, w := &s.toks[i], &r.Words[i]
		w.Start, w.End, w.Sentence = t.start, t.end, t.sent
		w.Upper, w.Letters, w.Aux = t.upper, t.letters, t.aux
	}
	for _, se := range s.sents {
		r.Sentences = append(r.Sentences, Sentence{First: se.first, End: se.last + 1, Question: se.question})
	}
	r.Exclamations = int(s.exclamations)
}

// WithWords returns a classifier that classifies exactly as c does and also tags every
// word it reads with its number in aux (lower-case words of ASCII letters, digits and
// apostrophes), -1 for words not in aux: see Reading. It shares c's compiled lexicons;
// only the word table is copied, with aux's words added.
func (c *Classifier) WithWords(aux map[string]int32) *Classifier {
	old := c.words
	v := &vocab{flag: old.flag, no: old.no, way: old.way}
	v.spell = slices.Clone(old.spell)
	v.k1s = slices.Clone(old.k1s)
	v.tails = slices.Clone(old.tails)
	known := make(map[string]bool, len(v.spell))
	for i := range v.spell {
		w := old.spelling(i)
		known[w] = true
		if x, ok := aux[w]; ok {
			v.spell[i].aux = x
		}
	}
	// The words only aux knows: a token of one is what a word outside the vocabulary is
	// (its prefix trie node's entry), with the number.
	for _, w := range slices.Sorted(maps.Keys(aux)) {
		if known[w] || w == "" || len(w) > math.MaxUint16 {
			continue
		}
		sp := c.auto.preEnt[c.prefixes.matchBytes([]byte(w))]
		k0, k1 := bytesKey([]byte(w))
		sp.key, sp.n, sp.aux = key0(k0, len(w)), uint16(len(w)), aux[w]
		if ntForm(w) {
			sp.flags |= wNeg // as indexTokens gives the vocabulary's words
		}
		tail := ""
		if len(w) > keyed {
			tail = w[keyed:]
		}
		v.spell = append(v.spell, sp)
		v.k1s = append(v.k1s, k1)
		v.tails = append(v.tails, tail)
	}
	if len(v.spell) >= math.MaxUint16 {
		panic("moves: too many words for the vocabulary's 16-bit index")
	}
	size := 64
	for size < 2*len(v.spell) {
		size <<= 1
	}
	v.slots = make([]uint16, size)
	v.shift = uint(64 - bits.TrailingZeros(uint(size)))
	mask := uint64(size - 1)
	for i := range v.spell {
		k := vhash(v.spell[i].key) >> v.shift
		for v.slots[k] != 0 {
			k = (k + 1) & mask
		}
		v.slots[k] = uint16(i + 1)
	}
	d := &Classifier{
		words: v, prefixes: c.prefixes, auto: c.auto, entries: c.entries, moves: c.moves,
		rude: c.rude, shout: c.shout, ask: c.ask, policy: c.policy, offer: c.offer,
		escalate: c.escalate, explain: c.explain, sincere: c.sincere, notAsk: c.notAsk,
	}
	d.pool.New = func() any { return &scratch{} }
	return d
}

// spelling returns spelling i as a string, from its key.
func (v *vocab) spelling(i int) string {
	sp := &v.spell[i]
	n := int(sp.n)
	b := make([]byte, 0, n)
	k0 := sp.key ^ uint64(min(n, 255))<<56
	for k := 0; k < n && k < 8; k++ {
		b = append(b, byte(k0>>(8*k)))
	}
	for k := 8; k < n && k < keyed; k++ {
		b = append(b, byte(v.k1s[i]>>(8*(k-8))))
	}
	return string(b) + v.tails[i]
}
