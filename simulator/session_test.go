package simulator_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"chatdojo/grading/moves"
	"chatdojo/internal/golden"
	"chatdojo/scenarios"
	"chatdojo/simulator"
)

var t0 = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

// tagged is a classifier for the rule tests: a message "apologize,greet: text" has the
// moves before the colon, so each rule is tested apart from the real classifier.
type tagged struct{}

func (tagged) Classify(text string) []moves.Match {
	tags, _, ok := strings.Cut(text, ":")
	if !ok {
		return nil
	}
	var out []moves.Match
	for _, t := range strings.Split(tags, ",") {
		if m := scenarios.Move(strings.TrimSpace(t)); m.Valid() {
			out = append(out, moves.Match{Move: m})
		}
	}
	return out
}

func loadScenario(tb testing.TB, path string) *scenarios.Scenario {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	sc, err := scenarios.Load(path, b)
	if err != nil {
		tb.Fatal(err)
	}
	return sc
}

// step is one agent message after a delay; "" text means only advancing the clock.
type step struct {
	after time.Duration
	text  string
}

func play(tb testing.TB, sc *scenarios.Scenario, seed int64, steps []step) (*simulator.Session, []scenarios.Message) {
	tb.Helper()
	ctx := context.Background()
	s, err := simulator.New(ctx, sc, simulator.Options{Seed: seed, Start: t0, Classifier: tagged{}})
	if err != nil {
		tb.Fatal(err)
	}
	now := t0
	for _, st := range steps {
		now = now.Add(st.after)
		if st.text == "" {
			if _, err := s.Advance(ctx, now); err != nil {
				tb.Fatal(err)
			}
			continue
		}
		if _, err := s.Reply(ctx, now, st.text); err != nil {
			tb.Fatalf("reply %q: %v", st.text, err)
		}
	}
	return s, s.Transcript().Messages
}

func customerLines(msgs []scenarios.Message) []string {
	var out []string
	for _, m := range msgs {
		if m.Role == scenarios.RoleCustomer {
			out = append(out, m.Text)
		}
	}
	return out
}

func TestRules(t *testing.T) {
	sc := loadScenario(t, "testdata/semantics.md")
	tests := []struct {
		name      string
		steps     []step
		wantLast  []string // the customer's last lines
		wantMood  int
		outcome   scenarios.Outcome
		wantFound []string // issues resolved
		wantCount map[string]int
	}{
		{
			name:     "deltas of every matching section add up, the first section gives the line",
			steps:    []step{{10 * time.Second, "apologize,acknowledge_emotion,offer_solution: sorry, I can fix it"}},
			wantLast: []string{"Fine."},
			wantMood: 40 + 5 + 3 + 10,
		},
		{
			name:     "a message no section matches gets On other and no delta",
			steps:    []step{{10 * time.Second, "greet: hi"}},
			wantLast: []string{"Hm."},
			wantMood: 40,
		},
		{
			name: "silence brings the chase line with its delta, once per patience",
			steps: []step{
				{59 * time.Second, ""},
				{time.Second, ""},
				{60 * time.Second, ""},
			},
			// 40 -15 = 25 crosses 30, -15 = 10 is the walk-away mood.
			wantCount: map[string]int{"I'm losing my patience.": 1, "I'm leaving.": 1},
			wantMood:  10,
			outcome:   scenarios.OutcomeWalkedAway,
		},
		{
			name: "mood below N fires once, when the mood crosses it",
			steps: []step{
				{10 * time.Second, "rude: whatever"},     // 20: crosses 30
				{10 * time.Second, "apologize: sorry"},   // +5 +3 (both apologize sections) = 28
				{10 * time.Second, "offer_solution: ok"}, // 38
				{10 * time.Second, "rude: meh"},          // 18: crosses 30 again, no message
			},
			wantCount: map[string]int{"I'm losing my patience.": 1},
			wantMood:  18,
		},
		{
			name:      "at or below walk_away the customer leaves, without the mood-below warning",
			steps:     []step{{10 * time.Second, "shouting: HEY"}}, // 40 - 35 = 5
			wantLast:  []string{"Don't shout at me.", "I'm leaving."},
			wantCount: map[string]int{"I'm losing my patience.": 0},
			wantMood:  5,
			outcome:   scenarios.OutcomeWalkedAway,
		},
		{
			name: "needs accumulate in any order; a revealed issue counts from the next message",
			steps: []step{
				{10 * time.Second, "offer_solution: I can refund"},
				{10 * time.Second, "verify_identity,set_expectation: your email? refund in 3 days"},
				{10 * time.Second, "offer_solution: cancelling now"},
				{10 * time.Second, "set_expectation: you'll get an email"},
			},
			wantLast:  []string{"That would help.", "Thanks. Now I want to cancel.", "That would help.", "Good, done."},
			wantMood:  40 + 10 + 20 + 10,
			outcome:   scenarios.OutcomeResolved,
			wantFound: []string{"refund", "cancel"},
		},
		{
			name:     "the time limit ends the session",
			steps:    []step{{50 * time.Second, "apologize: sorry"}, {50 * time.Second, "apologize: sorry"}, {50 * time.Second, "apologize: sorry"}, {50 * time.Second, "apologize: sorry"}, {50 * time.Second, "apologize: sorry"}, {50 * time.Second, "apologize: sorry"}, {50 * time.Second, "apologize: sorry"}, {50 * time.Second, "apologize: sorry"}, {50 * time.Second, "apologize: sorry"}, {50 * time.Second, "apologize: sorry"}, {50 * time.Second, "apologize: sorry"}, {50 * time.Second, ""}},
			wantMood: 100, // 11 apologies of +8, clamped
			outcome:  scenarios.OutcomeTimedOut,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, msgs := play(t, sc, 1, tt.steps)
			lines := customerLines(msgs)
			if tt.wantLast != nil {
				got := lines[max(len(lines)-len(tt.wantLast), 0):]
				if diff := cmp.Diff(tt.wantLast, got); diff != "" {
					t.Errorf("customer's last lines (-want +got):\n%s\nall: %q", diff, lines)
				}
			}
			for line, n := range tt.wantCount {
				got := 0
				for _, l := range lines {
					if l == line {
						got++
					}
				}
				if got != n {
					t.Errorf("%q said %d times, want %d; lines: %q", line, got, n, lines)
				}
			}
			if s.Mood() != tt.wantMood {
				t.Errorf("mood = %d, want %d", s.Mood(), tt.wantMood)
			}
			if s.Outcome() != tt.outcome {
				t.Errorf("outcome = %q, want %q", s.Outcome(), tt.outcome)
			}
			if tt.wantFound != nil {
				if diff := cmp.Diff(tt.wantFound, s.Transcript().Resolved); diff != "" {
					t.Errorf("resolved (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestTimeLimitAt(t *testing.T) {
	sc := loadScenario(t, "testdata/semantics.md")
	s, _ := play(t, sc, 1, []step{{50 * time.Second, "apologize: sorry"}})
	ctx := context.Background()
	// Chases every 60 s from the last message; the 10m limit comes first eventually.
	if _, err := s.Advance(ctx, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	tr := s.Transcript()
	last := tr.Events[len(tr.Events)-1]
	if last.Type != scenarios.EventOutcome || last.Outcome != s.Outcome() {
		t.Fatalf("last event = %+v", last)
	}
	// Walk-away from repeated chases can come before the limit; either way the
	// session ended at a deadline, not at the hour we advanced to.
	if !last.At.Before(t0.Add(10*time.Minute + time.Second)) {
		t.Errorf("ended at %s, after the time limit", last.At)
	}
}

func TestReplyAfterEndIsConflict(t *testing.T) {
	sc := loadScenario(t, "testdata/semantics.md")
	s, _ := play(t, sc, 1, []step{{10 * time.Second, "blame_customer,rude: a"}, {10 * time.Second, "rude: b"}})
	_, err := s.Reply(context.Background(), t0.Add(time.Minute), "apologize: sorry")
	if scenarios.ErrorCode(err) != scenarios.ECONFLICT {
		t.Fatalf("err = %v, want a conflict", err)
	}
	_, err = s.Reply(context.Background(), t0, "hello")
	if scenarios.ErrorCode(err) != scenarios.EINVALID {
		t.Fatalf("a message back in time: err = %v, want invalid", err)
	}
	_, err = s.Reply(context.Background(), t0.Add(time.Hour), "   ")
	if scenarios.ErrorCode(err) != scenarios.EINVALID {
		t.Fatalf("an empty message: err = %v, want invalid", err)
	}
}

func TestVariantsDependOnSeedAndDoNotRepeat(t *testing.T) {
	sc := loadScenario(t, "testdata/semantics.md")
	steps := []step{{5 * time.Second, "apologize: a"}, {5 * time.Second, "apologize: b"}, {5 * time.Second, "apologize: c"}, {5 * time.Second, "apologize: d"}}
	seen := map[string]bool{}
	for seed := int64(1); seed <= 20; seed++ {
		_, msgs := play(t, sc, seed, steps)
		lines := customerLines(msgs)
		seen[lines[0]] = true
		replies := lines[1:4]
		if replies[0] == replies[1] || replies[1] == replies[2] || replies[0] == replies[2] {
			t.Errorf("seed %d: a variant repeated before the others were used: %q", seed, replies)
		}
		if lines[3] == lines[4] {
			t.Errorf("seed %d: the same variant twice in a row: %q", seed, lines)
		}
	}
	if len(seen) != 2 {
		t.Errorf("openings over 20 seeds = %v, want both variants", seen)
	}
}

// TestGoldenTranscript plays a script with the real classifier twice: the transcripts
// must be identical and match the golden file; a silence longer than the patience
// brings the chase line.
func TestGoldenTranscript(t *testing.T) {
	sc := loadScenario(t, "testdata/semantics.md")
	script := []simulator.ScriptLine{
		{Delay: 15 * time.Second, Text: "Hi Robin, I'm Sam from billing. I'm so sorry about the double charge."},
		{Delay: 75 * time.Second, Text: "Could you confirm the email address on the account?"},
		{Delay: 20 * time.Second, Text: "Thanks. I've refunded the duplicate charge, you'll see it within 3 working days."},
		{Delay: 30 * time.Second, Text: "I can cancel the subscription for you right now, and you'll get a confirmation email today."},
		{Delay: 10 * time.Second, Text: "Is there anything else I can help with?"},
	}
	run := func() []byte {
		res, err := simulator.Play(context.Background(), sc, simulator.Options{Seed: 7, Start: t0}, script)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.MarshalIndent(res.Session.Transcript(), "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		return append(b, '\n')
	}
	first, second := run(), run()
	if string(first) != string(second) {
		t.Fatalf("two runs differ:\n%s", cmp.Diff(string(first), string(second)))
	}
	golden.Check(t, "testdata/semantics.golden.json", first)
	var tr scenarios.Transcript
	if err := json.Unmarshal(first, &tr); err != nil {
		t.Fatal(err)
	}
	// The agent's second message comes 75 s after the first, the patience is 60 s: the
	// customer chases at 15 s + 60 s with the silence line.
	chaseAt := t0.Add(75 * time.Second)
	found := false
	for _, m := range tr.Messages {
		if m.Role == scenarios.RoleCustomer && m.At.Equal(chaseAt) && (m.Text == "Hello??" || m.Text == "Are you there?") {
			found = true
		}
	}
	if !found {
		t.Errorf("no chase line at %s in %+v", chaseAt, tr.Messages)
	}
}
