package moves

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// plainRead is the simplest reading of a message, written for clarity: words are runs
// of ASCII letters and digits joined by an apostrophe that has a letter after it, and a
// sentence ends at a run of . ? ! (not at a lone dot followed by anything but a space or
// a line break) and at a line break. It is what Reading promises for a plain message.
func plainRead(text string) ([]Word, []Sentence) {
	isAlnum := func(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' }
	var words []Word
	var sents []Sentence
	first := 0
	end := func(q bool) {
		if len(words) > first {
			sents = append(sents, Sentence{First: int32(first), End: int32(len(words)), Question: q})
		}
		first = len(words)
	}
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case isAlnum(c):
			w := Word{Start: int32(i), Sentence: int32(len(sents))}
			for i < len(text) {
				if b := text[i]; isAlnum(b) {
					if b|0x20 >= 'a' && b|0x20 <= 'z' {
						w.Letters++
						if b <= 'Z' {
							w.Upper++
						}
					}
					i++
				} else if b == '\'' && i+1 < len(text) && isASCIILetter(text[i+1]) {
					i++
				} else {
					break
				}
			}
			w.End = int32(i)
			words = append(words, w)
		case c == '.' || c == '?' || c == '!':
			j, q := i, false
			for j < len(text) && strings.IndexByte(".?!", text[j]) >= 0 {
				q = q || text[j] == '?'
				j++
			}
			lone := c == '.' && j == i+1 && j < len(text) && text[j] != ' ' && text[j] != '\n'
			if !lone {
				end(q)
			}
			i = j
		case c == '\n':
			end(false)
			i++
		default:
			i++
		}
	}
	end(false)
	return words, sents
}

// TestReading checks ClassifyReading over the golden corpus and some messages made to
// be mixed: a plain message reads exactly as plainRead does, with every word's number
// from the table given to WithWords; a mixed one is flagged and left empty; and the
// moves are those Classify finds.
func TestReading(t *testing.T) {
	b, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	texts := []string{"", "Hello", "Hi.Dana", "I'm sorry… really", "don't `quote` me", "line\r\nbreak",
		"it was ok.) fine", "the 90'5 gang", "sure /s", "café now", "I said \"no.\" Then left",
		"Wait...what? OK!! 3.5 stars!?! no!, acme.com. E.g. this\nand that", "rock'n'roll isn't 'quoted' dogs' bowls",
		"thanks 😊", "don’t", "don`t", "two.—three", "I'm sorry — that's £49.99 – twice", "“Quoted” words • bullet \xff\xfe bad bytes"}
	mustPlain := []string{"don't `quote` me", "I'm sorry — that's £49.99 – twice", "“Quoted” words • bullet \xff\xfe bad bytes"}
	for _, c := range cases {
		texts = append(texts, c.Text)
	}
	aux := map[string]int32{"sorry": 1, "don't": 2, "i'm": 3, "frustrating": 4, "understand": 5,
		"refund": 6, "zzyzx": 7, "a": 8, "extraordinarily": 9, "acme": 10}
	base := New()
	c := base.WithWords(aux)
	var r Reading
	plain, mixed := 0, 0
	for _, text := range texts {
		got, ev := c.ClassifyReading(text, &r, nil, []string{"before"})
		if want := base.Classify(text); !reflect.DeepEqual(got, want) && len(got)+len(want) > 0 {
			t.Fatalf("%q: WithWords classifies as %v, the classifier it came from as %v", text, got, want)
		}
		if n := 1 + len(got); len(ev) < n || ev[0] != "before" {
			t.Fatalf("%q: the evidence buffer is %q; want what was in it, then the evidence", text, ev)
		}
		words, sents := plainRead(text)
		if !r.Plain {
			mixed++
			if len(r.Words) > 0 || len(r.Sentences) > 0 {
				t.Errorf("%q: not plain, yet the reading has %d words", text, len(r.Words))
			}
			continue
		}
		plain++
		for i := range words {
			w := strings.ToLower(text[words[i].Start:words[i].End])
			words[i].Aux = -1
			if x, ok := aux[w]; ok {
				words[i].Aux = x
			}
		}
		if !reflect.DeepEqual(r.Words, words) && len(words)+len(r.Words) > 0 {
			t.Errorf("%q: words\n got  %+v\n want %+v", text, r.Words, words)
		}
		if !reflect.DeepEqual(r.Sentences, sents) && len(sents)+len(r.Sentences) > 0 {
			t.Errorf("%q: sentences\n got  %+v\n want %+v", text, r.Sentences, sents)
		}
		if want := strings.Count(text, "!"); r.Exclamations != want {
			t.Errorf("%q: %d exclamation marks read; want %d", text, r.Exclamations, want)
		}
	}
	for _, text := range []string{"I'm sorry… really", "line\r\nbreak", "it was ok.) fine", "the 90'5 gang",
		"sure /s", "café now", "I said \"no.\" Then left", "thanks 😊", "don’t", "don`t", "two.—three"} {
		if c.ClassifyReading(text, &r, nil, nil); r.Plain {
			t.Errorf("%q reads as plain; the classifier reads it its own way", text)
		}
	}
	for _, text := range mustPlain {
		if c.ClassifyReading(text, &r, nil, nil); !r.Plain {
			t.Errorf("%q is not read as plain; its dashes, symbols and quotation marks only separate words", text)
		}
	}
	if plain < 1000 || mixed < 20 {
		t.Errorf("%d plain and %d mixed messages: the corpus should have plenty of both", plain, mixed)
	}
	t.Logf("%d plain, %d mixed", plain, mixed)
}
