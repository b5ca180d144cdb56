package grading_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jonreiter/govader"

	"chatdojo/grading"
	"chatdojo/grading/moves"
	"chatdojo/scenarios"
	"chatdojo/scenarios/library"
	"chatdojo/simulator"
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

// BenchmarkTurnsPaired is BenchmarkTurns with the grader and VADER interleaved: they
// take turns over the same batch of texts, each timed on its own, so that a burst of load
// from elsewhere on a shared machine slows both alike rather than whichever happened to
// be running. It reports both throughputs and how many times VADER's the grader's is.
func BenchmarkTurnsPaired(b *testing.B) {
	trs := benchTurns(b)
	g := grading.New(moves.New(), grading.Options{})
	sia := govader.NewSentimentIntensityAnalyzer()
	ctx := context.Background()
	batch := len(trs) // a pass over the texts: long enough that each starts warm
	var tg, tv time.Duration
	n := 0
	b.ReportAllocs()
	b.ResetTimer()
	for n < b.N {
		k := min(batch, b.N-n)
		start := time.Now()
		for j := range k {
			if _, err := g.Grade(ctx, trs[(n+j)%len(trs)]); err != nil {
				b.Fatal(err)
			}
		}
		mid := time.Now()
		for j := range k {
			_ = sia.PolarityScores(trs[(n+j)%len(trs)].Messages[1].Text)
		}
		tg, tv = tg+mid.Sub(start), tv+time.Since(mid)
		n += k
	}
	b.ReportMetric(float64(n)/tg.Seconds(), "grader-turns/s")
	b.ReportMetric(float64(n)/tv.Seconds(), "vader-turns/s")
	b.ReportMetric(tv.Seconds()/tg.Seconds(), "x-vader")
}

// libraryConversations are the library's reference conversations (every scenario with
// its good and its poor script, as the simulator plays them): whole multi-turn
// conversations, where each customer message is read once and each agent turn is
// graded in the context of the conversation so far.
func libraryConversations(tb testing.TB) ([]scenarios.Transcript, *grading.Grader) {
	tb.Helper()
	cat, err := library.Load()
	if err != nil {
		tb.Fatal(err)
	}
	var out []scenarios.Transcript
	for _, sc := range cat.All() {
		for _, kind := range []string{"good", "poor"} {
			b, err := os.ReadFile("../scenarios/library/" + sc.ID + "." + kind + ".txt")
			if err != nil {
				tb.Fatal(err)
			}
			script, _ := simulator.ParseScript(sc.ID, strings.NewReader(string(b)))
			res, err := simulator.Play(context.Background(), sc, simulator.Options{Seed: 1, Start: t0}, script)
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, res.Session.Transcript())
		}
	}
	g := grading.New(moves.New(), grading.Options{Lookup: func(id string) (*scenarios.Scenario, bool) {
		sc, err := cat.FindScenarioByID(id)
		return sc, err == nil
	}})
	return out, g
}

// BenchmarkConversations is BenchmarkTurns over whole conversations: the library's
// reference conversations graded one after another, in agent turns per second, and
// VADER over the agent messages of the same conversations. A turn here also weighs
// what was said before it (up to the customer's last three messages and the first).
func BenchmarkConversations(b *testing.B) {
	trs, g := libraryConversations(b)
	var agent []string
	for _, tr := range trs {
		for _, m := range tr.Messages {
			if m.Role == scenarios.RoleAgent {
				agent = append(agent, m.Text)
			}
		}
	}
	b.Run("grader", func(b *testing.B) {
		ctx := context.Background()
		turns := 0
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			gr, err := g.Grade(ctx, trs[i%len(trs)])
			if err != nil {
				b.Fatal(err)
			}
			turns += len(gr.Turns)
		}
		b.ReportMetric(float64(turns)/b.Elapsed().Seconds(), "turns/s")
	})
	b.Run("vader", func(b *testing.B) {
		sia := govader.NewSentimentIntensityAnalyzer()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			_ = sia.PolarityScores(agent[i%len(agent)])
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "turns/s")
	})
}
