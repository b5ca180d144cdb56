package moves

import (
	"bufio"
	"encoding/json"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/google/go-cmp/cmp"
)

// updateGolden regenerates testdata/outputs.golden.json from the current classifier:
//
//	go test -run TestOutputsUnchanged ./grading/moves -update
//
// The golden file is the contract of the classifier's optimisations: a speed-up must not
// change a single move or piece of evidence. Regenerate it only for an intended change.
var updateGolden = flag.Bool("update", false, "rewrite testdata/outputs.golden.json")

const goldenPath = "testdata/outputs.golden.json"

// goldenCase is one text and what Classify returned for it.
type goldenCase struct {
	Text    string  `json:"text"`
	Matches []Match `json:"matches"`
}

// readJSONLFields returns the string values of the given fields, line by line.
func readJSONLFields(tb testing.TB, path string, fields ...string) []string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var obj map[string]any
		if err := json.Unmarshal(sc.Bytes(), &obj); err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		for _, k := range fields {
			if s, ok := obj[k].(string); ok {
				out = append(out, s)
			}
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	return out
}

// tsvTexts returns the text column of a labelled set, every line with a tab.
func tsvTexts(tb testing.TB, path string) []string {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	var out []string
	for line := range strings.SplitSeq(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.HasPrefix(line, "#") {
			continue
		}
		if _, text, ok := strings.Cut(line, "\t"); ok {
			out = append(out, text)
		}
	}
	return out
}

var delayPrefix = regexp.MustCompile(`^\+\d+s `)

// corpusTexts gathers every text the golden file covers, in a fixed order.
func corpusTexts(tb testing.TB) []string {
	tb.Helper()
	var texts []string
	texts = append(texts, tsvTexts(tb, "testdata/labelled.tsv")...)
	texts = append(texts, tsvTexts(tb, "testdata/heldout.tsv")...)
	texts = append(texts, readJSONLFields(tb, "../testdata/empathy.jsonl", "reply", "customer")...)
	texts = append(texts, readJSONLFields(tb, "../testdata/pairs.jsonl", "better", "worse")...)
	files, err := filepath.Glob("../../scenarios/library/*.txt")
	if err != nil || len(files) == 0 {
		tb.Fatalf("scenario scripts: %v (%d files)", err, len(files))
	}
	for _, name := range files { // Glob sorts
		data, err := os.ReadFile(name)
		if err != nil {
			tb.Fatalf("read %s: %v", name, err)
		}
		for line := range strings.SplitSeq(string(data), "\n") {
			line = strings.TrimSuffix(line, "\r")
			texts = append(texts, delayPrefix.ReplaceAllString(line, ""))
		}
	}
	return texts
}

// TestOutputsUnchanged checks every text of the corpus against the golden outputs.
func TestOutputsUnchanged(t *testing.T) {
	c := classifier()
	texts := corpusTexts(t)
	got := make([]goldenCase, len(texts))
	for i, s := range texts {
		got[i] = goldenCase{Text: s, Matches: c.Classify(s)}
	}
	if *updateGolden {
		data, err := json.MarshalIndent(got, "", "\t")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenPath, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %d cases to %s", len(got), goldenPath)
		return
	}
	data, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	var want []goldenCase
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatalf("parse %s: %v", goldenPath, err)
	}
	if len(want) != len(got) {
		t.Fatalf("golden file has %d cases, corpus has %d", len(want), len(got))
	}
	bad := 0
	for i := range got {
		if want[i].Text != got[i].Text {
			t.Fatalf("case %d: golden text %q, corpus text %q", i, want[i].Text, got[i].Text)
		}
		// A nil and an empty result are the same answer; JSON writes both as null or [].
		w, g := want[i].Matches, got[i].Matches
		if len(w) == 0 && len(g) == 0 {
			continue
		}
		if diff := cmp.Diff(w, g); diff != "" {
			bad++
			if bad <= 20 {
				t.Errorf("Classify(%q) changed (-golden +now):\n%s", got[i].Text, diff)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d outputs changed", bad, len(got))
	}
}

// BenchmarkClassifyReplies classifies the agent replies the grader's benchmark uses.
func BenchmarkClassifyReplies(b *testing.B) {
	replies := readJSONLFields(b, "../testdata/empathy.jsonl", "reply")
	if len(replies) == 0 {
		b.Fatal("no replies")
	}
	c := New()
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		c.Classify(replies[n%len(replies)])
		n++
	}
}

func TestPrefixBit(t *testing.T) {
	if tPrefix != 1<<tPrefixBit {
		t.Fatalf("tPrefixBit is %d, tPrefix is %#x", tPrefixBit, tPrefix)
	}
}

// TestLookups checks the tokenizer's word lookup, written out in its loop for speed,
// against vocab.findText and vocab.findBytes: every word of the lexicon, in lower, title
// and upper case, alone, in the middle of a text and at its end (where the lookup reads
// the text differently), gets the id of its lowercase spelling.
func TestLookups(t *testing.T) {
	c := classifier()
	l := lexicon()
	words := slices.Collect(maps.Keys(l.wordWeights()))
	for _, w := range l.words {
		words = append(words, w.word)
	}
	for _, a := range l.aliases {
		words = append(words, a[0], a[1])
	}
	words = append(words, "x", "zzzzzzzzzzzzzzzzzzzzzzz", "supercalifragilistic", "a1b2c3d4e5f6g7h8i9")
	slices.Sort(words)
	words = slices.Compact(words)
	s := &scratch{}
	checked := 0
	for _, w := range words {
		if w == "" || strings.ContainsFunc(w, func(r rune) bool { return !isWordRune(r) && r != '\'' }) ||
			w[0] == '\'' || w[len(w)-1] == '\'' {
			continue // not one word of the fast path
		}
		want := c.words.lookup([]byte(w))
		title := strings.ToUpper(w[:1]) + w[1:]
		for _, v := range []string{w, title, strings.ToUpper(w)} {
			for _, text := range []string{v, "so " + v + " now, ok", "and then " + v, v + "!"} {
				c.tokenize(s, text)
				var got int32 = -2
				for _, tk := range s.toks {
					if text[tk.start:tk.end] == v {
						got = tk.id
					}
				}
				if got != want {
					t.Errorf("%q in %q: token id %d, want %d", v, text, got, want)
				}
				if i := strings.Index(text, v); i >= 0 && isASCIIWord(v) {
					if sp := c.words.findText(text, i, i+len(v)); (sp == nil && want >= 0) || (sp != nil && sp.id != want) {
						t.Errorf("findText(%q) disagrees with findBytes", v)
					}
				}
				checked++
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d lookups checked", checked)
	}
}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf || w[i] == '`' {
			return false
		}
	}
	return true
}

// TestSpellingSize holds a vocabulary entry to a cache line (see spelling).
func TestSpellingSize(t *testing.T) {
	if n := unsafe.Sizeof(spelling{}); n != 64 {
		t.Errorf("a spelling is %d bytes; keep it to 64, one cache line", n)
	}
}
