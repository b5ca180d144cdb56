package ollama_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"chatdojo/ollama"
	"chatdojo/scenarios"
	"chatdojo/simulator"
)

// fake is an in-process server speaking Ollama's /api/chat, /api/tags and /api/version
// with the client's own wire types, replaying scripted behaviours a random model cannot
// produce on demand.
type fake struct {
	// replies are answered in turn (the last one repeats).
	replies []string
	// mode is "ok", "slow" (answers after delay), "cut" (the body stops half-way) or
	// "error" (500).
	mode  string
	delay time.Duration
	calls atomic.Int64
}

func (f *fake) server(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/version":
			json.NewEncoder(w).Encode(map[string]string{"version": "0.6.5-fake"})
			return
		case "/api/tags":
			json.NewEncoder(w).Encode(api.ListResponse{Models: []api.ListModelResponse{{Name: "fake:latest", Model: "fake:latest"}}})
			return
		case "/api/chat":
		default:
			http.NotFound(w, r)
			return
		}
		n := int(f.calls.Add(1)) - 1
		reply := f.replies[min(n, len(f.replies)-1)]
		switch f.mode {
		case "error":
			w.WriteHeader(http.StatusInternalServerError)
			json.NewEncoder(w).Encode(map[string]string{"error": "the model crashed"})
			return
		case "slow":
			select {
			case <-time.After(f.delay):
			case <-r.Context().Done():
				return
			}
		}
		body, _ := json.Marshal(api.ChatResponse{Model: "fake", Message: api.Message{Role: "assistant", Content: reply}, Done: true, DoneReason: "stop"})
		if f.mode == "cut" {
			// Half a JSON object, then the connection closes.
			w.Header().Set("Content-Length", "1000")
			w.Write(body[:len(body)/2])
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func write(t *testing.T, c *ollama.Client) (string, error) {
	t.Helper()
	return c.Write(context.Background(), simulator.WriteRequest{Model: "fake", System: "You are a customer.", Messages: []simulator.ChatMessage{{Role: "user", Content: "Hello"}}, MaxChars: 200})
}

// TestFailingHosts: a slow host, a host whose answer is cut half-way and a host that
// fails with 500 are each skipped for the next good one, and a host that is down is not
// asked again until its retry time.
func TestFailingHosts(t *testing.T) {
	for _, mode := range []string{"slow", "cut", "error"} {
		t.Run(mode, func(t *testing.T) {
			bad := &fake{replies: []string{"bad host"}, mode: mode, delay: 3 * time.Second}
			good := &fake{replies: []string{"I want my money back."}, mode: "ok"}
			bs, gs := bad.server(t), good.server(t)
			now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
			c, err := ollama.New(ollama.Config{Hosts: []string{bs.URL, gs.URL}, Timeout: 500 * time.Millisecond, Retry: time.Minute, Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 4; i++ {
				got, err := write(t, c)
				if err != nil || got != "I want my money back." {
					t.Fatalf("request %d: %q, %v; want the good host's answer", i, got, err)
				}
			}
			if n := bad.calls.Load(); n != 1 {
				t.Errorf("the failing host was asked %d times in a minute, want 1 (then skipped)", n)
			}
			now = now.Add(2 * time.Minute)
			write(t, c)
			write(t, c)
			if n := bad.calls.Load(); n != 2 {
				t.Errorf("after its retry time the failing host was asked %d times in all, want 2", n)
			}
		})
	}
}

// TestBadRepliesFallBack plays a model scenario on a host that answers as the agent,
// then empty: each customer message is the scripted line, marked fallback with the
// reason, and the session ends as the engine decides.
func TestBadRepliesFallBack(t *testing.T) {
	f := &fake{replies: []string{"Agent: How can I help you today?", ""}, mode: "ok"}
	srv := f.server(t)
	c, err := ollama.New(ollama.Config{Hosts: []string{srv.URL}})
	if err != nil {
		t.Fatal(err)
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
	for _, ev := range tr.Events {
		if ev.Type != scenarios.EventMessage || ev.Role != scenarios.RoleCustomer {
			continue
		}
		m := tr.Messages[*ev.Message]
		if m.Source != scenarios.SourceFallback || !strings.Contains(ev.Note, "rejected") || m.Text != ev.Original {
			t.Errorf("customer message %q: source %s, note %q; want the scripted line as a fallback with the reason", m.Text, m.Source, ev.Note)
		}
	}
	if f.calls.Load() < 2 {
		t.Errorf("the model was asked %d times, want a retry per message", f.calls.Load())
	}
}

// TestCheck lists each host's version and models, and says which do not answer.
func TestCheck(t *testing.T) {
	f := &fake{replies: []string{"x"}, mode: "ok"}
	srv := f.server(t)
	c, err := ollama.New(ollama.Config{Hosts: []string{srv.URL, "http://127.0.0.1:1"}})
	if err != nil {
		t.Fatal(err)
	}
	st := c.Check(context.Background())
	if st[0].Err != nil || st[0].Version != "0.6.5-fake" || len(st[0].Models) != 1 || st[0].Models[0] != "fake:latest" {
		t.Errorf("the fake host: %+v", st[0])
	}
	if st[1].Err == nil {
		t.Error("a closed port answers")
	}
	if !c.Reachable(context.Background()) {
		t.Error("not reachable with one host up")
	}
}
