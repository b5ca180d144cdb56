package moves

import (
	"chatdojo/internal/asciirun"
	"math"
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token flags. Word flags (the w… ones) come from the vocabulary and are the same for
// every occurrence of a word; the others depend on the word's place in the message.
const (
	wNeg      uint32 = 1 << iota // a negator: cancels positive moves shortly after it
	wBreak                       // starts a new clause for negation ("but", "however")
	wSoft                        // keeps the clause start going ("so", "please", "then")
	wAcronym                     // capitals that are not shouting ("PIN", "USB")
	wNum                         // a number word ("three", "few")
	wSincere                     // a word that, in quotes, is sarcastic ("sorry", "help")
	wCond                        // opens a condition ("if"): a negator after it is no refusal
	wGapStop                     // a pattern's gap does not reach across it ("and", "so")
	wQuestion                    // can open a question ("which", "could", "tell")

	tCaps        // two or more letters, all capitals
	tTitle       // starts with a capital letter
	tClauseStart // first word of a clause, or after a soft starter at one
	tDigit       // starts with a digit
	tClock       // a clock time written as one word ("8am", "10pm")
	tLetter      // has at least one letter
	tPrefix      // matches a prefix pattern ("frustrat*")
	tInSet       // belongs to a word set of the lexicon
)

// tPrefixBit is the bit of tPrefix, for tests made without a branch.
const tPrefixBit = 15

// token is one word of a message. Offsets are int32 to keep the slice compact, which is
// why Classify reads at most maxText bytes of a message.
type token struct {
	id         int32 // vocabulary id, -1 when the word is in no pattern
	start, end int32 // the word in the original text
	sent       int32 // sentence index
	clause     int32 // clause index, counted over the whole message
	flags      uint32
	upper      int32 // letters in capitals, for the mostly-capitals rule
	letters    int32
	pre        int32  // a prefix trie node, whose pm holds the prefix patterns ("frustrat*") the word matches
	row        int32  // the word sets the word belongs to, a row of automaton.rows
	col        int32  // the word's column in the automaton's accept bitsets (see indexAccept)
	bits       filter // the word and its sets folded, for the automaton's filter (see fedge)
	root       filter // the filter of the root edges the word takes (see rootRun)
	aux        int32  // the caller's number for the word (see WithWords), -1 for none
}

// sentence is a run of tokens ended by . ! ? … or a line break.
type sentence struct {
	first, last int32 // token indexes, last inclusive; first > last when empty
	end         int32 // byte offset just past the closing punctuation
	question    bool  // the closing punctuation has a ?
}

// span is a byte range of the original text.
type span struct{ start, end int32 }

// isWordRune reports whether r belongs inside a word.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isASCIILetter(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }

// isApostrophe covers the straight and the curly apostrophe, which phones insert.
func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == '‘' || r == '`' }

// isQuote reports whether r can open or close a quotation around a word.
func isQuote(r rune) bool {
	switch r {
	case '"', '\'', '“', '”', '‘', '’', '«', '»', '`':
		return true
	}
	return false
}

// isEmoji reports whether r is a pictograph, which becomes a token of its own so that
// lexicons can name it (🙄).
func isEmoji(r rune) bool {
	return r >= 0x1F300 && r <= 0x1FAFF || r >= 0x2600 && r <= 0x27BF
}

// decode returns the rune at i; invalid bytes come back as utf8.RuneError of size 1,
// which is treated as a separator.
func decode(text string, i int) (rune, int) {
	if c := text[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(text[i:])
}

// Byte classes of the tokenizer's main loop, which reads ASCII a byte at a time and
// decodes only the bytes of multi-byte runes.
const (
	cNone   uint8 = iota // a separator of no consequence: space, $, % …
	cWord                // a letter or a digit
	cStop                // . ! ?
	cLine                // \n \r
	cQuote               // " ' `
	cClause              // , ; : ( ) * >
	cDash                // -
	cSlash               // /
	cHigh                // a byte of a multi-byte rune, or an invalid byte
)

var byteClass = func() (t [256]uint8) {
	for b := 0x80; b < 256; b++ {
		t[b] = cHigh
	}
	for b := 0; b < 26; b++ {
		t['a'+b], t['A'+b] = cWord, cWord
	}
	for b := '0'; b <= '9'; b++ {
		t[b] = cWord
	}
	for _, cl := range []struct {
		class uint8
		bytes string
	}{{cStop, ".!?"}, {cLine, "\n\r"}, {cQuote, "\"'`"}, {cClause, ",;:()*>"}, {cDash, "-"}, {cSlash, "/"}} {
		for _, b := range []byte(cl.bytes) {
			t[b] = cl.class
		}
	}
	return t
}()

// firstByte gives the flags a word takes from its first byte, an ASCII letter or digit.
var firstByte = func() (t [256]uint32) {
	for b := '0'; b <= '9'; b++ {
		t[b] = tDigit
	}
	for b := 'A'; b <= 'Z'; b++ {
		t[b] = tTitle
	}
	return t
}()

// highBits has bit 7 of every byte: the bits asciirun.Classify8 sets.
const highBits = 0x8080808080808080

// tokState is where the tokenizer stands in the sentences and clauses of a message.
type tokState struct {
	sent       int32 // the current sentence's index
	clause     int32 // the current clause's index
	sentStart  int32 // the current sentence's first token
	sentOpen   bool  // the current sentence has a token
	clauseOpen bool  // the next token starts a clause
	no, way    int32 // vocabulary ids of "no" and "way"
}

func (st *tokState) endSentence(s *scratch, end int, question bool) {
	if !st.sentOpen {
		return
	}
	s.sents = append(s.sents, sentence{
		first: st.sentStart, last: int32(len(s.toks)) - 1, end: int32(end),
		question: question,
	})
	st.sent++
	st.clause++
	st.sentOpen = false
	st.clauseOpen = true
}

func (st *tokState) endClause() {
	if st.sentOpen && !st.clauseOpen {
		st.clause++
	}
	st.clauseOpen = true
}

// place gives the token just appended, a word or an emoji, its sentence and clause.
func (st *tokState) place(s *scratch) {
	n := len(s.toks) - 1
	t := &s.toks[n]
	if t.flags&wBreak != 0 {
		st.endClause()
	}
	if !st.sentOpen {
		st.sentOpen = true
		st.sentStart = int32(n)
	}
	if st.clauseOpen {
		t.flags |= tClauseStart
		st.clauseOpen = false
	} else if n > 0 && s.toks[n-1].flags&tClauseStart != 0 &&
		s.toks[n-1].flags&wSoft != 0 && s.toks[n-1].clause == st.clause {
		t.flags |= tClauseStart
	}
	t.sent, t.clause = st.sent, st.clause
	// "no" negates only in "no way".
	if t.id == st.way && n > 0 && s.toks[n-1].id == st.no && s.toks[n-1].sent == t.sent {
		s.toks[n-1].flags |= wNeg
	}
}

// tokenize fills s with the tokens and sentences of text.
//
// Words of ASCII letters, digits and straight apostrophes, nearly all of any message,
// are scanned eight bytes at a time, looked up straight from the text and their tokens
// built in place; other words go to wordTokenSlow. This is the tokenizer's hot path, so
// it is written out in the loop: the helpers it mirrors (asciirun.Run, vocab.findText,
// scratch.pushWord, tokState.place) are too big for the compiler to inline, and a call
// per step costs more than the step. TestLookups checks it against them.
func (c *Classifier) tokenize(s *scratch, text string) {
	s.reset()
	s.qOpen = -1
	st := tokState{clauseOpen: true, no: c.words.no, way: c.words.way}
	// The token slice lives in a local variable while words are added: writing it back
	// into s, a heap object, after every word would go through the garbage collector's
	// write barrier whenever a collection is marking.
	toks := s.toks
	i := 0
words:
	for i < len(text) {
		switch byteClass[text[i]] {
		case cNone:
			i++
			continue
		case cWord:
		default:
			s.toks = toks
			i = c.punct(s, &st, text, i)
			toks = s.toks
			continue
		}

		// The run of letters and digits, eight bytes at a time (see asciirun.Classify8), and on
		// across inner apostrophes ("don't").
		j := i
		var upper, letters int
		for {
			if j+8 <= len(text) {
				letter, up, word := asciirun.Classify8(asciirun.Load64(text[j : j+8]))
				ends := ^word & highBits // the bytes that are no part of a word
				in := asciirun.Before(ends)
				letters += asciirun.Count8(letter & in)
				upper += asciirun.Count8(up & in)
				j += bits.TrailingZeros64(ends) >> 3
				if ends == 0 {
					continue
				}
			} else {
				k, lo, up := asciirun.Run(text, j)
				j, letters, upper = k, letters+int(lo+up), upper+int(up)
			}
			if j >= len(text) {
				break
			}
			if b := text[j]; b == '\'' {
				if !c.innerApostrophe(text, i, j, 1) {
					break
				}
				if !isASCIILetter(text[j+1]) {
					s.mixed = true // "90'5": a plain reading ends the word at the apostrophe
				}
				j++
				continue
			} else if b < utf8.RuneSelf && b != '`' {
				break
			}
			// A backtick or a multi-byte rune: the slow path normalises what belongs to
			// the word.
			r, n := decode(text, j)
			if isWordRune(r) || isApostrophe(r) && c.innerApostrophe(text, i, j, n) {
				s.toks = toks
				i = c.wordTokenSlow(s, &st, text, i)
				toks = s.toks
				continue words
			}
			break
		}

		// Look the word up (see vocab.findText, which this is). The masks keep the word's
		// bytes of the two loads (see keyMasks).
		n := j - i
		var k0, k1 uint64
		if i+keyed <= len(text) {
			m := &keyMasks[min(n, keyed)]
			k0 = asciirun.Load64(text[i:i+8]) | asciiLower
			k1 = asciirun.Load64(text[i+8:i+16]) | asciiLower
			k0 &= m[0]
			k1 &= m[1]
		} else {
			k0, k1 = textKey(text, i, j)
		}
		v := c.words
		key := key0(k0, n)
		mask := uint64(len(v.slots) - 1)
		var sp *spelling
		var neg uint32
		for k := vhash(key) >> v.shift; ; k = (k + 1) & mask {
			x := v.slots[k]
			if x == 0 {
				sp = &c.auto.preEnt[c.prefixes.matchText(text, i, j)]
				// Every "n't" form negates, listed or not ("mustn't"): the listed ones
				// have wNeg in their spelling's flags (see ntForm).
				if n > 3 && text[j-3]|0x20 == 'n' && text[j-2] == '\'' && text[j-1]|0x20 == 't' {
					neg = wNeg
				}
				break
			}
			if e := &v.spell[x-1]; e.key == key && int(e.n) == min(n, math.MaxUint16) &&
				(n <= 8 || v.k1s[x-1] == k1 && (n <= keyed || foldEq(text[i+keyed:j], v.tails[x-1]))) {
				sp = e
				break
			}
		}

		f := sp.flags | firstByte[text[i]] | neg
		if letters > 0 {
			f |= tLetter
		}
		if upper >= 2 && letters == upper {
			f |= tCaps
			s.caps = true
		}
		// The bytes are letters, digits and ', so b|0x20 is b in lowercase.
		if f&tDigit != 0 && n > 2 && (text[j-2]|0x20 == 'a' || text[j-2]|0x20 == 'p') && text[j-1]|0x20 == 'm' {
			f |= tClock
		}

		// Place it (see tokState.place, which this is).
		at := len(toks)
		if f&wBreak != 0 {
			st.endClause()
		}
		if !st.sentOpen {
			st.sentOpen = true
			st.sentStart = int32(at)
		}
		if st.clauseOpen {
			f |= tClauseStart
			st.clauseOpen = false
		} else if at > 0 && toks[at-1].flags&(tClauseStart|wSoft) == tClauseStart|wSoft && toks[at-1].clause == st.clause {
			f |= tClauseStart
		}
		if sp.id == st.way && at > 0 && toks[at-1].id == st.no && toks[at-1].sent == st.sent {
			toks[at-1].flags |= wNeg // "no" negates only in "no way"
		}

		// Append it, field by field (see pushWord).
		if at == cap(toks) {
			toks = slices.Grow(toks, 1)
		}
		toks = toks[:at+1]
		t := &toks[at]
		t.id, t.start, t.end = sp.id, int32(i), int32(j)
		t.sent, t.clause = st.sent, st.clause
		t.flags, t.upper, t.letters = f, int32(upper), int32(letters)
		t.pre, t.row, t.col = int32(sp.pre), sp.row, sp.col
		t.bits, t.root, t.aux = sp.bits, sp.root, sp.aux
		i = j
		if i < len(text) && text[i] == ' ' {
			i++ // the space after a word, spared a trip through the switch
		}
	}
	s.toks = toks
	st.endSentence(s, len(text), false)
	s.qOpen = -1
}

// punct handles the byte or rune at i, which is neither a word's nor a plain
// separator's, and returns where to go on.
func (c *Classifier) punct(s *scratch, st *tokState, text string, i int) int {
	switch byteClass[text[i]] {
	case cStop:
		return c.stops(s, st, text, i)
	case cLine:
		st.endSentence(s, i, false)
		s.qOpen = -1
		if text[i] == '\r' {
			s.mixed = true
		}
	case cQuote:
		c.quote(s, text, i, 1)
	case cClause:
		st.endClause()
	case cDash:
		// A dash between spaces separates clauses; a hyphen inside a word does not.
		if i > 0 && text[i-1] == ' ' && i+1 < len(text) && text[i+1] == ' ' {
			st.endClause()
		}
	case cSlash:
		if c.slashS(s, text, i) {
			s.mixed = true
			// "/s" is a token of its own, outside the clause logic.
			n := len(s.toks) - 1
			t := &s.toks[n]
			t.sent, t.clause = st.sent, st.clause
			if !st.sentOpen {
				st.sentOpen = true
				st.sentStart = int32(n)
			}
			return int(t.end)
		}
	case cHigh:
		r, n := decode(text, i)
		switch {
		case isEmoji(r):
			s.mixed = true // a token of its own, where a plain reading sees a separator
			c.emojiToken(s, text, i, n)
			st.place(s)
		case isWordRune(r):
			return c.wordTokenSlow(s, st, text, i)
		case r == '…':
			s.mixed = true // a plain reading goes on past it
			return c.stops(s, st, text, i)
		case isQuote(r):
			c.quote(s, text, i, n)
		case r == '—' || r == '–' || r == '•':
			st.endClause()
		}
		return i + n
	}
	return i + 1
}

// stops reads the run of closing punctuation (. ! ? …) at i and returns where it ends.
// The run ends the sentence; a dot inside a word ("acme.com", "3.5") does not.
func (c *Classifier) stops(s *scratch, st *tokState, text string, i int) int {
	j, question, bangs := i, false, 0
run:
	for j < len(text) {
		switch text[j] {
		case '?':
			question = true
		case '!':
			bangs++
		case '.':
		case "…"[0]:
			if !strings.HasPrefix(text[j:], "…") {
				break run
			}
			j += len("…") - 1
		default:
			break run
		}
		j++
	}
	s.exclamations += int32(bangs)
	if bangs >= 2 {
		s.bangs = append(s.bangs, span{int32(i), int32(j)})
	}
	if text[i] == '.' && j == i+1 && j < len(text) {
		if q, _ := decode(text, j); isWordRune(q) {
			return j
		}
		if b := text[j]; b != ' ' && b != '\n' {
			s.mixed = true // a plain reading goes on past a dot before ")" or a quotation mark
		}
	}
	st.endSentence(s, j, question)
	return j
}

// pushWord appends the token of a word of spelling sp at text[i:j], with flags f. It
// writes the fields in place: a token built whole and then copied is stored in 4-byte
// pieces and loaded back in 16-byte ones, a pattern the CPU cannot forward from its
// store buffer, and every token would stall on it.
func (s *scratch) pushWord(sp *spelling, i, j int, f uint32, upper, lower int32) {
	s.toks = slices.Grow(s.toks, 1)
	s.toks = s.toks[:len(s.toks)+1]
	t := &s.toks[len(s.toks)-1]
	t.id, t.start, t.end = sp.id, int32(i), int32(j)
	t.sent, t.clause = 0, 0 // set by tokState.place
	t.flags, t.upper, t.letters = f, upper, upper+lower
	t.pre, t.row, t.col = int32(sp.pre), sp.row, sp.col
	t.bits, t.root, t.aux = sp.bits, sp.root, sp.aux
}

// wordTokenSlow is the tokenizer's word path for any word: it lowercases the word rune by rune into
// s.buf, normalising its apostrophes, and looks that up.
func (c *Classifier) wordTokenSlow(s *scratch, st *tokState, text string, i int) int {
	s.mixed = true
	var flags uint32
	var upper, lower int32
	buf := s.buf[:0]
	if b := text[i]; b >= '0' && b <= '9' {
		flags |= tDigit
	} else if b >= 'A' && b <= 'Z' {
		flags |= tTitle
	}
	j := i
	for j < len(text) {
		if b := text[j]; b < utf8.RuneSelf {
			switch {
			case b >= 'a' && b <= 'z':
				lower++
			case b >= 'A' && b <= 'Z':
				upper++
				b += 'a' - 'A'
			case b >= '0' && b <= '9':
			case b == '\'' || b == '`':
				if !c.innerApostrophe(text, i, j, 1) {
					goto done
				}
				b = '\''
			default:
				goto done
			}
			buf = append(buf, b)
			j++
			continue
		}
		r, n := decode(text, j)
		if isApostrophe(r) {
			if !c.innerApostrophe(text, i, j, n) {
				break
			}
			buf = append(buf, '\'')
			j += n
			continue
		}
		if !isWordRune(r) {
			break
		}
		if unicode.IsUpper(r) {
			upper++
			if j == i {
				flags |= tTitle
			}
		} else if unicode.IsLetter(r) {
			lower++
		}
		buf = utf8.AppendRune(buf, unicode.ToLower(r))
		j += n
	}
done:
	s.buf = buf
	sp := c.words.findBytes(buf)
	if sp == nil {
		sp = &c.auto.preEnt[c.prefixes.matchBytes(buf)]
	}
	flags |= sp.flags
	if upper+lower > 0 {
		flags |= tLetter
	}
	if upper >= 2 && lower == 0 {
		flags |= tCaps
		s.caps = true
	}
	n := len(buf)
	if flags&tDigit != 0 && n > 2 && (buf[n-2] == 'a' || buf[n-2] == 'p') && buf[n-1] == 'm' {
		flags |= tClock
	}
	if n > 3 && buf[n-3] == 'n' && buf[n-2] == '\'' && buf[n-1] == 't' {
		flags |= wNeg
	}
	s.pushWord(sp, i, j, flags, upper, lower)
	st.place(s)
	return j
}

// ntForm reports whether a lower-case word is an "n't" form ("mustn't"), which negates
// whether the negators list it or not.
func ntForm(w string) bool { return len(w) > 3 && strings.HasSuffix(w, "n't") }

// innerApostrophe reports whether the apostrophe of n bytes at j, in the word that
// starts at i, stands between letters (don't, o'clock) and so belongs to the word.
func (c *Classifier) innerApostrophe(text string, i, j, n int) bool {
	if j == i || j+n >= len(text) {
		return false
	}
	q, _ := decode(text, j+n)
	return isWordRune(q)
}

// quote tracks quotation marks: a sincere word or two in quotes ("so sorry") is a
// sarcasm marker, recorded in s.quotes with its quotation marks.
func (c *Classifier) quote(s *scratch, text string, i, size int) {
	prevWord := false
	if i > 0 {
		p, _ := utf8.DecodeLastRuneInString(text[:i])
		prevWord = isWordRune(p) || p == '.' || p == '!' || p == '?'
	}
	if !prevWord {
		s.qOpen, s.qByte = int32(len(s.toks)), int32(i)
		return
	}
	if s.qOpen < 0 {
		return
	}
	n := int32(len(s.toks)) - s.qOpen
	if n >= 1 && n <= 3 {
		for k := range s.toks[s.qOpen:] {
			if s.toks[int(s.qOpen)+k].flags&wSincere != 0 {
				s.quotes = append(s.quotes, span{s.qByte, int32(i + size)})
				break
			}
		}
	}
	s.qOpen = -1
}

// emojiToken appends the token of one pictograph. It takes its id from the
// vocabulary but, unlike a word, none of the word's flags.
func (c *Classifier) emojiToken(s *scratch, text string, i, size int) {
	s.buf = append(s.buf[:0], text[i:i+size]...)
	t := c.auto.bareToken(c.words.lookup(s.buf))
	t.start, t.end = int32(i), int32(i+size)
	s.toks = append(s.toks, t)
}

// slashS recognises the "/s" sarcasm tag and appends it as a token.
func (c *Classifier) slashS(s *scratch, text string, i int) bool {
	if i+1 >= len(text) || (text[i+1] != 's' && text[i+1] != 'S') {
		return false
	}
	if i > 0 {
		if p, _ := utf8.DecodeLastRuneInString(text[:i]); isWordRune(p) || p == '/' {
			return false
		}
	}
	if i+2 < len(text) {
		if q, _ := decode(text, i+2); isWordRune(q) || q == '/' {
			return false
		}
	}
	t := c.auto.bareToken(c.auto.slashID)
	t.start, t.end = int32(i), int32(i+2)
	s.toks = append(s.toks, t)
	return true
}
