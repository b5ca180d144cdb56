package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"chatdojo/internal/ollamatest"
	"chatdojo/ollama"
	"chatdojo/scenarios"
	"chatdojo/simulator"
	"chatdojo/web"
)

// TestModelScenarioThroughAPIAndPages plays a model and a hybrid library scenario
// through the API against a real Ollama server with the generated model: customer
// messages come from the model, the catalogue says so, and a second practice service on
// the same database (another instance, or a restart) continues the session with the
// stored model messages untouched.
func TestModelScenarioThroughAPIAndPages(t *testing.T) {
	srv := ollamatest.Start(t)
	model := srv.CreateTinyModel(t, "chatdojo-tiny")
	oc, err := ollama.New(ollama.Config{Hosts: []string{srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	a := newAppWith(t, false, func(cfg *web.PracticeConfig) {
		cfg.Customer = func(sc *scenarios.Scenario, seed int64) simulator.Customer {
			return &simulator.ModelCustomer{Writer: oc, Model: model, Seed: seed}
		}
		cfg.Models = oc.Reachable
	})
	b, tok := a.user("mo@example.com", web.RoleTrainee)
	if body := b.get("/").Body; !strings.Contains(body, `data-testid="model-note-warranty-claim"`) || !strings.Contains(body, "written by a language model") {
		t.Error("the catalogue does not say that warranty-claim's customer is model-driven")
	}
	api := a.api(tok)
	for _, id := range []string{"warranty-claim", "router-setup"} {
		t.Run(id, func(t *testing.T) {
			s := api.start(id, 4)
			for _, line := range []string{"Hello, thanks for getting in touch. I'm sorry to hear that.", "Could you tell me a bit more about what happened?"} {
				api.say(s.ID, line)
			}
			got := api.session(s.ID)
			sources := map[string]int{}
			for _, m := range got.Messages {
				if m.Role == "customer" {
					sources[m.Source]++
				}
			}
			if sources["model"] == 0 {
				t.Fatalf("no customer message came from the model: %v", sources)
			}
			// Another practice service on the same database replays the stored model
			// messages and goes on.
			// Its model host is down: the replay must not need the model.
			cfg2 := a.cfg
			dead, _ := ollama.New(ollama.Config{Hosts: []string{"http://127.0.0.1:1"}})
			cfg2.Customer = func(sc *scenarios.Scenario, seed int64) simulator.Customer {
				return &simulator.ModelCustomer{Writer: dead, Model: model, Seed: seed}
			}
			p2, err := web.NewPractice(context.Background(), cfg2)
			if err != nil {
				t.Fatal(err)
			}
			stored, err := a.Store.FindSessionByID(context.Background(), s.ID)
			if err != nil {
				t.Fatal(err)
			}
			tr, err := p2.Transcript(context.Background(), stored)
			if err != nil {
				t.Fatal(err)
			}
			for i, m := range stored.Messages {
				if tr.Messages[i].Text != m.Text || tr.Messages[i].Source != m.Source {
					t.Errorf("the replayed message %d is %q (%s), stored %q (%s)", i, tr.Messages[i].Text, tr.Messages[i].Source, m.Text, m.Source)
				}
			}
			if _, _, err := p2.Reply(context.Background(), s.ID, "Thank you, that helps."); err != nil {
				t.Fatalf("reply through a second service: %v", err)
			}
			after := api.session(s.ID)
			if len(after.Messages) <= len(got.Messages) {
				t.Fatalf("no new messages after the reply through the second service")
			}
			for i := range got.Messages {
				if after.Messages[i].Text != got.Messages[i].Text || after.Messages[i].Source != got.Messages[i].Source {
					t.Errorf("message %d changed after the replay: %q (%s) became %q (%s)", i, got.Messages[i].Text, got.Messages[i].Source, after.Messages[i].Text, after.Messages[i].Source)
				}
			}
		})
	}
}

// slowWriter is a model that takes its time to write a fixed reply.
type slowWriter struct{ delay time.Duration }

func (w slowWriter) Write(ctx context.Context, req simulator.WriteRequest) (string, error) {
	select {
	case <-time.After(w.delay):
		return "Right. And what happens now?", nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// TestTypingWhileModelWrites opens a session's event stream and posts a message while
// a slow model writes the answer: the stream says the customer is typing before the
// answer is stored, and a request the trainee abandons cancels the model's work.
func TestTypingWhileModelWrites(t *testing.T) {
	a := newAppWith(t, false, func(cfg *web.PracticeConfig) {
		cfg.Customer = func(sc *scenarios.Scenario, seed int64) simulator.Customer {
			return &simulator.ModelCustomer{Writer: slowWriter{delay: 600 * time.Millisecond}, Seed: seed}
		}
	})
	_, tok := a.user("ty@example.com", web.RoleTrainee)
	api := a.api(tok)
	s := api.start("warranty-claim", 1) // a model scenario: the opening is slow too
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	events := openEvents(t, ctx, a, tok, s.ID, "?after=0")
	posted := make(chan struct{})
	go func() {
		api.say(s.ID, "Good morning, I'm sorry about the hinge. When did you buy it?")
		close(posted)
	}()
	sawTyping := false
	for ev := range events {
		if ev.Name == "typing" {
			select {
			case <-posted:
			default:
				sawTyping = true // while the model was still writing
			}
		}
		if ev.Name == "message" && strings.Contains(ev.Data, `"role":"customer"`) {
			break
		}
	}
	if !sawTyping {
		t.Error("no typing event while the model wrote the answer")
	}
	<-posted
	// A request given up half-way cancels the model: nothing is stored.
	before := len(api.session(s.ID).Messages)
	rctx, rcancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer rcancel()
	if _, _, err := a.Practice.Reply(rctx, s.ID, "Are you still there?"); err == nil {
		t.Error("a reply whose request was cancelled while the model wrote succeeded")
	}
	if after := len(api.session(s.ID).Messages); after != before {
		t.Errorf("%d messages stored by a cancelled reply", after-before)
	}
	// And the session goes on afterwards.
	if r := api.say(s.ID, "Are you still there?"); len(r.Messages) == 0 {
		t.Error("no answer after a cancelled reply")
	}
}
