package moves

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"chatdojo/scenarios"
)

// showErrors prints every misclassified line of the labelled set, for tuning the lexicons:
//
//	go test -v -run TestLabelledSet ./grading/moves -moves.errors
var showErrors = flag.Bool("moves.errors", false, "print each misclassified line of testdata/labelled.tsv")

const labelledPath = "testdata/labelled.tsv"

// The labelled set must be big enough for its figures to mean something.
const (
	minExamples = 400
	minSupport  = 15
)

// floors are the lowest precision and recall each move may reach on the labelled set:
// the figures measured on the finished set of 622 examples, less 0.05, rounded down. A
// lexicon change that costs a move real accuracy fails the build. The lexicons were tuned
// while reading this set, so its figures flatter the classifier; they guard against
// regressions, they do not estimate accuracy on new text. Raise a floor when the
// classifier improves; never lower one to make a change pass without saying why.
func floors() map[scenarios.Move]floor {
	return map[scenarios.Move]floor{
		scenarios.MoveGreet:              {0.95, 0.95},
		scenarios.MoveAcknowledgeEmotion: {0.95, 0.95},
		scenarios.MoveApologize:          {0.95, 0.95},
		scenarios.MoveEmpathize:          {0.95, 0.95},
		scenarios.MoveAskQuestion:        {0.93, 0.95},
		scenarios.MoveVerifyIdentity:     {0.95, 0.95},
		scenarios.MoveTakeOwnership:      {0.95, 0.95},
		scenarios.MoveEscalate:           {0.95, 0.95},
		scenarios.MoveExplain:            {0.90, 0.90},
		scenarios.MoveOfferSolution:      {0.95, 0.95},
		scenarios.MoveSetExpectation:     {0.95, 0.95},
		scenarios.MoveReassure:           {0.95, 0.95},
		scenarios.MoveThank:              {0.95, 0.95},
		scenarios.MoveClose:              {0.95, 0.95},
		scenarios.MoveHold:               {0.95, 0.95},
		scenarios.MoveBlameCustomer:      {0.95, 0.92},
		scenarios.MoveDismiss:            {0.95, 0.95},
		scenarios.MovePolicyWall:         {0.95, 0.95},
		scenarios.MoveRude:               {0.95, 0.89},
		scenarios.MoveShouting:           {0.95, 0.95},
	}
}

// floor is the least precision and recall a move may have on the labelled set.
type floor struct{ precision, recall float64 }

// example is one labelled line.
type example struct {
	line  int
	moves []scenarios.Move // sorted by rank
	text  string
}

// readLabelled parses the labelled set strictly: a line that is not a comment, blank, or
// MOVES<TAB>TEXT with known, distinct moves is an error naming its line.
func readLabelled(tb testing.TB, path string) []example {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatalf("open labelled set: %v", err)
	}
	defer f.Close()
	var out []example
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ex, err := parseLabelled(line)
		if err != nil {
			tb.Fatalf("%s:%d: %v", path, n, err)
		}
		ex.line = n
		out = append(out, ex)
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("read labelled set: %v", err)
	}
	return out
}

func parseLabelled(line string) (example, error) {
	labels, text, ok := strings.Cut(line, "\t")
	if !ok {
		return example{}, fmt.Errorf("want MOVES<TAB>TEXT, found no tab")
	}
	if strings.Contains(text, "\t") {
		return example{}, fmt.Errorf("want exactly one tab, found more")
	}
	if strings.TrimSpace(text) == "" {
		return example{}, fmt.Errorf("empty text")
	}
	ex := example{text: text}
	if labels == "-" {
		return ex, nil
	}
	for _, name := range strings.Split(labels, ",") {
		m := scenarios.Move(name)
		if !m.Valid() {
			return example{}, fmt.Errorf("unknown move %q", name)
		}
		if slices.Contains(ex.moves, m) {
			return example{}, fmt.Errorf("move %q listed twice", name)
		}
		ex.moves = append(ex.moves, m)
	}
	slices.SortFunc(ex.moves, func(a, b scenarios.Move) int { return a.Rank() - b.Rank() })
	return ex, nil
}

func TestParseLabelled(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		want       []scenarios.Move
		wantErr    bool
	}{
		{"none", "-\tOk.", nil, false},
		{"sorted", "thank,greet\tHi, thanks.", []scenarios.Move{scenarios.MoveGreet, scenarios.MoveThank}, false},
		{"no tab", "greet Hi", nil, true},
		{"two tabs", "greet\tHi\tthere", nil, true},
		{"unknown", "grete\tHi", nil, true},
		{"space", "greet, thank\tHi", nil, true},
		{"twice", "greet,greet\tHi", nil, true},
		{"empty text", "greet\t ", nil, true},
		{"empty move", "greet,\tHi", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseLabelled(tc.line)
			if (err != nil) != tc.wantErr {
				t.Fatalf("parseLabelled(%q) error = %v, want error %v", tc.line, err, tc.wantErr)
			}
			if err == nil && !slices.Equal(got.moves, tc.want) {
				t.Errorf("parseLabelled(%q) moves = %v, want %v", tc.line, got.moves, tc.want)
			}
		})
	}
}

// counts are one move's confusion figures.
type counts struct{ tp, fp, fn int }

func (c counts) precision() float64 { return ratio(c.tp, c.tp+c.fp) }
func (c counts) recall() float64    { return ratio(c.tp, c.tp+c.fn) }
func (c counts) f1() float64 {
	p, r := c.precision(), c.recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// ratio treats 0/0 as perfect: a move never predicted and never expected made no error.
func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func TestLabelledSet(t *testing.T) {
	per := evalFile(t, labelledPath, minExamples)
	fl := floors()
	for _, m := range scenarios.AllMoves {
		k := per[m]
		if support := k.tp + k.fn; support < minSupport {
			t.Errorf("%s: %d examples in the labelled set, want at least %d", m, support, minSupport)
		}
		f, ok := fl[m]
		if !ok {
			t.Errorf("%s: no floor set", m)
			continue
		}
		if f.precision <= 0 || f.recall <= 0 {
			t.Errorf("%s: floors must be above 0, have %+v", m, f)
		}
		if p := k.precision(); p < f.precision {
			t.Errorf("%s: precision %.3f is below its floor %.2f", m, p, f.precision)
		}
		if r := k.recall(); r < f.recall {
			t.Errorf("%s: recall %.3f is below its floor %.2f", m, r, f.recall)
		}
	}
	for m := range fl {
		if !m.Valid() {
			t.Errorf("floor for unknown move %q", m)
		}
	}
}

// evalFile classifies every example of a labelled file, logs the per-move table (and,
// with -moves.errors, the misclassified lines) and returns the per-move counts.
func evalFile(t *testing.T, path string, minN int) map[scenarios.Move]*counts {
	t.Helper()
	examples := readLabelled(t, path)
	if len(examples) < minN {
		t.Errorf("%s has %d examples, want at least %d", path, len(examples), minN)
	}
	c := New()
	per := make(map[scenarios.Move]*counts, len(scenarios.AllMoves))
	for _, m := range scenarios.AllMoves {
		per[m] = &counts{}
	}
	exact := 0
	var errs strings.Builder
	for _, ex := range examples {
		got := c.Moves(ex.text)
		for _, m := range got {
			if slices.Contains(ex.moves, m) {
				per[m].tp++
			} else {
				per[m].fp++
			}
		}
		for _, m := range ex.moves {
			if !slices.Contains(got, m) {
				per[m].fn++
			}
		}
		if slices.Equal(got, ex.moves) {
			exact++
			continue
		}
		fmt.Fprintf(&errs, "%s:%d: %s\n    want %s\n    got  %s\n", path, ex.line, ex.text, moveNames(ex.moves), moveNames(got))
	}

	var table strings.Builder
	fmt.Fprintf(&table, "\n%-20s %9s %9s %9s %8s %5s %5s %5s\n", "move", "precision", "recall", "f1", "support", "tp", "fp", "fn")
	var micro counts
	macroF1 := 0.0
	for _, m := range scenarios.AllMoves {
		k := per[m]
		micro.tp += k.tp
		micro.fp += k.fp
		micro.fn += k.fn
		macroF1 += k.f1()
		fmt.Fprintf(&table, "%-20s %9.3f %9.3f %9.3f %8d %5d %5d %5d\n", m, k.precision(), k.recall(), k.f1(), k.tp+k.fn, k.tp, k.fp, k.fn)
	}
	fmt.Fprintf(&table, "%-20s %9.3f %9.3f %9.3f %8d %5d %5d %5d\n", "micro", micro.precision(), micro.recall(), micro.f1(), micro.tp+micro.fn, micro.tp, micro.fp, micro.fn)
	fmt.Fprintf(&table, "%-20s %29.3f\n", "macro f1", macroF1/float64(len(scenarios.AllMoves)))
	fmt.Fprintf(&table, "examples %d, exact match %d (%.1f%%)\n", len(examples), exact, 100*ratio(exact, len(examples)))
	t.Log(table.String())
	if *showErrors {
		t.Log("misclassified lines:\n" + errs.String())
	}

	return per
}

func moveNames(ms []scenarios.Move) string {
	if len(ms) == 0 {
		return "-"
	}
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = string(m)
	}
	return strings.Join(s, ",")
}

func BenchmarkClassify(b *testing.B) {
	examples := readLabelled(b, labelledPath)
	c := New()
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		c.Classify(examples[n%len(examples)].text)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "messages/s")
}

// heldoutPath is a set written from docs/moves.md alone, by someone who saw neither the
// lexicon nor the tuning set: its figures estimate accuracy on new text.
const heldoutPath = "testdata/heldout.tsv"

// heldoutFloors are set from the first run on the held-out set, before any tuning on it
// (micro precision and recall, minus a margin for noise). Tuning the lexicon on these
// lines would make them a second tuning set; add new held-out lines instead.
var heldoutFloors = floor{precision: 0.88, recall: 0.80} // measured 0.931 and 0.857 on 311 lines

func TestHeldoutSet(t *testing.T) {
	per := evalFile(t, heldoutPath, 300)
	var micro counts
	for _, m := range scenarios.AllMoves {
		micro.tp += per[m].tp
		micro.fp += per[m].fp
		micro.fn += per[m].fn
	}
	if p := micro.precision(); p < heldoutFloors.precision {
		t.Errorf("held-out micro precision %.3f is below its floor %.2f", p, heldoutFloors.precision)
	}
	if r := micro.recall(); r < heldoutFloors.recall {
		t.Errorf("held-out micro recall %.3f is below its floor %.2f", r, heldoutFloors.recall)
	}
}
