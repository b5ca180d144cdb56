package grading

import (
	"math/bits"
	"slices"
	"unicode"
	"unicode/utf8"

	"chatdojo/grading/moves"
	"chatdojo/internal/asciirun"
)

// text is one message cut into lower-case words and sentences in a single pass, with
// the counts the customer-state estimate needs. The grader reads every message through
// it once.
type text struct {
	src string
	// low holds the lower-case copies of the words that had capitals.
	low   string
	words []word
	sents []sentence
	// letters and upper count letters, for the share of capitals; bangs counts "!".
	letters, upper, bangs int
	// capsRun is the longest run of words written in capitals (2+ letters).
	capsRun int
	lex     *lexicon
}

// word is where a word is in the source and in the lower-case copy. It holds no
// pointer, so the garbage collector never scans or guards a message's word list.
type word struct {
	start, end int32 // in the source
	l0, l1     int32 // in the lower-case copy; l0 < 0 when the source is already lower case
	sent       int32
	// k is the lower-case word's key, computed while scanning, so lexicon and overlap
	// look-ups need not read the word again.
	k wordKey
	// slot is the word's slot in lex.table, -1 for a word no lexicon knows: an
	// index, not a pointer, so that the garbage collector need not guard or scan it.
	slot int32
	// flags and starts are the lexicon's for the word (see lexSlot), 0 for a word no
	// lexicon knows: kept here, the checks that read them touch no table.
	flags  uint16
	starts uint8
	// content marks a word of three letters or more that is no stopword (set by
	// scan): one that can show a reply is about this customer.
	content bool
}

// w is word i of t as the grader compares words by string: lower-cased when it is
// longer than eight bytes or has a curly apostrophe, as written otherwise. A word of
// eight bytes or fewer is told apart by its key (see wordKey), and the reply checks test
// lexicon flags, so only long words are ever compared as strings; copying the short words
// with capitals too would cost a copy and an allocation for nothing.
func (t *text) w(i int) string {
	wd := &t.words[i]
	if wd.l0 < 0 {
		return t.src[wd.start:wd.end]
	}
	return t.low[wd.l0:wd.l1]
}

// wlen is the length in bytes of word i of t, lower-cased (see w).
func (t *text) wlen(i int) int {
	wd := &t.words[i]
	if wd.l0 < 0 {
		return int(wd.end - wd.start)
	}
	return int(wd.l1 - wd.l0)
}

// sentence is a span of words; question reports a sentence that ends with "?".
type sentence struct {
	first, last int // word indexes, last exclusive
	question    bool
}

// scan fills t from s and looks every word up in l as it ends. buf is reused for the
// lower-case copy.
//
// This is the grader's hot loop, run over every message. The main loop only
// dispatches on the byte class; a word, a stop and a non-ASCII rune each have a method
// of scanner, whose state lives in memory rather than in registers: a single loop
// carrying all of it kept the compiler busy moving twenty values between registers and
// the stack on every byte.
func (t *text) scan(s string, buf []byte, l *lexicon) []byte {
	sc := scanner{l: l, words: t.words[:0], sents: t.sents[:0], buf: buf[:0]}
	for i := 0; i < len(s); {
		switch scanClass[s[i]] {
		case scanSkip:
			i++
		case scanWord:
			i = sc.word(s, i)
		case scanStop:
			i = sc.stop(s, i)
		case scanLine:
			sc.endSentence(false)
			i++
		default:
			i = sc.high(s, i)
		}
	}
	sc.endSentence(false)
	t.src, t.low, t.lex = s, "", l
	t.words, t.sents = sc.words, sc.sents
	t.letters, t.upper, t.bangs, t.capsRun = sc.letters, sc.upper, sc.bangs, sc.capsRun
	if len(sc.buf) > 0 {
		t.low = string(sc.buf) // one allocation for the words that needed lower-casing
	}
	return sc.buf
}

// fromReading fills t from what the moves classifier read of s, a plain message (see
// moves.Reading): the same words and sentences scan finds, whose lexicon slots the
// classifier has looked up on the way (see moves.Classifier.WithWords). buf is reused
// for the lower-case copy.
func (t *text) fromReading(s string, r *moves.Reading, buf []byte, l *lexicon) []byte {
	rws := r.Words
	words := slices.Grow(t.words[:0], len(rws))[:len(rws)]
	// The keys are read eight bytes at a time (see foldedPrefix), from a text of eight
	// bytes at least: a shorter one is padded with spaces.
	ks := s
	if len(ks) < 8 {
		ks += "        "
	}
	readWords(words, rws, ks, l.info)
	// The capitals, and the keys and lower-case copies of long words.
	buf = buf[:0]
	letters, upper, capsRun, run := 0, 0, 0, 0
	for i := range rws {
		rw := &rws[i]
		up, lo := int(rw.Upper), int(rw.Letters-rw.Upper)
		upper += up
		letters += lo + up
		if lo == 0 && up >= 2 {
			run++
			capsRun = max(capsRun, run)
		} else if lo+up > 0 {
			run = 0
		}
		if rw.End-rw.Start > 8 {
			wd := &words[i]
			wd.k = foldedKey(s, int(rw.Start), int(rw.End))
			if up > 0 { // see text.w
				b0 := len(buf)
				buf = appendLowerWord(buf, s[rw.Start:rw.End])
				wd.l0, wd.l1 = int32(b0), int32(len(buf))
			}
		}
	}
	sents := t.sents[:0]
	for _, rs := range r.Sentences {
		sents = append(sents, sentence{first: int(rs.First), last: int(rs.End), question: rs.Question})
	}
	t.src, t.low, t.lex = s, "", l
	t.words, t.sents = words, sents
	t.letters, t.upper, t.bangs, t.capsRun = letters, upper, r.Exclamations, capsRun
	if len(buf) > 0 {
		t.low = string(buf)
	}
	return buf
}

// readWords fills words from the classifier's words rws of s, a text of eight bytes or
// more, with their keys (a word longer than eight bytes gets that of its first eight,
// which fromReading replaces) and their lexicon flags from info (see lexicon.info). It is a loop of its own that calls
// nothing: with the counts of capitals, the keys of long words and the lower-case copies
// in it too, or the values of fromReading live around it, its values outnumbered the
// registers and were moved to the stack and back on every word.
func readWords(words []word, rws []moves.Word, s string, info []uint32) {
	words = words[:len(rws)]
	for i := range rws {
		rw, wd := &rws[i], &words[i]
		start, n := int(rw.Start), int(rw.End-rw.Start)
		off := min(start, len(s)-8)
		k := keyFinish(foldedPrefix(s[off:], start-off, n), n)
		x := info[rw.Aux+1]
		flags := uint16(x)
		// Written in place, field by field (see scanner.word).
		wd.start, wd.end, wd.l0, wd.l1, wd.sent = rw.Start, rw.End, -1, 0, rw.Sentence
		wd.k, wd.slot, wd.content = k, rw.Aux, isContent(n, flags)
		wd.flags, wd.starts = flags, uint8(x>>16)
	}
}

// isContent reports whether a word of n bytes and lexicon flags is a content word: three
// bytes or more, and no stopword. It is computed without a branch: which words are
// stopwords is all but random, and n >= 3 && … mispredicts on a good share of them.
func isContent(n int, flags uint16) bool {
	long := uint32(2-n) >> 31                                     // 1 when n >= 3
	notStop := uint32(flags&flagStop^flagStop) / uint32(flagStop) // 1 when not a stopword
	return long&notStop != 0
}

// scanner is the state of one scan.
type scanner struct {
	l     *lexicon
	words []word
	sents []sentence
	// buf holds the lower-case copies of the words that had capitals.
	buf []byte
	// letters, upper, bangs and capsRun are text's; run is the current run of words
	// in capitals.
	letters, upper, bangs, capsRun, run int
	// sentFirst is the current sentence's first word.
	sentFirst int
}

// endSentence closes the current sentence, if it has a word.
func (sc *scanner) endSentence(question bool) {
	if len(sc.words) > sc.sentFirst {
		sc.sents = append(sc.sents, sentence{first: sc.sentFirst, last: len(sc.words), question: question})
	}
	sc.sentFirst = len(sc.words)
}

// stop reads the run of . ? ! at i and returns where it ends.
func (sc *scanner) stop(s string, i int) int {
	c := s[i]
	if c == '!' {
		sc.bangs++
	}
	j := i
	q := false
	for j < len(s) && (s[j] == '.' || s[j] == '?' || s[j] == '!') {
		if s[j] == '?' {
			q = true
		}
		if s[j] == '!' && j > i {
			sc.bangs++
		}
		j++
	}
	// A dot inside a number or an abbreviation ("3.5", "e.g.") is no end.
	if c == '.' && !q && j-i == 1 && j < len(s) && s[j] != ' ' && s[j] != '\n' {
		return j
	}
	sc.endSentence(q)
	return j
}

// high reads the multi-byte rune (or invalid byte) at i, which is no part of a word
// but counts as a letter when it is one.
func (sc *scanner) high(s string, i int) int {
	r, n := utf8.DecodeRuneInString(s[i:])
	if unicode.IsLetter(r) {
		sc.letters++
		if unicode.IsUpper(r) {
			sc.upper++
		}
	}
	return i + n
}

// word reads the word at i (letters, digits and inner apostrophes), records it with
// its key and its slot in the lexicon, and returns where the next thing starts.
func (sc *scanner) word(s string, i int) int {
	start := i
	var letters, up int
	curly := false
	for {
		if i+8 <= len(s) {
			// Eight bytes at a time (see asciirun.Classify8).
			l8, u8, w8 := asciirun.Classify8(asciirun.Load64(s[i : i+8]))
			ends := ^w8 & highBits // the bytes that are no part of a word
			in := asciirun.Before(ends)
			letters += asciirun.Count8(l8 & in)
			up += asciirun.Count8(u8 & in)
			i += bits.TrailingZeros64(ends) >> 3
			if ends == 0 {
				continue
			}
		} else {
			k, l1, u1 := asciirun.Run(s, i)
			i, letters, up = k, letters+int(l1+u1), up+int(u1)
		}
		// Most words end at a space or punctuation: one test rules out both apostrophes.
		if i >= len(s) || joins[s[i]] == 0 {
			break
		}
		if i+1 < len(s) && s[i] == '\'' && isLetter(s[i+1]) {
			i++
			continue
		}
		if i+3 < len(s) && s[i] == 0xE2 && s[i+1] == 0x80 && s[i+2] == 0x99 && isLetter(s[i+3]) {
			// A curly apostrophe (’) reads as a straight one.
			curly = true
			i += 3
			continue
		}
		break
	}
	sc.upper += up
	sc.letters += letters
	if letters == up && up >= 2 {
		sc.run++
		sc.capsRun = max(sc.capsRun, sc.run)
	} else if letters > 0 {
		sc.run = 0
	}

	// The lower-case copy, for a long word with capitals or a curly apostrophe (see
	// text.w).
	n := i - start
	l0, l1 := int32(-1), int32(0)
	if curly || up > 0 && n > 8 {
		b0 := len(sc.buf)
		sc.buf = appendLowerWord(sc.buf, s[start:i])
		l0, l1 = int32(b0), int32(len(sc.buf))
	}
	// The key: the word's bytes are letters, digits and apostrophes, lower-cased by
	// setting bit 5 (see foldedKey). A curly apostrophe is keyed from the copy.
	var k wordKey
	if curly {
		k = keyOf(sc.buf[l0:l1])
		n = int(k.n)
	} else if n <= 8 && len(s) >= 8 {
		off := min(start, len(s)-8) // see foldedPrefix
		k = keyFinish(foldedPrefix(s[off:], start-off, n), n)
	} else {
		k = foldedKey(s, start, i)
	}

	// Look it up (see lexicon.lookup, which this is).
	l := sc.l
	x := int32(-1)
	var flags uint16
	var starts uint8
	for h := k.h & l.mask; ; h = (h + 1) & l.mask {
		sl := &l.table[h]
		if sl.n == 0 {
			break
		}
		if sl.is(k) && (n <= 8 || sc.sameLong(l.spell[h], s, start, i, l0, l1)) {
			x, flags, starts = int32(h), sl.flags, sl.starts
			break
		}
	}

	// The word is written in place: one built whole and copied in would be stored in
	// small pieces and loaded back in large ones, which stalls.
	if len(sc.words) == cap(sc.words) {
		sc.words = slices.Grow(sc.words, 1)
	}
	sc.words = sc.words[:len(sc.words)+1]
	wd := &sc.words[len(sc.words)-1]
	wd.start, wd.end, wd.l0, wd.l1, wd.sent = int32(start), int32(i), l0, l1, int32(len(sc.sents))
	wd.k = k
	wd.content = isContent(n, flags)
	wd.slot, wd.flags, wd.starts = x, flags, starts
	if i < len(s) && s[i] == ' ' {
		i++ // the space after a word, spared a trip through the switch
	}
	return i
}

// sameLong reports whether w is the word s[start:end] in lower case: its copy in buf
// at [l0, l1), or the source when it has no copy.
func (sc *scanner) sameLong(w string, s string, start, end int, l0, l1 int32) bool {
	if l0 >= 0 {
		return w == string(sc.buf[l0:l1]) // compared in place: no copy is made
	}
	return w == s[start:end]
}

// Byte classes of scan's main loop.
const (
	scanSkip uint8 = iota // a separator of no consequence
	scanWord              // an ASCII letter or digit
	scanStop              // . ? !
	scanLine              // \n
	scanHigh              // a byte of a multi-byte rune, or an invalid byte
)

var scanClass = func() (t [256]uint8) {
	for b := 0x80; b < 256; b++ {
		t[b] = scanHigh
	}
	for b := 0; b < 256; b++ {
		if isWordByte(byte(b)) {
			t[b] = scanWord
		}
	}
	t['.'], t['?'], t['!'], t['\n'] = scanStop, scanStop, scanStop, scanLine
	return t
}()

const highBits = 0x8080808080808080

// joins marks the bytes that may join two runs of letters into one word: the straight
// apostrophe and the first byte of the curly one (’). A table costs one test where two
// comparisons cost two branches.
var joins = [256]uint8{'\'': 1, 0xE2: 1}

// foldedPrefix is the word of n <= 8 bytes that starts skip bytes into s, which has
// eight, lower-cased (see foldedKey), as a little-endian number: with keyFinish, the key
// of a short word, both small enough for the compiler to inline in the hot loops. A
// caller loads a word near the end of the text from the text's last eight bytes, with
// a skip, rather than take a branch to a slower way:
//
//	off := min(start, len(s)-8)
//	p := foldedPrefix(s[off:], start-off, n)
//
// is the word at s[start:] for any s of eight bytes or more.
func foldedPrefix(s string, skip, n int) uint64 {
	return (asciirun.Load64(s)>>(uint(skip)*8&63) | 0x2020202020202020) & lowBytes[n&15]
}

// lowBytes[n] keeps the low n bytes of a number, n <= 8; beyond, all of them. A load
// from it is cheaper than the shift it stands for, which Go defines for shifts of 64
// and more and so compiles with a compare and a mask.
var lowBytes = [16]uint64{0, 0xff, 0xffff, 0xffffff, 0xffffffff, 0xffffffffff, 0xffffffffffff,
	0xffffffffffffff, ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}

// foldedKey is keyOf of s[start:end], a word of ASCII letters, digits and straight
// apostrophes, in lower case: the bytes of such a word are lower-cased by setting bit 5
// (0x20), which leaves digits and the apostrophe as they are.
func foldedKey(s string, start, end int) wordKey {
	n := end - start
	if len(s) < 8 {
		var b [8]byte
		for j := range n {
			b[j] = s[start+j] | 0x20
		}
		return keyOf(b[:n])
	}
	if n <= 8 {
		off := min(start, len(s)-8)
		return keyFinish(foldedPrefix(s[off:], start-off, n), n)
	}
	// Eight bytes at a time, the last load shifted and masked to the word (see keyOf
	// and foldedPrefix).
	p := asciirun.Load64(s[start:]) | 0x2020202020202020 // start+8 < end
	h := (p ^ uint64(n)*0x9e3779b97f4a7c15) * 0xbf58476d1ce4e5b9
	for i := start + 8; i < end; i += 8 {
		off := min(i, len(s)-8)
		h = (h ^ h>>31 ^ foldedPrefix(s[off:], i-off, min(end-i, 8))) * 0xbf58476d1ce4e5b9
	}
	h ^= h >> 29
	return wordKey{prefix: p, n: uint32(n), h: uint32(h ^ h>>32)}
}

// appendLowerWord appends the word w to buf in lower case, with its curly apostrophes
// (’) read as straight ones.
func appendLowerWord(buf []byte, w string) []byte {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c == 0xE2 {
			buf = append(buf, '\'')
			i += 2
			continue
		}
		buf = append(buf, c|0x20)
	}
	return buf
}

// wordKey identifies a lower-case word: its first eight bytes packed into a number, its
// length and a hash of all of it. Two words of eight bytes or fewer are equal exactly
// when their keys are; longer ones have their strings compared once the keys agree.
type wordKey struct {
	prefix uint64
	n      uint32
	h      uint32
}

// keyOf is the key of a lower-case word.
func keyOf[T string | []byte](w T) wordKey {
	n := len(w)
	var p uint64
	for j := min(n, 8) - 1; j >= 0; j-- {
		p = p<<8 | uint64(w[j])
	}
	if n <= 8 {
		return keyFinish(p, n)
	}
	h := (p ^ uint64(n)*0x9e3779b97f4a7c15) * 0xbf58476d1ce4e5b9
	for i := 8; i < n; i += 8 {
		var x uint64
		for j := min(n, i+8) - 1; j >= i; j-- {
			x = x<<8 | uint64(w[j])
		}
		h = (h ^ h>>31 ^ x) * 0xbf58476d1ce4e5b9
	}
	h ^= h >> 29
	return wordKey{prefix: p, n: uint32(n), h: uint32(h ^ h>>32)}
}

// keyFinish is the key of a word of n <= 8 bytes packed in p.
func keyFinish(p uint64, n int) wordKey {
	h := (p ^ uint64(n)*0x9e3779b97f4a7c15) * 0xbf58476d1ce4e5b9
	h ^= h >> 29
	return wordKey{prefix: p, n: uint32(n), h: uint32(h ^ h>>32)}
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isLetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// phrases is a lexicon of word sequences, looked up by their first word.
type phrases map[string][][]string

// newPhrases compiles a list of space-separated phrases.
func newPhrases(list ...string) phrases {
	p := phrases{}
	for _, s := range list {
		ws := splitWords(s)
		if len(ws) > 0 {
			p[ws[0]] = append(p[ws[0]], ws[1:])
		}
	}
	return p
}

func splitWords(s string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' {
			if start >= 0 {
				out = append(out, s[start:i])
			}
			start = -1
			continue
		}
		if start < 0 {
			start = i
		}
	}
	return out
}

// stopwordList are words too common to show that a reply is about this customer.
const stopwordList = "the a an and or but so to of in on at for with from by is are was were be been being it its it's this that these those i i'm i've i'll i'd me my mine we we're we've we'll our ours you you're you've you'll your yours he she they them their there here what which who whom when where why how not no yes do does did done have has had having can could will would should shall may might must just very really too also about into over than then now get got go going make made please thanks thank sorry hi hello dear regards any some all more most much many one two can't don't won't it'll that's there's let me"
