package ollama_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"chatdojo/grading"
	"chatdojo/grading/moves"
	"chatdojo/ollama"
	"chatdojo/scenarios"
)

// kappa is Cohen's kappa of two raters' labels over the same items (levels 0..k-1):
// their agreement beyond what chance would give.
func kappa(a, b []int, k int) float64 {
	n := float64(len(a))
	if n == 0 {
		return 0
	}
	agree := 0.0
	ca, cb := make([]float64, k), make([]float64, k)
	for i := range a {
		if a[i] == b[i] {
			agree++
		}
		ca[a[i]]++
		cb[b[i]]++
	}
	po := agree / n
	pe := 0.0
	for j := 0; j < k; j++ {
		pe += (ca[j] / n) * (cb[j] / n)
	}
	if pe == 1 {
		return 1
	}
	return (po - pe) / (1 - pe)
}

func TestKappa(t *testing.T) {
	tests := []struct {
		a, b []int
		want float64
	}{
		{[]int{0, 1, 2, 0, 1, 2}, []int{0, 1, 2, 0, 1, 2}, 1},
		// The textbook example: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: kappa 0.4.
		{append(append(append(rep(1, 20), rep(1, 5)...), rep(0, 10)...), rep(0, 15)...),
			append(append(append(rep(1, 20), rep(0, 5)...), rep(1, 10)...), rep(0, 15)...), 0.4},
	}
	for _, tt := range tests {
		if got := kappa(tt.a, tt.b, 3); fmt.Sprintf("%.3f", got) != fmt.Sprintf("%.3f", tt.want) {
			t.Errorf("kappa = %.3f, want %.3f", got, tt.want)
		}
	}
}

func rep(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// TestJudgeEval measures the model judge on the grader's labelled set: Cohen's kappa
// per mechanism against the labels and against the rule judge. It runs with `make eval`
// when EVAL_MODEL names a model on TEST_OLLAMA_HOST (or OLLAMA_HOST); it has no floor:
// a model's agreement is reported, not assumed.
func TestJudgeEval(t *testing.T) {
	model := os.Getenv("EVAL_MODEL")
	host := os.Getenv("TEST_OLLAMA_HOST")
	if host == "" {
		host = os.Getenv("OLLAMA_HOST")
	}
	if model == "" || host == "" {
		t.Skip("set EVAL_MODEL (and OLLAMA_HOST) to measure a model judge: make eval EVAL_MODEL=llama3.2:3b")
	}
	hosts, err := ollama.ParseHosts(host)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ollama.New(ollama.Config{Hosts: hosts, Timeout: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	j := ollama.NewJudge(c, model)
	rules := grading.New(moves.New(), grading.Options{})
	f, err := os.Open("../grading/testdata/empathy.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var labels, judged, ruled [3][]int
	failed := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	ctx := context.Background()
	for sc.Scan() {
		var ex struct{ Customer, Reply string }
		var lv struct {
			ER int `json:"emotional_reaction"`
			IN int `json:"interpretation"`
			EX int `json:"exploration"`
		}
		if err := json.Unmarshal(sc.Bytes(), &ex); err != nil {
			t.Fatal(err)
		}
		json.Unmarshal(sc.Bytes(), &lv)
		jm, err := j.JudgeTurn(ctx, grading.TurnContext{Customer: ex.Customer, Agent: ex.Reply, CustomerMood: 30})
		if err != nil {
			failed++
			continue
		}
		g, err := rules.Grade(ctx, scenarios.Transcript{Messages: []scenarios.Message{{Role: scenarios.RoleCustomer, Text: ex.Customer}, {Role: scenarios.RoleAgent, Text: ex.Reply}}})
		if err != nil || len(g.Turns) != 1 {
			t.Fatalf("rules: %v", err)
		}
		r := g.Turns[0].Empathy
		for i, v := range [3][3]int{{lv.ER, jm.Mechanisms.EmotionalReaction, r.EmotionalReaction}, {lv.IN, jm.Mechanisms.Interpretation, r.Interpretation}, {lv.EX, jm.Mechanisms.Exploration, r.Exploration}} {
			labels[i], judged[i], ruled[i] = append(labels[i], v[0]), append(judged[i], v[1]), append(ruled[i], v[2])
		}
	}
	fmt.Printf("model judge %s on %d replies (%d the model could not judge)\n", model, len(labels[0]), failed)
	fmt.Printf("%-20s %16s %16s %16s\n", "mechanism", "kappa vs labels", "kappa vs rules", "rules vs labels")
	for i, name := range []string{"emotional_reaction", "interpretation", "exploration"} {
		fmt.Printf("%-20s %16.3f %16.3f %16.3f\n", name, kappa(judged[i], labels[i], 3), kappa(judged[i], ruled[i], 3), kappa(ruled[i], labels[i], 3))
	}
	if len(labels[0]) == 0 {
		t.Fatal("the model judged no reply")
	}
}
