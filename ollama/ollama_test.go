package ollama_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"chatdojo/grading"
	"chatdojo/internal/ollamatest"
	"chatdojo/ollama"
	"chatdojo/scenarios"
	"chatdojo/simulator"
)

var t0 = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

// server starts (or reuses) a real Ollama server with the tiny generated model.
func server(t *testing.T) (*ollamatest.Server, string) {
	t.Helper()
	srv := ollamatest.Start(t)
	return srv, srv.CreateTinyModel(t, "chatdojo-tiny")
}

func loadScenario(t *testing.T, name string) *scenarios.Scenario {
	t.Helper()
	src, err := os.ReadFile("testdata/" + name + ".md")
	if err != nil {
		t.Fatal(err)
	}
	sc, diags := scenarios.Parse(name+".md", src)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	return sc
}

// goodScript is double-charge's reference agent script.
func goodScript(t *testing.T) []simulator.ScriptLine {
	t.Helper()
	f, err := os.Open("../scenarios/library/double-charge.good.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	script, diags := simulator.ParseScript("double-charge.good.txt", f)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	return script
}

// TestModelAndHybridScenarios plays a model and a hybrid scenario against the real
// server: customer messages come from the model (source model) or, when a reply is
// refused, the scripted line (source fallback, with the reason in the event log); the
// engine still decides the end, so the good script resolves the session as the
// scripted scenario does.
func TestModelAndHybridScenarios(t *testing.T) {
	srv, model := server(t)
	c, err := ollama.New(ollama.Config{Hosts: []string{srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"double-charge-model", "double-charge-hybrid"} {
		t.Run(name, func(t *testing.T) {
			sc := loadScenario(t, name)
			cust := &simulator.ModelCustomer{Writer: c, Model: model, Seed: 5}
			res, err := simulator.Play(context.Background(), sc, simulator.Options{Seed: 5, Start: t0, Customer: cust}, goodScript(t))
			if err != nil {
				t.Fatal(err)
			}
			tr := res.Session.Transcript()
			if tr.Outcome != scenarios.OutcomeResolved {
				t.Errorf("outcome %s, want resolved: the model must not change what the engine decides", tr.Outcome)
			}
			bySource := map[scenarios.Source]int{}
			for _, m := range tr.Messages {
				if m.Role == scenarios.RoleCustomer {
					bySource[m.Source]++
					if m.Source == "" {
						t.Errorf("customer message %q has no source", m.Text)
					}
				}
			}
			if bySource[scenarios.SourceModel] == 0 {
				t.Errorf("no customer message came from the model: %v", bySource)
			}
			// Every fallback says why in the event log.
			for _, ev := range tr.Events {
				if ev.Type == scenarios.EventMessage && ev.Role == scenarios.RoleCustomer && ev.Message != nil && tr.Messages[*ev.Message].Source == scenarios.SourceFallback && ev.Note == "" {
					t.Errorf("a fallback message has no note in the event log")
				}
			}
			t.Logf("%s: %v", name, bySource)
		})
	}
}

// TestHostDownMidRun sends requests through two hosts, takes one down half-way, and
// checks that every later request is answered by the other.
func TestHostDownMidRun(t *testing.T) {
	srv, model := server(t)
	target, _ := url.Parse(srv.URL)
	var hitsA, hitsB atomic.Int64
	proxy := func(hits *atomic.Int64) *httptest.Server {
		rp := httputil.NewSingleHostReverseProxy(target)
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			rp.ServeHTTP(w, r)
		}))
	}
	a, b := proxy(&hitsA), proxy(&hitsB)
	defer b.Close()
	c, err := ollama.New(ollama.Config{Hosts: []string{a.URL, b.URL}, Retry: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	req := simulator.WriteRequest{Model: model, System: "You are a customer.", Messages: []simulator.ChatMessage{{Role: "user", Content: "Hello, how can I help?"}}, MaxChars: 60}
	ctx := context.Background()
	for i := 0; i < 4; i++ {
		if _, err := c.Write(ctx, req); err != nil {
			t.Fatalf("request %d with both hosts up: %v", i, err)
		}
	}
	if hitsA.Load() == 0 || hitsB.Load() == 0 {
		t.Fatalf("requests were not shared between the hosts: A %d, B %d", hitsA.Load(), hitsB.Load())
	}
	a.Close() // host A goes down
	before := hitsB.Load()
	for i := 0; i < 6; i++ {
		if _, err := c.Write(ctx, req); err != nil {
			t.Fatalf("request %d after host A went down: %v", i, err)
		}
	}
	if got := hitsB.Load() - before; got != 6 {
		t.Errorf("host B answered %d of the 6 requests after A went down, want 6", got)
	}
}

// TestNoHostReachable: with no reachable host, a model scenario plays on with the
// scripted lines (source fallback), and nothing crashes.
func TestNoHostReachable(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	c, err := ollama.New(ollama.Config{Hosts: []string{dead.URL}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if c.Reachable(context.Background()) {
		t.Fatal("a closed server is reachable")
	}
	sc := loadScenario(t, "double-charge-model")
	res, err := simulator.Play(context.Background(), sc, simulator.Options{Seed: 5, Start: t0, Customer: &simulator.ModelCustomer{Writer: c, Seed: 5}}, goodScript(t))
	if err != nil {
		t.Fatal(err)
	}
	tr := res.Session.Transcript()
	if tr.Outcome != scenarios.OutcomeResolved {
		t.Errorf("outcome %s, want resolved", tr.Outcome)
	}
	for _, m := range tr.Messages {
		if m.Role == scenarios.RoleCustomer && m.Source != scenarios.SourceFallback {
			t.Errorf("customer message %q has source %q, want fallback", m.Text, m.Source)
		}
	}
	notes := 0
	for _, ev := range tr.Events {
		if strings.Contains(ev.Note, "model unavailable") {
			notes++
		}
	}
	if notes == 0 {
		t.Error("the event log does not say the model was unavailable")
	}
}

func TestParseHosts(t *testing.T) {
	got, err := ollama.ParseHosts(" 127.0.0.1:11434, http://gpu-box:11434/ ,")
	if err != nil || len(got) != 2 || got[0] != "http://127.0.0.1:11434" || got[1] != "http://gpu-box:11434" {
		t.Errorf("ParseHosts = %q, %v", got, err)
	}
	if _, err := ollama.ParseHosts("ftp://x"); err == nil {
		t.Error("ftp://x accepted as an Ollama host")
	}
}

// TestJudge asks the generated model to rate a turn through the JSON schema: the
// answer parses and every rating is in range (the grammar holds even for a model whose
// words are noise).
func TestJudge(t *testing.T) {
	srv, model := server(t)
	c, err := ollama.New(ollama.Config{Hosts: []string{srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	j := ollama.NewJudge(c, model)
	if j.Name() != "ollama:"+model {
		t.Errorf("Name() = %q", j.Name())
	}
	for i, reply := range []string{"I'm so sorry, that sounds really stressful. Let me fix it now.", "Calm down, it's policy."} {
		jm, err := j.JudgeTurn(context.Background(), grading.TurnContext{Customer: "I was charged twice!", Agent: reply, CustomerMood: 20})
		if err != nil {
			t.Fatalf("turn %d: %v", i, err)
		}
		m := jm.Mechanisms
		for _, v := range []int{m.EmotionalReaction, m.Interpretation, m.Exploration} {
			if v < 0 || v > 2 {
				t.Errorf("turn %d: a mechanism level %d is out of 0..2", i, v)
			}
		}
		if jm.DeEscalation == nil || *jm.DeEscalation < 0 || *jm.DeEscalation > 100 {
			t.Errorf("turn %d: de-escalation %v out of 0..100", i, jm.DeEscalation)
		}
		if len(jm.Reason) > 200 {
			t.Errorf("turn %d: a reason of %d characters, the schema allows 200", i, len(jm.Reason))
		}
	}
	// No host: an error the grader turns into a rules fallback, not a hang.
	dead, _ := ollama.New(ollama.Config{Hosts: []string{"http://127.0.0.1:1"}, Timeout: 2 * time.Second})
	if _, err := ollama.NewJudge(dead, model).JudgeTurn(context.Background(), grading.TurnContext{Agent: "Hi"}); err == nil {
		t.Error("a judge with no reachable host returned no error")
	}
}

// downAfter is a writer that takes a host down after n requests, in the middle of a
// session.
type downAfter struct {
	w    simulator.Writer
	n    int
	down func()
	seen atomic.Int64
}

func (d *downAfter) Write(ctx context.Context, req simulator.WriteRequest) (string, error) {
	if int(d.seen.Add(1)) == d.n {
		d.down()
	}
	return d.w.Write(ctx, req)
}

// TestSessionsCarryOnWhenAHostGoesDown plays model-scenario sessions over two hosts and
// takes one down half-way through the first: every customer message of both sessions is
// still written by the model, on the other host.
func TestSessionsCarryOnWhenAHostGoesDown(t *testing.T) {
	srv, model := server(t)
	target, _ := url.Parse(srv.URL)
	var hitsB atomic.Int64
	a := httptest.NewServer(httputil.NewSingleHostReverseProxy(target))
	rpB := httputil.NewSingleHostReverseProxy(target)
	b := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hitsB.Add(1)
		rpB.ServeHTTP(w, r)
	}))
	defer b.Close()
	c, err := ollama.New(ollama.Config{Hosts: []string{a.URL, b.URL}, Retry: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	w := &downAfter{w: c, n: 3, down: func() { a.CloseClientConnections(); a.Close() }}
	sc := loadScenario(t, "double-charge-model")
	for i := 0; i < 2; i++ {
		res, err := simulator.Play(context.Background(), sc, simulator.Options{Seed: int64(i), Start: t0, Customer: &simulator.ModelCustomer{Writer: w, Model: model, Seed: int64(i)}}, goodScript(t))
		if err != nil {
			t.Fatal(err)
		}
		tr := res.Session.Transcript()
		if tr.Outcome != scenarios.OutcomeResolved {
			t.Errorf("session %d: outcome %s, want resolved", i, tr.Outcome)
		}
		for _, m := range tr.Messages {
			if m.Role == scenarios.RoleCustomer && m.Source != scenarios.SourceModel {
				t.Errorf("session %d: customer message %q has source %s, want model (the other host)", i, m.Text, m.Source)
			}
		}
	}
	if w.seen.Load() < 6 || hitsB.Load() < 5 {
		t.Errorf("%d requests, %d to host B: host A did not go down mid-run, or B did not take over", w.seen.Load(), hitsB.Load())
	}
}
