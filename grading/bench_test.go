package grading_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/jonreiter/govader"

	"chatdojo/grading"
	"chatdojo/grading/moves"
	"chatdojo/scenarios"
)

// benchTurns are the (customer message, agent reply) pairs of the labelled set: the
// same texts for the grader and for the VADER baseline.
func benchTurns(tb testing.TB) []scenarios.Transcript {
	tb.Helper()
	f, err := os.Open("testdata/empathy.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []scenarios.Transcript
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var ex struct{ ID, Customer, Reply string }
		if err := json.Unmarshal(sc.Bytes(), &ex); err != nil {
			tb.Fatal(err)
		}
		out = append(out, scenarios.Transcript{ID: ex.ID, Messages: []scenarios.Message{
			{Role: scenarios.RoleCustomer, Text: ex.Customer, At: scenarios.At(t0)},
			{Role: scenarios.RoleAgent, Text: ex.Reply, At: scenarios.At(t0.Add(40e9))},
		}})
	}
	return out
}

// BenchmarkTurns measures grading throughput in agent turns per second — everything the
// grader does for one agent message, including the estimate of the customer's state from
// the message before it — and, over the same texts, plain VADER sentiment on the agent
// message alone, as the baseline. Run it on one core: make bench does (-cpu 1).
func BenchmarkTurns(b *testing.B) {
	trs := benchTurns(b)
	b.Run("grader", func(b *testing.B) {
		g := grading.New(moves.New(), grading.Options{})
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := g.Grade(ctx, trs[i%len(trs)]); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "turns/s")
	})
	b.Run("vader", func(b *testing.B) {
		sia := govader.NewSentimentIntensityAnalyzer()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			_ = sia.PolarityScores(trs[i%len(trs)].Messages[1].Text)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "turns/s")
	})
}
