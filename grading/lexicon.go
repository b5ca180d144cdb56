package grading

import (
	"math"
	"math/bits"
	"slices"
	"strconv"
)

// The phrase lexicons, by index in lexicon.rests.
const (
	lexFormula = iota
	lexWarm
	lexUnderstandGeneric
	lexUnderstandSpecific
	lexPersonal
	lexLeave
	nLex

	// The phrase lexicons of a reply (see mechanisms) are those before lexLeave.
	nReplyLex = lexLeave
)

// The word flags of wordInfo.
const (
	flagStop uint16 = 1 << iota
	flagFeeling
	flagAngry
	flagWorried
	flagPositive
	// The word groups of the reply checks (see startsWithAction, mentionsYou, explains,
	// repeatAsk): tested by flag, the words need no lower-case copy.
	flagAction // "i've", "i'll", "i", "we've", "we'll", "we", "let's", "please"
	flagYou    // "you", "your", "you're", "you've", "you'll", "you'd"
	flagCause  // "because", "why", "due", "caused", "since"
	flagEmail  // "email", "e-mail"
	flagNumber // "number", "reference", "digits", "id"
)

// wordInfo is what the lexicons say about one word outside its phrases (which are in
// lexicon.rests): its flags, and which phrase lexicons have a phrase starting with it.
// One look-up per word of a message answers every lexicon at once.
type wordInfo struct {
	flags uint16
	// starts has bit lex set when a phrase of lexicon lex starts with the word.
	starts uint8
}

// lexicon is the compiled word index of the rule judge and the customer-state
// estimate, built once by New. docs/grading.md explains how each list is used.
type lexicon struct {
	words map[string]*wordInfo
	// table is words as an open-addressing hash table on the key that scan has
	// already computed: a look-up costs a probe or two, not a map access. Its slots are
	// 16 bytes and hold what most look-ups need, so that the table stays in the cache;
	// the word itself and its phrases lie in spell and rests, by slot.
	table []lexSlot
	spell []string
	// rests holds, by slot and phrase lexicon, the rest of each phrase that starts with
	// the slot's word, longest first, as the slots of its words: every word of a phrase
	// is in the table, so a phrase matches when the slots of the words after the first
	// are these.
	rests [][nLex][][]int32
	// seconds has, per slot and phrase lexicon, a bit for the second word of every
	// phrase that starts with the slot's word (see secondBit), and oneWord for a phrase
	// of that word alone: most words that start a phrase start none where they stand,
	// and the word after them tells so at once.
	seconds [][nLex]uint64
	// info[slot+1] is the flags and starts of the word in slot, packed (flags in the low
	// 16 bits): a reply read from the classifier's tokens (see text.fromReading) looks
	// them up by slot, and slot -1 (no lexicon knows the word) finds 0 there, without a
	// branch.
	info []uint32
	mask uint32
}

// lexSlot is a word of the table: its key, unpacked, and its wordInfo flags and starts.
type lexSlot struct {
	prefix uint64
	h      uint32
	flags  uint16
	n      uint8 // the word's length in bytes; 0 for an empty slot
	starts uint8
}

// is reports whether the slot holds the word of key k; for a word longer than eight
// bytes the caller compares the word itself too.
func (sl *lexSlot) is(k wordKey) bool {
	return sl.prefix == k.prefix && sl.h == k.h && uint32(sl.n) == k.n
}

// lists are the word lists and phrase lexicons as written.
type lists struct {
	stop map[string]bool
	// feelings name a feeling or how hard something is ("frustrating", "awful").
	feelings map[string]bool
	// formulas are stock expressions of sympathy: level 1 at most on their own.
	formulas phrases
	// warm are markers of a sincere, personal emotional reaction.
	warm phrases
	// understandGeneric shows understanding without saying of what.
	understandGeneric phrases
	// understandSpecific introduces an understanding of the customer's situation.
	understandSpecific phrases
	// personal are words that make a question about the person, not the process.
	personal phrases

	// Customer-state cues.
	angry    map[string]bool
	worried  map[string]bool
	positive map[string]bool
	leave    phrases

	// Word groups of the reply checks.
	action, you, cause, email, number map[string]bool
}

func newLexicon() *lexicon {
	ls := newLists()
	l := &lexicon{words: map[string]*wordInfo{}}
	info := func(w string) *wordInfo {
		x := l.words[w]
		if x == nil {
			x = &wordInfo{}
			l.words[w] = x
		}
		return x
	}
	for flag, set := range map[uint16]map[string]bool{flagStop: ls.stop, flagFeeling: ls.feelings, flagAngry: ls.angry, flagWorried: ls.worried, flagPositive: ls.positive,
		flagAction: ls.action, flagYou: ls.you, flagCause: ls.cause, flagEmail: ls.email, flagNumber: ls.number} {
		for w := range set {
			info(w).flags |= flag
		}
	}
	lexes := [nLex]phrases{ls.formulas, ls.warm, ls.understandGeneric, ls.understandSpecific, ls.personal, ls.leave}
	for lex, p := range lexes {
		for first, rests := range p {
			info(first).starts |= 1 << lex
			for _, rest := range rests {
				for _, w := range rest {
					info(w) // in the table, with no flags: see lexicon.rests
				}
			}
		}
	}
	size := 1
	for size < 4*len(l.words) {
		size <<= 1
	}
	l.table, l.mask = make([]lexSlot, size), uint32(size-1)
	l.spell, l.rests = make([]string, size), make([][nLex][][]int32, size)
	l.seconds = make([][nLex]uint64, size)
	for w, x := range l.words {
		if len(w) == 0 || len(w) > math.MaxUint8 {
			panic("grading: a lexicon word of " + strconv.Itoa(len(w)) + " bytes")
		}
		k := keyOf(w)
		for i := k.h & l.mask; ; i = (i + 1) & l.mask {
			if l.table[i].n == 0 {
				l.table[i] = lexSlot{prefix: k.prefix, h: k.h, n: uint8(k.n), flags: x.flags, starts: x.starts}
				l.spell[i] = w
				break
			}
		}
	}
	l.info = make([]uint32, size+1)
	for i := range l.table {
		l.info[i+1] = uint32(l.table[i].flags) | uint32(l.table[i].starts)<<16
	}
	for lex, p := range lexes {
		for first, rests := range p {
			var bySlot [][]int32
			for _, rest := range rests {
				slots := make([]int32, len(rest))
				for k, w := range rest {
					slots[k] = l.lookup(w, keyOf(w))
				}
				bySlot = append(bySlot, slots)
			}
			slices.SortStableFunc(bySlot, func(a, b []int32) int { return len(b) - len(a) })
			at := l.lookup(first, keyOf(first))
			l.rests[at][lex] = bySlot
			for _, rest := range bySlot {
				if len(rest) == 0 {
					l.seconds[at][lex] |= oneWord
				} else {
					l.seconds[at][lex] |= secondBit(rest[0])
				}
			}
		}
	}
	return l
}

// slots maps every word of the lexicon to its slot in the table.
func (l *lexicon) slots() map[string]int32 {
	m := make(map[string]int32, len(l.words))
	for w := range l.words {
		m[w] = l.lookup(w, keyOf(w))
	}
	return m
}

// lookup finds a word's slot in the table by its key, or -1.
func (l *lexicon) lookup(w string, k wordKey) int32 {
	for i := k.h & l.mask; ; i = (i + 1) & l.mask {
		s := &l.table[i]
		if s.n == 0 {
			return -1
		}
		if s.is(k) && (k.n <= 8 || l.spell[i] == w) {
			return int32(i)
		}
	}
}

// read scans s into t and looks its words up; buf is scratch space, returned for reuse.
func (l *lexicon) read(t *text, s string, buf []byte) []byte {
	return t.scan(s, buf, l)
}

// flag reports whether word i of t has the flag.
func (t *text) flag(i int, f uint16) bool {
	return t.words[i].flags&f != 0
}

// oneWord is the bit of lexicon.seconds for a phrase of one word; the others stand for
// second words, by slot modulo 63.
const oneWord = 1 << 63

func secondBit(slot int32) uint64 { return 1 << (uint32(slot) % 63) }

// phraseAt is the length in words of the longest phrase of lexicon lex that starts at
// word i of t and ends before word last, or 0. Word i starts a phrase of lex somewhere
// (see word.starts).
func (t *text) phraseAt(i, last, lex int) int {
	seconds := t.lex.seconds[t.words[i].slot][lex]
	if i+1 < last {
		if next := t.words[i+1].slot; next >= 0 && seconds&secondBit(next) != 0 {
			return t.longPhraseAt(i, last, lex)
		}
	}
	// No phrase of two words or more can start here.
	return int(seconds >> 63) // oneWord
}

// phrasesAt is phraseAt for each lexicon of lexes (a bit per lexicon) at once: for
// each that has a phrase at word i, it sets at[lex] and end[lex] to the longest and sets
// the lexicon's bit in found. A word that starts phrases of several lexicons ("i",
// "sorry") is looked at once, and its next word's bit in lexicon.seconds is computed
// once.
func (t *text) phrasesAt(i, last int, lexes uint8, at, end *[nReplyLex]int) (found uint8) {
	seconds := &t.lex.seconds[t.words[i].slot]
	var next uint64 // the next word's bit in seconds, 0 for none
	if i+1 < last && t.words[i+1].slot >= 0 {
		next = secondBit(t.words[i+1].slot)
	}
	for ; lexes != 0; lexes &= lexes - 1 {
		lex := bits.TrailingZeros8(lexes)
		n := int(seconds[lex] >> 63) // a phrase of word i alone
		if seconds[lex]&next != 0 {
			n = t.longPhraseAt(i, last, lex)
		}
		if n > 0 {
			at[lex], end[lex] = i, i+n
			found |= 1 << lex
		}
	}
	return found
}

// longPhraseAt is phraseAt once the word after word i may continue a phrase.
func (t *text) longPhraseAt(i, last, lex int) int {
	after := t.words[i+1 : last]
next:
	for _, rest := range t.lex.rests[t.words[i].slot][lex] { // longest first
		if len(rest) > len(after) {
			continue
		}
		for k, id := range rest {
			if after[k].slot != id {
				continue next
			}
		}
		return 1 + len(rest)
	}
	return 0
}

func newLists() *lists {
	set := func(words string) map[string]bool {
		m := map[string]bool{}
		for _, w := range splitWords(words) {
			m[w] = true
		}
		return m
	}
	return &lists{
		stop: set(stopwordList),
		feelings: set(`frustrating frustrated frustration frustrations upsetting upset worrying worried worry worries
			stressful stressed stress scary scared frightening frightened anxious anxiety annoying annoyed
			disappointing disappointed disappointment awful horrible terrible infuriating maddening exhausting
			distressing unsettling alarming panic panicking nightmare heartbreaking overwhelming overwhelmed shock
			shocking shocked gutting gutted unfair angry anger furious hurtful hurt rough tough hard difficult
			painful miserable fed embarrassing embarrassed concerning concerned concern nervous helpless
			inconvenient infuriated livid devastating devastated sad upsetting lonely confusing confused`),
		formulas: newPhrases(
			"sorry for the inconvenience", "sorry for any inconvenience", "apologize for the inconvenience",
			"apologise for the inconvenience", "apologies for the inconvenience", "apologies for any inconvenience",
			"i understand your frustration", "i understand your concern", "i understand your concerns",
			"we apologize for", "we apologise for", "we are sorry for", "we're sorry for", "sorry about that",
			"oh no", "sorry to hear that", "i apologize", "i apologise", "my apologies", "apologies",
			"sorry for the delay", "sorry for the wait", "sorry for the trouble", "we value your",
			"your feedback is important", "thank you for your patience", "i understand how you feel",
		),
		warm: newPhrases(
			"i can hear", "i can see how", "i can see you're", "i can see that you're", "i can only imagine",
			"that sounds", "this sounds", "it sounds like", "sounds like", "must be", "must have been",
			"really sorry", "so sorry", "truly sorry", "very sorry", "deeply sorry", "genuinely sorry",
			"i hate that", "i'm sorry that", "i'm sorry you", "sorry you've", "sorry you had", "sorry you have",
			"sorry this", "sorry that", "what a", "how awful", "how frustrating", "how stressful",
			"i'd be", "i would be", "anyone would", "no one should", "nobody should", "nobody wants",
			"i don't doubt", "that's awful", "that's horrible", "that's terrible", "that's really",
			"completely understand how", "totally understand how", "understand how",
		),
		understandGeneric: newPhrases(
			"i understand", "i see", "i get it", "got it", "that makes sense", "makes sense", "understood",
			"i hear you", "understandable", "fair enough", "i know", "noted",
		),
		understandSpecific: newPhrases(
			"no wonder", "i'd be", "i would be", "anyone would", "anyone in your", "so you've", "so you have",
			"so you're", "so you were", "that means", "which means", "especially", "right before",
			"on top of", "after waiting", "after all", "i can see why", "i get why", "i understand why",
			"i see why", "i can understand why", "makes sense that", "it makes sense", "must be", "must have been",
			"you've been", "you have been", "you were", "you're trying", "you are trying", "you just want",
			"you need", "you needed", "you rely", "you depend", "the last thing you", "nobody wants",
			"no one wants", "i know how", "i know that", "i realise", "i realize", "in your shoes",
			"you've had to", "you have had to", "you had to", "twice", "again", "second time", "third time",
			"all day", "all week", "for days", "for weeks", "you're right", "you are right", "anyone",
			"that's a lot", "is a lot", "it's a lot", "i don't blame you", "not ok", "not okay", "when it's your",
			"when you're", "when you've", "isn't an option", "even worse", "the last thing", "let you down",
			"let down", "wear anyone down", "coming up", "with rent", "of course you", "you clearly",
		),
		personal: newPhrases(
			"you feel", "you feeling", "feeling", "affect", "affecting", "affected", "impact", "impacting",
			"manage", "managing", "are you ok", "are you okay", "are you alright", "is everyone", "is everything ok",
			"what would", "make this right", "make it right", "what do you need", "you need it", "need it by",
			"deadline", "in time", "important to you", "how are you", "worried about", "concerns", "concern",
			"mean for you", "left you", "leave you", "without", "are you able", "is it urgent", "what matters",
			"most important", "work for you", "works for you", "suit you", "prefer", "would you like to tell",
			"how has", "how long have you", "safe", "right now", "today", "tonight", "this week", "for you",
			"your family", "your job", "your work", "your business", "the baby", "your kids", "your children",
			"are the kids", "kids ok", "needed for", "particular date", "bothering you", "main thing",
			"will you be", "where you'll be", "what time", "noticed anything", "how big", "you'd like to keep",
			"somewhere to", "something to eat", "easier for you", "best for you", "you mostly",
		),
		angry: set(`ridiculous unacceptable terrible worst useless angry furious joke disgusting disgraceful
			pathetic awful horrible incompetent scam rubbish appalling outrageous absurd livid fuming annoyed
			frustrated frustrating sick fed wtf hate shocking insane unbelievable incredible seriously clueless
			nonsense garbage trash stupid idiots liars lied lying robbery theft stealing stole worthless`),
		worried: set(`worried worry worrying scared afraid anxious panic panicking desperate nervous stressed
			stress terrified frightened help urgent urgently emergency lost confused stuck please`),
		positive: set(`thanks thank great perfect appreciate appreciated brilliant helpful lovely wonderful
			excellent amazing fantastic awesome good happy pleased relieved glad sorted fine ok okay cheers
			nice kind understand`),
		action: set(`i've i'll i we've we'll we let's please`),
		you:    set(`you your you're you've you'll you'd`),
		cause:  set(`because why due caused since`),
		email:  set(`email e-mail`),
		number: set(`number reference digits id`),
		leave: newPhrases(
			"cancel", "cancelling", "canceling", "leave", "leaving", "switch to", "switching to", "lawyer",
			"solicitor", "chargeback", "report you", "reporting you", "review", "never again", "done with",
			"i'm done", "close my account", "take my business", "going elsewhere", "ombudsman", "trading standards",
			"dispute", "complaint", "complain",
		),
	}
}
