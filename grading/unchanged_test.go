package grading_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"chatdojo/grading"
	"chatdojo/grading/moves"
	"chatdojo/internal/golden"
	"chatdojo/scenarios"
)

// TestGradesUnchanged pins the grader's output, byte for byte, over a large corpus: the
// labelled replies and pairs as one-turn conversations, the library's reference
// conversations, and every text of the moves classifier's golden corpus as a reply to
// the text before it (capitals, curly apostrophes, emoji, long words, broken UTF-8).
// It is the contract of the grader's speed work: a faster grader must grade the same.
// The golden file holds one hash per conversation; on a difference the test prints the
// grade it got. Regenerate it only for an intended change:
//
//	go test -run TestGradesUnchanged ./grading -update
func TestGradesUnchanged(t *testing.T) {
	cases := gradeCorpus(t)
	trs, lib := libraryConversations(t)
	plain := grading.New(moves.New(), grading.Options{})
	var b strings.Builder
	failed := 0
	check := func(g *grading.Grader, tr scenarios.Transcript) {
		gr, err := g.Grade(context.Background(), tr)
		if err != nil {
			t.Fatalf("%s: %v", tr.ID, err)
		}
		js, err := json.Marshal(gr)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(js)
		line := tr.ID + " " + hex.EncodeToString(sum[:8])
		fmt.Fprintln(&b, line)
		if !golden.Updating() && failed < 5 && !strings.Contains(goldenGrades(t), line+"\n") {
			failed++
			t.Errorf("%s graded differently from the golden file; it now grades as:\n%s", tr.ID, js)
		}
	}
	for _, tr := range cases {
		check(plain, tr)
	}
	for _, tr := range trs {
		check(lib, tr)
	}
	golden.Check(t, goldenGradesPath, []byte(b.String()))
}

const goldenGradesPath = "testdata/golden/grades.sha"

var goldenGradesText string

func goldenGrades(tb testing.TB) string {
	if goldenGradesText == "" {
		b, err := os.ReadFile(goldenGradesPath)
		if err != nil {
			tb.Fatalf("read %s (run go test -update once): %v", goldenGradesPath, err)
		}
		goldenGradesText = string(b)
	}
	return goldenGradesText
}

// gradeCorpus builds the one-turn conversations of TestGradesUnchanged.
func gradeCorpus(tb testing.TB) []scenarios.Transcript {
	tb.Helper()
	var out []scenarios.Transcript
	turn := func(id, customer, reply string) {
		out = append(out, scenarios.Transcript{ID: id, Messages: []scenarios.Message{
			{Role: scenarios.RoleCustomer, Text: customer, At: scenarios.At(t0)},
			{Role: scenarios.RoleAgent, Text: reply, At: scenarios.At(t0.Add(40e9))},
		}})
	}
	out = append(out, benchTurns(tb)...)
	f, err := os.Open("testdata/pairs.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var p struct{ ID, Customer, Better, Worse string }
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			tb.Fatal(err)
		}
		turn(p.ID+"-better", p.Customer, p.Better)
		turn(p.ID+"-worse", p.Customer, p.Worse)
	}
	b, err := os.ReadFile("moves/testdata/outputs.golden.json")
	if err != nil {
		tb.Fatal(err)
	}
	var texts []struct{ Text string }
	if err := json.Unmarshal(b, &texts); err != nil {
		tb.Fatal(err)
	}
	for i := 1; i < len(texts); i++ {
		turn(fmt.Sprintf("m%04d", i), texts[i-1].Text, texts[i].Text)
	}
	// Three-message turns: the reply is read against two customer messages.
	for i := 2; i < len(texts); i += 7 {
		out = append(out, scenarios.Transcript{ID: fmt.Sprintf("c%04d", i), Messages: []scenarios.Message{
			{Role: scenarios.RoleCustomer, Text: texts[i-2].Text, At: scenarios.At(t0)},
			{Role: scenarios.RoleAgent, Text: texts[i-1].Text, At: scenarios.At(t0.Add(30e9))},
			{Role: scenarios.RoleCustomer, Text: texts[i].Text, At: scenarios.At(t0.Add(90e9))},
			{Role: scenarios.RoleAgent, Text: texts[i-1].Text, At: scenarios.At(t0.Add(200e9))},
		}})
	}
	return out
}
