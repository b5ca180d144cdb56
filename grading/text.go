package grading

import (
	"slices"
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
func (t *text) scan(s string, buf []byte, l *lexicon) []byte {
	t.src, t.low = s, ""
	// The word list lives in a local variable while it grows: writing it back into t,
	// a heap object, after every word would pass the garbage collector's write barrier.
	words, slots := t.words[:0], t.slots[:0]
	t.lex = l
	t.sents = t.sents[:0]
	t.letters, t.upper, t.bangs, t.capsRun = 0, 0, 0, 0
	buf = buf[:0]
	sentStart, sentFirst := 0, 0
	run := 0
	closeSent := func(end int, q bool) {
		if len(words) > sentFirst {
			t.sents = append(t.sents, sentence{first: sentFirst, last: len(words), start: sentStart, end: end, question: q})
		}
		sentFirst = len(words)
		sentStart = end
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case isWordByte(c):
				// A word: letters, digits and inner apostrophes, found eight bytes at a
				// time. It is lower-cased into buf only when it has capitals or a curly
				// apostrophe; else it is a slice of s.
				start := i
				b0 := len(buf)
				copied := false
				var lower, upper int32
				for {
					end, lo, up := asciirun.Run(s, i)
					if up > 0 && !copied {
						buf, copied = append(buf, s[start:i]...), true
					}
					if copied {
						buf = appendLower(buf, s[i:end])
					}
					lower, upper, i = lower+lo, upper+up, end
					if i+1 < len(s) && s[i] == '\'' && isLetter(s[i+1]) {
						if copied {
							buf = append(buf, '\'')
						}
						i++
						continue
					}
					if i+3 < len(s) && s[i] == 0xE2 && s[i+1] == 0x80 && s[i+2] == 0x99 && isLetter(s[i+3]) {
						// A curly apostrophe (’) reads as a straight one.
						if !copied {
							buf, copied = append(buf, s[start:i]...), true
						}
						buf = append(buf, '\'')
						i += 3
						continue
					}
					break
				}
				t.upper += int(upper)
				t.letters += int(lower + upper)
				if lower == 0 && upper >= 2 {
					run++
					t.capsRun = max(t.capsRun, run)
				} else if lower+upper > 0 {
					run = 0
				}
				// The word is written in place: one built whole and copied in would be
				// stored in small pieces and loaded back in large ones, which stalls.
				words = slices.Grow(words, 1)
				words = words[:len(words)+1]
				wd := &words[len(words)-1]
				wd.start, wd.end, wd.l0, wd.l1, wd.sent, wd.content = int32(start), int32(i), -1, 0, int32(len(t.sents)), false
				var x int32
				n := i - start
				if copied {
					wd.l0, wd.l1 = int32(b0), int32(len(buf))
					wd.k = keyOf(buf[b0:])
					x, n = l.lookupBytes(buf[b0:], wd.k), len(buf)-b0
				} else {
					wd.k = keyAt(s, start, i)
					x = l.lookup(s[start:i], wd.k)
				}
				slots = append(slots, x)
				wd.content = n >= 3 && (x < 0 || l.table[x].info.flags&flagStop == 0)
				continue
			case c == '.' || c == '?' || c == '!':
				if c == '!' {
					t.bangs++
				}
				j := i
				q := false
				for j < len(s) && (s[j] == '.' || s[j] == '?' || s[j] == '!') {
					if s[j] == '?' {
						q = true
					}
					if s[j] == '!' && j > i {
						t.bangs++
					}
					j++
				}
				// A dot inside a number or an abbreviation ("3.5", "e.g.") is no end.
				if c == '.' && !q && j-i == 1 && j < len(s) && s[j] != ' ' && s[j] != '\n' {
					i = j
					continue
				}
				closeSent(j, q)
				i = j
				continue
			case c == '\n':
				closeSent(i, false)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) {
			t.letters++
			if unicode.IsUpper(r) {
				t.upper++
			}
		}
		i += n
	}
	closeSent(len(s), false)
	t.words, t.slots = words, slots
	if len(buf) > 0 {
		t.low = string(buf) // one allocation for the words that needed lower-casing
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
