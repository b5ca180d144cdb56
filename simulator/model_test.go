package simulator_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"chatdojo/scenarios"
	"chatdojo/scenarios/library"
	"chatdojo/simulator"
)

// fakeWriter answers model requests from a list, in order, and records them.
type fakeWriter struct {
	mu      sync.Mutex
	replies []string
	err     error
	reqs    []simulator.WriteRequest
}

func (f *fakeWriter) Write(ctx context.Context, req simulator.WriteRequest) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs = append(f.reqs, req)
	if f.err != nil {
		return "", f.err
	}
	if len(f.replies) == 0 {
		return "Fine.", nil
	}
	r := f.replies[0]
	f.replies = f.replies[1:]
	return r, nil
}

// modelScenario is the library's double-charge scenario in a mode, with a model block.
func modelScenario(t *testing.T, mode scenarios.Mode) *scenarios.Scenario {
	t.Helper()
	cat, err := library.Load()
	if err != nil {
		t.Fatal(err)
	}
	orig, err := cat.FindScenarioByID("double-charge")
	if err != nil {
		t.Fatal(err)
	}
	sc := *orig
	sc.Mode = mode
	sc.Model = &scenarios.Model{Name: "test-model", Instructions: "Short sentences.", Facts: []scenarios.Fact{{Key: "card", Value: "Visa ending 4411"}, {Key: "email", Value: "dana.kowalski@fastmail.com"}}}
	return &sc
}

// playModel plays the double-charge reference lines with a model customer.
func playModel(t *testing.T, sc *scenarios.Scenario, w simulator.Writer, lines ...string) scenarios.Transcript {
	t.Helper()
	var script []simulator.ScriptLine
	for _, l := range lines {
		script = append(script, simulator.ScriptLine{Delay: 20e9, Text: l})
	}
	res, err := simulator.Play(context.Background(), sc, simulator.Options{Seed: 3, Start: t0, Customer: &simulator.ModelCustomer{Writer: w, Seed: 3}}, script)
	if err != nil {
		t.Fatal(err)
	}
	return res.Session.Transcript()
}

var goodLines = []string{
	"Hi Dana, I'm Sam from Brightwave billing. I'm sorry about the double charge, I can hear how frustrating this is.",
	"Could you confirm the email on the account and the last four digits of the card that was charged?",
	"Thank you. I can see both £49.99 payments. The charge shows twice because the first payment timed out and our system retried it. That's on us, not you.",
	"I've refunded the duplicate £49.99 to your Visa ending 4411 just now.",
	"You'll see it back on your statement within 3 working days, and you'll get an email confirmation in the next few minutes.",
}

// noteOf is the event-log note of customer message i.
func noteOf(tr scenarios.Transcript, i int) (string, string) {
	for _, ev := range tr.Events {
		if ev.Type == scenarios.EventMessage && ev.Message != nil && *ev.Message == i {
			return ev.Note, ev.Original
		}
	}
	return "", ""
}

// TestModelCustomerGuardRails: the model writes, the engine decides.
func TestModelCustomerGuardRails(t *testing.T) {
	t.Run("a good reply is used, with its source", func(t *testing.T) {
		w := &fakeWriter{replies: []string{"Customer: \"I was charged twice for March. Sort it out.\""}}
		tr := playModel(t, modelScenario(t, scenarios.ModeModel), w)
		if m := tr.Messages[0]; m.Source != scenarios.SourceModel || m.Text != "I was charged twice for March. Sort it out." {
			t.Errorf("opening = %q (%s), want the model's words, cleaned, with source model", m.Text, m.Source)
		}
		if _, orig := noteOf(tr, 0); orig == "" {
			t.Error("the scripted line is not kept in the event log beside the model's words")
		}
		for _, ev := range tr.Events {
			if ev.Type == scenarios.EventMessage && ev.Message != nil && *ev.Message == 0 && !strings.HasPrefix(ev.Model, "test-model seed=") {
				t.Errorf("the event log records the model as %q, want the model name and its seed", ev.Model)
			}
		}
	})
	t.Run("a role-swapped reply is retried, then replaced by the scripted line", func(t *testing.T) {
		w := &fakeWriter{replies: []string{"Agent: How can I help you today?", "I'd be happy to help you with your billing question!"}}
		tr := playModel(t, modelScenario(t, scenarios.ModeModel), w)
		m := tr.Messages[0]
		if m.Source != scenarios.SourceFallback || !strings.Contains(m.Text, "charged TWICE") {
			t.Errorf("opening = %q (%s), want the scripted line as a fallback", m.Text, m.Source)
		}
		if len(w.reqs) != 2 {
			t.Errorf("%d model requests for the opening, want 2 (one retry)", len(w.reqs))
		}
		if note, _ := noteOf(tr, 0); !strings.Contains(note, "rejected") {
			t.Errorf("the event log note %q does not say why the reply was replaced", note)
		}
	})
	t.Run("an empty reply is replaced and recorded", func(t *testing.T) {
		w := &fakeWriter{replies: []string{"", "   "}}
		tr := playModel(t, modelScenario(t, scenarios.ModeModel), w)
		if m := tr.Messages[0]; m.Source != scenarios.SourceFallback {
			t.Errorf("an empty reply was shown: %q (%s)", m.Text, m.Source)
		}
		if note, _ := noteOf(tr, 0); note == "" {
			t.Error("no note for the replaced empty reply")
		}
	})
	t.Run("an invented number is refused", func(t *testing.T) {
		w := &fakeWriter{replies: []string{"My order ORD-99121 was charged twice.", "It was card 5555 that got charged."}}
		tr := playModel(t, modelScenario(t, scenarios.ModeModel), w)
		if m := tr.Messages[0]; m.Source != scenarios.SourceFallback {
			t.Errorf("a reply with invented numbers was shown: %q", m.Text)
		}
	})
	t.Run("an early goodbye does not end the session", func(t *testing.T) {
		w := &fakeWriter{replies: []string{"You know what, forget it. I'm leaving. Goodbye.", "Bye. I'm done with you."}}
		tr := playModel(t, modelScenario(t, scenarios.ModeModel), w, goodLines[:2]...)
		if tr.Outcome == scenarios.OutcomeWalkedAway || tr.Outcome == scenarios.OutcomeResolved {
			t.Errorf("outcome %s after the model said goodbye: the engine alone ends a session", tr.Outcome)
		}
		if n := len(tr.Messages); n != 5 {
			t.Errorf("%d messages, want 5: the conversation goes on after the model's goodbye", n)
		}
	})
	t.Run("nothing after the resolution reopens the session", func(t *testing.T) {
		w := &fakeWriter{}
		for range 10 {
			w.replies = append(w.replies, "Actually, I have another problem: my router is broken too.")
		}
		tr := playModel(t, modelScenario(t, scenarios.ModeModel), w, append(append([]string{}, goodLines...), "Anything else I can do?")...)
		if tr.Outcome != scenarios.OutcomeResolved {
			t.Fatalf("outcome %s, want resolved", tr.Outcome)
		}
		if last := tr.Messages[len(tr.Messages)-1]; last.Role != scenarios.RoleCustomer {
			t.Errorf("the session went on after the resolution: last message %q by %s", last.Text, last.Role)
		}
		if len(tr.Messages) != 1+2*len(goodLines) {
			t.Errorf("%d messages, want %d: the line after the resolution is ignored", len(tr.Messages), 1+2*len(goodLines))
		}
	})
	t.Run("an unreachable model falls back to the script", func(t *testing.T) {
		w := &fakeWriter{err: errors.New("connection refused")}
		tr := playModel(t, modelScenario(t, scenarios.ModeModel), w, goodLines...)
		if tr.Outcome != scenarios.OutcomeResolved {
			t.Errorf("outcome %s, want resolved", tr.Outcome)
		}
		for _, m := range tr.Messages {
			if m.Role == scenarios.RoleCustomer && m.Source != scenarios.SourceFallback {
				t.Errorf("customer message %q has source %s, want fallback", m.Text, m.Source)
			}
		}
	})
	t.Run("hybrid asks for the scripted line rewritten", func(t *testing.T) {
		w := &fakeWriter{replies: []string{"Charged me twice for March! Fix it now."}}
		playModel(t, modelScenario(t, scenarios.ModeHybrid), w)
		if len(w.reqs) == 0 || !strings.Contains(w.reqs[0].System, "charged TWICE") || !strings.Contains(w.reqs[0].System, "keeping its meaning") {
			t.Errorf("the hybrid prompt does not carry the scripted line to rewrite:\n%s", w.reqs[0].System)
		}
	})
	t.Run("the prompt holds the persona, the facts and the mood", func(t *testing.T) {
		w := &fakeWriter{}
		playModel(t, modelScenario(t, scenarios.ModeModel), w, goodLines[0])
		sys := w.reqs[len(w.reqs)-1].System
		for _, want := range []string{"Dana Kowalski", "Visa ending 4411", "never the support agent", "mood", "apologize"} {
			if !strings.Contains(sys, want) {
				t.Errorf("the system prompt lacks %q:\n%s", want, sys)
			}
		}
		last := w.reqs[len(w.reqs)-1].Messages
		if last[len(last)-1].Role != "user" || last[len(last)-1].Content != goodLines[0] {
			t.Errorf("the agent's message is not the last user message: %+v", last[len(last)-1])
		}
	})
	t.Run("a scripted scenario never calls the model", func(t *testing.T) {
		w := &fakeWriter{}
		playModel(t, modelScenario(t, scenarios.ModeScripted), w, goodLines...)
		if len(w.reqs) != 0 {
			t.Errorf("%d model requests for a scripted scenario", len(w.reqs))
		}
	})
}
