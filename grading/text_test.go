package grading

import (
	"bufio"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"chatdojo/grading/moves"
)

// TestWordKeys checks that keys tell words apart exactly: equal words (from a string or
// from bytes, with room after them in the source or not) have equal keys and are the
// same word; different words are not.
func TestWordKeys(t *testing.T) {
	words := []string{"a", "i", "in", "it", "its", "it's", "sorry", "sorrow", "understand", "understood",
		"frustrating", "frustrated", "abcdefgh", "abcdefgi", "abcdefghi", "abcdefghj", "12345678", "123456789012345678"}
	for _, a := range words {
		if ka, kb := keyOf(a), keyOf([]byte(a)); ka != kb {
			t.Errorf("keyOf(%q) differs between string and bytes: %v, %v", a, ka, kb)
		}
		// foldedKey reads the key from the source with the capitals folded: inside a
		// longer text (eight bytes at a time) and at its end (byte by byte).
		for _, w := range []string{a, strings.ToUpper(a), strings.ToUpper(a[:1]) + a[1:]} {
			src := "xx " + w + " and more words after it"
			if k := foldedKey(src, 3, 3+len(w)); k != keyOf(a) {
				t.Errorf("foldedKey of %q inside a longer text = %v, want %v", w, k, keyOf(a))
			}
			if k := foldedKey(w, 0, len(w)); k != keyOf(a) {
				t.Errorf("foldedKey of %q at the end of the text = %v, want %v", w, k, keyOf(a))
			}
		}
		for _, b := range words {
			// Up to eight bytes the key is the word; longer words compare by string too.
			if got, want := keyOf(a) == keyOf(b) && (len(a) <= 8 || a == b), a == b; got != want {
				t.Errorf("%q and %q: same word by key = %v, want %v", a, b, got, want)
			}
		}
	}
}

// TestScan checks the scanner's words, their lower-case forms, the lexicon look-ups
// and the sentences.
func TestScan(t *testing.T) {
	l := newLexicon()
	var x text
	l.read(&x, "I’m SO sorry, Dana! Your order #A12 hasn't arrived? That's frustrating.", nil)
	want := []string{"i'm", "so", "sorry", "dana", "your", "order", "a12", "hasn't", "arrived", "that's", "frustrating"}
	if len(x.words) != len(want) {
		t.Fatalf("got %d words, want %d", len(x.words), len(want))
	}
	for i, w := range want {
		// Up to eight bytes a word keeps its capitals (its key tells it apart); a longer
		// one, or one with a curly apostrophe, is lower-cased.
		if got := x.w(i); got != w && !(len(w) <= 8 && !strings.ContainsRune(x.src[x.words[i].start:x.words[i].end], '’') && strings.EqualFold(got, w)) {
			t.Errorf("word %d = %q, want %q", i, got, w)
		}
		if x.wlen(i) != len(w) {
			t.Errorf("wlen(%d) = %d, want %d", i, x.wlen(i), len(w))
		}
		if x.words[i].k != keyOf(w) {
			t.Errorf("word %d (%q) has a key that is not keyOf of its text", i, w)
		}
	}
	if !x.flag(2, flagStop) || !x.flag(0, flagStop) {
		t.Error(`"sorry" and "i'm" should be stopwords (found through the lexicon)`)
	}
	if !x.flag(10, flagFeeling) {
		t.Error(`"frustrating" should carry the feeling flag`)
	}
	if x.words[3].slot >= 0 {
		t.Error(`"dana" is in no lexicon, but the look-up found an entry`)
	}
	if !x.words[3].content || !x.words[6].content || x.words[1].content || x.words[2].content {
		t.Error(`"dana" and "a12" (three bytes, no stopword) are content words; "so" (short) and "sorry" (a stopword) are not`)
	}
	if len(x.sents) != 3 || !x.sents[1].question || x.sents[0].question {
		t.Errorf("sentences = %+v, want three with the second a question", x.sents)
	}
	if x.capsRun != 1 {
		t.Errorf("capsRun = %d, want 1 (SO)", x.capsRun)
	}
	// Long words are compared as strings, so they are lower-cased.
	l.read(&x, "EXTRAORDINARILY Frustrating, Unbelievable", nil)
	for i, w := range []string{"extraordinarily", "frustrating", "unbelievable"} {
		if x.w(i) != w || x.words[i].k != keyOf(w) {
			t.Errorf("word %d = %q (key %v), want %q (key %v)", i, x.w(i), x.words[i].k, w, keyOf(w))
		}
	}
	if !x.flag(1, flagFeeling) || !x.flag(2, flagAngry) {
		t.Error(`"Frustrating" and "Unbelievable" should be found in the lexicon whatever their case`)
	}
}

// BenchmarkGraderParts times the grader's main parts on their own, over the labelled
// replies, to see where a turn's time goes: the moves classifier on the reply, reading
// (scanning and looking up) the customer message and the reply, and the rule judge's
// mechanisms. BenchmarkTurns measures them together.
func BenchmarkGraderParts(b *testing.B) {
	f, err := os.Open("testdata/empathy.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var cs, rs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var ex struct{ Customer, Reply string }
		if err := json.Unmarshal(sc.Bytes(), &ex); err != nil {
			b.Fatal(err)
		}
		cs, rs = append(cs, ex.Customer), append(rs, ex.Reply)
	}
	g := New(moves.New(), Options{})
	b.Run("classify", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			g.classify(rs[i%len(rs)])
		}
	})
	b.Run("read", func(b *testing.B) {
		var c, a text
		var buf []byte
		for i := 0; i < b.N; i++ {
			buf = g.lex.read(&c, cs[i%len(cs)], buf)
			buf = g.lex.read(&a, rs[i%len(rs)], buf)
		}
	})
	b.Run("mechanisms", func(b *testing.B) {
		type pair struct {
			c, a text
			mv   moveSet
		}
		ps := make([]pair, len(cs))
		for i := range cs {
			g.lex.read(&ps[i].c, cs[i], nil)
			g.lex.read(&ps[i].a, rs[i], nil)
			ps[i].mv, _ = g.classify(rs[i])
		}
		var seen wordSet
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			p := &ps[i%len(ps)]
			g.lex.mechanisms(&p.a, []*text{&p.c}, p.mv, &seen)
		}
	})
}

// TestReadingMatchesScan checks that a reply read from what the moves classifier read
// of it (text.fromReading) is the same text that scanning it gives: every text of the
// moves corpus and of the labelled set that the classifier reads as plain.
func TestReadingMatchesScan(t *testing.T) {
	g := New(moves.New(), Options{})
	var texts []string
	for _, path := range []string{"moves/testdata/outputs.golden.json"} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var cases []struct{ Text string }
		if err := json.Unmarshal(b, &cases); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			texts = append(texts, c.Text)
		}
	}
	texts = append(texts, "I'M SO SORRY!!! Your ORDER hasn't come. Is it 3.5 days? No.\nOK then",
		"Frustrating, EXTRAORDINARILY frustrating... I understand", "a b c. d")
	var w scratch
	plain := 0
	for _, s := range texts {
		var fromScan, fromReading text
		g.lex.read(&fromScan, s, nil)
		w.buf = nil // each text its own lower-case copies
		g.classifyRead(&fromReading, s, &w)
		if !w.reading.Plain {
			continue
		}
		plain++
		for i := range fromScan.words {
			if i < len(fromReading.words) && fromScan.w(i) != fromReading.w(i) {
				t.Errorf("%q: word %d is %q read, %q scanned", s, i, fromReading.w(i), fromScan.w(i))
			}
		}
		fromScan.low, fromReading.low = "", "" // compared word by word above
		if !reflect.DeepEqual(fromScan.words, fromReading.words) || !reflect.DeepEqual(fromScan.sents, fromReading.sents) ||
			fromScan.letters != fromReading.letters || fromScan.upper != fromReading.upper ||
			fromScan.bangs != fromReading.bangs || fromScan.capsRun != fromReading.capsRun {
			t.Errorf("%q: read from the classifier\n%+v\nscanned\n%+v", s, fromReading, fromScan)
		}
	}
	if plain < 1000 {
		t.Errorf("only %d plain texts: the check covers too little", plain)
	}
}
