package grading

import (
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

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
	// slots is each word's slot in lex.table, -1 for words no lexicon knows: indexes,
	// not pointers, so that the garbage collector need not guard or scan them.
	slots []int32
	lex   *lexicon
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
	// content marks a word of three letters or more that is no stopword (set by
	// scan): one that can show a reply is about this customer.
	content bool
}

// w is word i of t, lower-cased.
func (t *text) w(i int) string {
	wd := &t.words[i]
	if wd.l0 < 0 {
		return t.src[wd.start:wd.end]
	}
	return t.low[wd.l0:wd.l1]
}

// wlen is the length in bytes of word i of t, lower-cased.
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
	start, end  int // byte offsets in the source
	question    bool
}

// scan fills t from s and looks every word up in l as it ends. buf is reused for the
// lower-case copy.
//
// This is the grader's hot loop, run over every message, so the word path is written
// out in it: the word's run of letters and digits is found eight bytes at a time (see
// asciirun.Classify8), its key is read straight from the source with the capitals
// folded (see foldedKey), and it is looked up in the lexicon's table in place. Only a
// word with capitals or a curly apostrophe is copied, lower-cased, into buf.
func (t *text) scan(s string, buf []byte, l *lexicon) []byte {
	t.src, t.low = s, ""
	// The word list lives in a local variable while it grows: writing it back into t,
	// a heap object, after every word would pass the garbage collector's write barrier.
	words, slots := t.words[:0], t.slots[:0]
	t.lex = l
	sents := t.sents[:0]
	letters, upper, bangs, capsRun := 0, 0, 0, 0
	buf = buf[:0]
	sentStart, sentFirst := 0, 0
	run := 0
	table, mask := l.table, l.mask
	for i := 0; i < len(s); {
		c := s[i]
		switch scanClass[c] {
		case scanSkip:
			i++
			continue
		case scanWord:
		case scanStop:
			if c == '!' {
				bangs++
			}
			j := i
			q := false
			for j < len(s) && (s[j] == '.' || s[j] == '?' || s[j] == '!') {
				if s[j] == '?' {
					q = true
				}
				if s[j] == '!' && j > i {
					bangs++
				}
				j++
			}
			// A dot inside a number or an abbreviation ("3.5", "e.g.") is no end.
			if c == '.' && !q && j-i == 1 && j < len(s) && s[j] != ' ' && s[j] != '\n' {
				i = j
				continue
			}
			i = j
			if len(words) > sentFirst {
				sents = append(sents, sentence{first: sentFirst, last: len(words), start: sentStart, end: j, question: q})
			}
			sentFirst, sentStart = len(words), j
			continue
		case scanLine:
			if len(words) > sentFirst {
				sents = append(sents, sentence{first: sentFirst, last: len(words), start: sentStart, end: i})
			}
			sentFirst, sentStart = len(words), i
			i++
			continue
		case scanHigh:
			r, n := utf8.DecodeRuneInString(s[i:])
			if unicode.IsLetter(r) {
				letters++
				if unicode.IsUpper(r) {
					upper++
				}
			}
			i += n
			continue
		}
		// A word: letters, digits and inner apostrophes.
		start := i
		var lo, up int
		curly := false
		for {
			if i+8 <= len(s) {
				x := asciirun.Load64(s[i : i+8])
				l8, u8, w8 := asciirun.Classify8(x)
				stop := bits.TrailingZeros64(^w8 & highBits)
				in := uint64(1)<<stop - 1 // the run's bytes; all eight when stop is 64
				lo += bits.OnesCount64(l8 & in)
				up += bits.OnesCount64(u8 & in)
				i += stop >> 3
				if stop == 64 {
					continue
				}
			} else {
				k, l1, u1 := asciirun.Run(s, i)
				i, lo, up = k, lo+int(l1), up+int(u1)
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
		upper += up
		letters += lo + up
		if lo == 0 && up >= 2 {
			run++
			capsRun = max(capsRun, run)
		} else if lo+up > 0 {
			run = 0
		}
		// The word is written in place: one built whole and copied in would be stored
		// in small pieces and loaded back in large ones, which stalls.
		words = slices.Grow(words, 1)
		words = words[:len(words)+1]
		wd := &words[len(words)-1]
		wd.start, wd.end, wd.l0, wd.l1, wd.sent = int32(start), int32(i), -1, 0, int32(len(sents))
		n := i - start
		var k wordKey
		copied := up > 0 || curly
		b0 := len(buf)
		if copied {
			buf = appendLowerWord(buf, s[start:i])
			wd.l0, wd.l1 = int32(b0), int32(len(buf))
			n = len(buf) - b0
			k = keyOf(buf[b0:])
		} else if n <= 8 && start+8 <= len(s) {
			// foldedKey, inline for the common case.
			p := (asciirun.Load64(s[start:]) | 0x2020202020202020) & (1<<(8*uint(n)) - 1)
			h := (p ^ uint64(n)*0x9e3779b97f4a7c15) * 0xbf58476d1ce4e5b9
			h ^= h >> 29
			k = wordKey{prefix: p, n: uint32(n), h: uint32(h ^ h>>32)}
		} else {
			k = foldedKey(s, start, i)
		}
		wd.k = k
		// Look it up (see lexicon.lookup, which this is).
		x := int32(-1)
		for h := k.h & mask; ; h = (h + 1) & mask {
			sl := &table[h]
			if sl.info == nil {
				break
			}
			if sl.k == k && (n <= 8 || copied && sl.w == string(buf[b0:]) || !copied && sl.w == s[start:i]) {
				x = int32(h)
				break
			}
		}
		slots = append(slots, x)
		wd.content = n >= 3 && (x < 0 || table[x].info.flags&flagStop == 0)
		if i < len(s) && s[i] == ' ' {
			i++ // the space after a word, spared a trip through the switch
		}
	}
	if len(words) > sentFirst {
		sents = append(sents, sentence{first: sentFirst, last: len(words), start: sentStart, end: len(s)})
	}
	t.words, t.slots, t.sents = words, slots, sents
	t.letters, t.upper, t.bangs, t.capsRun = letters, upper, bangs, capsRun
	if len(buf) > 0 {
		t.low = string(buf) // one allocation for the words that needed lower-casing
	}
	return buf
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

// foldedKey is keyOf of s[start:end], a word of ASCII letters, digits and straight
// apostrophes, in lower case: the bytes of such a word are lower-cased by setting bit 5
// (0x20), which leaves digits and the apostrophe as they are.
func foldedKey(s string, start, end int) wordKey {
	n := end - start
	if n > 8 || start+8 > len(s) {
		var b [64]byte
		if n > len(b) {
			return keyOf(strings.ToLower(s[start:end]))
		}
		for j := range n {
			b[j] = s[start+j] | 0x20
		}
		return keyOf(b[:n])
	}
	p := asciirun.Load64(s[start:]) | 0x2020202020202020
	p &= 1<<(8*uint(n)) - 1 // n is 1 to 8: a shift by 64 gives 0, and 0-1 is all ones
	return keyFinish(p, n)
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

// keyAt is keyOf(s[start:end]), reading the prefix in one load when s has eight bytes
// from start.
func keyAt(s string, start, end int) wordKey {
	n := end - start
	if n > 8 || start+8 > len(s) {
		return keyOf(s[start:end])
	}
	p := asciirun.Load64(s[start:])
	if n < 8 {
		p &= 1<<(8*uint(n)) - 1
	}
	return keyFinish(p, n)
}

// keyFinish is the key of a word of n <= 8 bytes packed in p.
func keyFinish(p uint64, n int) wordKey {
	h := (p ^ uint64(n)*0x9e3779b97f4a7c15) * 0xbf58476d1ce4e5b9
	h ^= h >> 29
	return wordKey{prefix: p, n: uint32(n), h: uint32(h ^ h>>32)}
}

// sameWord reports whether the words a (key ka) and b (key kb) are the same.
func sameWord(ka wordKey, a string, kb wordKey, b string) bool {
	return ka == kb && (ka.n <= 8 || a == b)
}

// appendLower appends w, ASCII letters and digits, to buf in lower case.
func appendLower(buf []byte, w string) []byte {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
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
