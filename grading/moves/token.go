package moves

import (
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

// token is one word of a message. Offsets are int32 to keep the slice compact, which is
// why Classify reads at most maxText bytes of a message.
type token struct {
	id         int32 // vocabulary id, -1 when the word is in no pattern
	lo, hi     int32 // the lowercase word in scratch.buf
	start, end int32 // the word in the original text
	sent       int32 // sentence index
	clause     int32 // clause index, counted over the whole message
	flags      uint32
	upper      int32 // letters in capitals, for the mostly-capitals rule
	letters    int32
	pm         [prefixWords]uint64 // the prefix patterns ("frustrat*") this word matches
	wordBit    uint64              // fold64 of id and of the word's sets, for the
	setBits    uint64              // automaton's next-token filter (see fedge)
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

// tokenize fills s with the tokens and sentences of text.
func (c *Classifier) tokenize(s *scratch, text string) {
	s.reset()
	s.qOpen = -1
	sent := int32(0)
	clause := int32(0)
	sentOpen := false  // the current sentence has a token
	clauseOpen := true // the next token starts a clause
	sentStart := int32(0)
	endSentence := func(end int, question bool) {
		if !sentOpen {
			return
		}
		s.sents = append(s.sents, sentence{
			first: sentStart, last: int32(len(s.toks)) - 1, end: int32(end),
			question: question,
		})
		sent++
		clause++
		sentOpen = false
		clauseOpen = true
	}
	endClause := func() {
		if sentOpen && !clauseOpen {
			clause++
		}
		clauseOpen = true
	}

	i := 0
	for i < len(text) {
		r, size := decode(text, i)
		switch {
		case isWordRune(r) || isEmoji(r):
			var t token
			if isEmoji(r) {
				t = c.emojiToken(s, text, i, size)
			} else {
				t = c.wordToken(s, text, i)
			}
			if t.flags&wBreak != 0 {
				endClause()
			}
			if !sentOpen {
				sentOpen = true
				sentStart = int32(len(s.toks))
			}
			if clauseOpen {
				t.flags |= tClauseStart
				clauseOpen = false
			} else if n := len(s.toks); n > 0 && s.toks[n-1].flags&tClauseStart != 0 &&
				s.toks[n-1].flags&wSoft != 0 && s.toks[n-1].clause == clause {
				t.flags |= tClauseStart
			}
			t.sent, t.clause = sent, clause
			s.toks = append(s.toks, t)
			i = int(t.end)
			continue
		case r == '.' || r == '!' || r == '?' || r == '…':
			// A run of closing punctuation ends the sentence; a dot inside a word
			// ("acme.com", "3.5") does not.
			j, question, bangs := i, false, 0
			for j < len(text) {
				q, n := decode(text, j)
				if q == '?' {
					question = true
				} else if q == '!' {
					bangs++
				} else if q != '.' && q != '…' {
					break
				}
				j += n
			}
			if bangs >= 2 {
				s.bangs = append(s.bangs, span{int32(i), int32(j)})
			}
			if r == '.' && j == i+1 && j < len(text) {
				if q, _ := decode(text, j); isWordRune(q) {
					i = j
					continue
				}
			}
			endSentence(j, question)
			i = j
			continue
		case r == '\n' || r == '\r':
			endSentence(i, false)
			s.qOpen = -1
		case isQuote(r):
			c.quote(s, text, i, size)
		case r == ',' || r == ';' || r == ':' || r == '(' || r == ')' || r == '—' || r == '–' ||
			r == '•' || r == '*' || r == '>':
			endClause()
		case r == '-':
			// A dash between spaces separates clauses; a hyphen inside a word does not.
			if i > 0 && text[i-1] == ' ' && i+1 < len(text) && text[i+1] == ' ' {
				endClause()
			}
		case r == '/':
			if t, ok := c.slashS(s, text, i); ok {
				t.sent, t.clause = sent, clause
				if !sentOpen {
					sentOpen = true
					sentStart = int32(len(s.toks))
				}
				s.toks = append(s.toks, t)
				i = int(t.end)
				continue
			}
		}
		i += size
	}
	endSentence(len(text), false)
	c.markNegators(s)
	s.qOpen = -1
}

// wordToken scans the word that starts at i, lowercasing it into s.buf.
func (c *Classifier) wordToken(s *scratch, text string, i int) token {
	t := token{start: int32(i), lo: int32(len(s.buf))}
	var upper, lower int32
	h := uint32(fnvOffset)
	if b := text[i]; b >= '0' && b <= '9' {
		t.flags |= tDigit
	} else if b >= 'A' && b <= 'Z' {
		t.flags |= tTitle
	}
	j := i
	for j < len(text) {
		// ASCII letters and digits, the bulk of any message, take this short path.
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
			s.buf = append(s.buf, b)
			h = (h ^ uint32(b)) * fnvPrime
			j++
			continue
		}
		r, n := decode(text, j)
		if isApostrophe(r) {
			if !c.innerApostrophe(text, i, j, n) {
				break
			}
			s.buf = append(s.buf, '\'')
			h = (h ^ '\'') * fnvPrime
			j += n
			continue
		}
		if !isWordRune(r) {
			break
		}
		if unicode.IsUpper(r) {
			upper++
			if j == i {
				t.flags |= tTitle
			}
		} else if unicode.IsLetter(r) {
			lower++
		}
		k := len(s.buf)
		s.buf = utf8.AppendRune(s.buf, unicode.ToLower(r))
		for _, b := range s.buf[k:] {
			h = (h ^ uint32(b)) * fnvPrime
		}
		j += n
	}
done:
	t.end, t.hi = int32(j), int32(len(s.buf))
	t.upper, t.letters = upper, upper+lower
	if t.letters > 0 {
		t.flags |= tLetter
	}
	if upper >= 2 && lower == 0 {
		t.flags |= tCaps
	}
	word := s.buf[t.lo:t.hi]
	n := len(word)
	if t.flags&tDigit != 0 && n > 2 && (word[n-2] == 'a' || word[n-2] == 'p') && word[n-1] == 'm' {
		t.flags |= tClock
	}
	if n > 3 && word[n-3] == 'n' && word[n-2] == '\'' && word[n-1] == 't' {
		t.flags |= wNeg // every "n't" form negates, listed or not ("mustn't")
	}
	t.id = c.words.find(word, h)
	t.flags |= c.words.flags(t.id)
	t.pm = c.prefixes.match(word)
	if t.pm != [prefixWords]uint64{} {
		t.flags |= tPrefix
	}
	return t
}

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
		for _, t := range s.toks[s.qOpen:] {
			if t.flags&wSincere != 0 {
				s.quotes = append(s.quotes, span{s.qByte, int32(i + size)})
				break
			}
		}
	}
	s.qOpen = -1
}

// emojiToken makes a token of one pictograph.
func (c *Classifier) emojiToken(s *scratch, text string, i, size int) token {
	t := token{start: int32(i), end: int32(i + size), lo: int32(len(s.buf))}
	s.buf = append(s.buf, text[i:i+size]...)
	t.hi = int32(len(s.buf))
	t.id = c.words.lookup(s.buf[t.lo:t.hi])
	return t
}

// slashS recognises the "/s" sarcasm tag as a token.
func (c *Classifier) slashS(s *scratch, text string, i int) (token, bool) {
	if i+1 >= len(text) || (text[i+1] != 's' && text[i+1] != 'S') {
		return token{}, false
	}
	if i > 0 {
		if p, _ := utf8.DecodeLastRuneInString(text[:i]); isWordRune(p) || p == '/' {
			return token{}, false
		}
	}
	if i+2 < len(text) {
		if q, _ := decode(text, i+2); isWordRune(q) || q == '/' {
			return token{}, false
		}
	}
	t := token{start: int32(i), end: int32(i + 2), lo: int32(len(s.buf))}
	s.buf = append(s.buf, '/', 's')
	t.hi = int32(len(s.buf))
	t.id = c.words.lookup(s.buf[t.lo:t.hi])
	return t, true
}

// markNegators flags the words that negate only in company: "no" in "no way".
func (c *Classifier) markNegators(s *scratch) {
	for i := range s.toks {
		t := &s.toks[i]
		if t.id >= 0 && t.id == c.words.no && i+1 < len(s.toks) && s.toks[i+1].id == c.words.way &&
			s.toks[i+1].sent == t.sent {
			t.flags |= wNeg
		}
	}
}
