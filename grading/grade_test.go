package grading_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"chatdojo/grading"
	"chatdojo/grading/moves"
	"chatdojo/internal/golden"
	"chatdojo/scenarios"
	"chatdojo/scenarios/library"
	"chatdojo/simulator"
)

var t0 = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

func newGrader(tb testing.TB) (*grading.Grader, *scenarios.Catalog) {
	tb.Helper()
	cat, err := library.Load()
	if err != nil {
		tb.Fatal(err)
	}
	return grading.New(moves.New(), grading.Options{Lookup: func(id string) (*scenarios.Scenario, bool) {
		sc, err := cat.FindScenarioByID(id)
		return sc, err == nil
	}}), cat
}

// TestGoldenSession grades a full simulated session of a library scenario and compares
// it with the golden file; every feedback line must quote the agent's own words.
func TestGoldenSession(t *testing.T) {
	g, cat := newGrader(t)
	sc, err := cat.FindScenarioByID("lost-parcel-email")
	if err != nil {
		t.Fatal(err)
	}
	script := []simulator.ScriptLine{
		{Delay: 4 * time.Minute, Text: "Hello Priya, this is Leo from Hearth & Loom."},
		{Delay: 3 * time.Minute, Text: "What's your order number?"},
		{Delay: 2 * time.Minute, Text: "I understand your frustration. The courier missed the scan at the Leeds depot, which is why the tracking hasn't moved."},
		{Delay: 2 * time.Minute, Text: "I understand your frustration. Could you confirm your order number again?"},
		{Delay: 2 * time.Minute, Text: "I'm so sorry, I know how much this gift for your mum's 70th means to you. I've sent a replacement quilt by express courier today, and you'll have it by Friday."},
		{Delay: time.Minute, Text: "Don't worry, the replacement is free, and if the first parcel turns up you can keep it."},
	}
	res, err := simulator.Play(context.Background(), sc, simulator.Options{Seed: 2, Start: t0, User: "trainee@example.com"}, script)
	if err != nil {
		t.Fatal(err)
	}
	gr, err := g.Grade(context.Background(), res.Session.Transcript())
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(gr, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden.Check(t, "testdata/golden/lost-parcel-email.grade.json", got)
	if len(gr.Turns) < 4 {
		t.Fatalf("%d turns, want at least 4", len(gr.Turns))
	}
	for _, turn := range gr.Turns {
		checkFeedbackQuotes(t, turn)
	}
	// The repeated stock phrase and the repeated question must be called out.
	if fb := gr.Turns[3].Feedback; !strings.Contains(fb, "said once before") && !strings.Contains(fb, "already gave") {
		t.Errorf("turn 3 feedback does not call out the repetition: %s", fb)
	}
	// The last reply picks up the customer's first message (the gift, the birthday):
	// strong on emotional reaction and interpretation.
	if e := gr.Turns[4].Empathy; e.EmotionalReaction != 2 || e.Interpretation != 2 {
		t.Errorf("turn 4 mechanisms %+v, want strong emotional reaction and interpretation", e)
	}
}

// checkFeedbackQuotes checks that a turn's feedback starts with a quote of the agent's
// own words (a possibly shortened piece of the turn's text).
func checkFeedbackQuotes(t *testing.T, turn grading.Turn) {
	t.Helper()
	fb := turn.Feedback
	if !strings.HasPrefix(fb, `"`) {
		t.Errorf("turn %d feedback does not start with a quote: %s", turn.Index, fb)
		return
	}
	end := strings.Index(fb[1:], `"`)
	if end < 0 {
		t.Errorf("turn %d feedback has no closing quote: %s", turn.Index, fb)
		return
	}
	q := strings.TrimSuffix(fb[1:1+end], "…")
	if q == "" || !strings.Contains(strings.Join(strings.Fields(turn.Text), " "), q) {
		t.Errorf("turn %d feedback quotes %q, which is not in the agent's words %q", turn.Index, q, turn.Text)
	}
}

// playLibrary plays a reference script of a library scenario and grades it.
func playLibrary(t *testing.T, g *grading.Grader, sc *scenarios.Scenario, kind string) grading.Grade {
	t.Helper()
	b, err := os.ReadFile("../scenarios/library/" + sc.ID + "." + kind + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	script, _ := simulator.ParseScript(sc.ID, strings.NewReader(string(b)))
	res, err := simulator.Play(context.Background(), sc, simulator.Options{Seed: 1, Start: t0}, script)
	if err != nil {
		t.Fatal(err)
	}
	gr, err := g.Grade(context.Background(), res.Session.Transcript())
	if err != nil {
		t.Fatal(err)
	}
	return gr
}

// TestLibraryScripts grades both reference scripts of every library scenario: every
// feedback line quotes the agent, the good script resolves everything and outscores
// the poor one overall and on de-escalation.
func TestLibraryScripts(t *testing.T) {
	g, cat := newGrader(t)
	for _, sc := range cat.All() {
		good, poor := playLibrary(t, g, sc, "good"), playLibrary(t, g, sc, "poor")
		for _, turn := range append(good.Turns, poor.Turns...) {
			checkFeedbackQuotes(t, turn)
		}
		if good.Scores.Resolution == nil || *good.Scores.Resolution != 100 {
			t.Errorf("%s good: resolution %v, want 100", sc.ID, good.Scores.Resolution)
		}
		if poor.Scores.Resolution != nil && *poor.Scores.Resolution == 100 {
			t.Errorf("%s poor: resolution 100", sc.ID)
		}
		if *good.Scores.Overall <= *poor.Scores.Overall || *good.Scores.DeEscalation <= *poor.Scores.DeEscalation {
			t.Errorf("%s: good overall %d de-escalation %d, poor %d %d", sc.ID, *good.Scores.Overall, *good.Scores.DeEscalation, *poor.Scores.Overall, *poor.Scores.DeEscalation)
		}
	}
}

func TestBareTranscript(t *testing.T) {
	g, _ := newGrader(t)
	tests := []struct {
		name  string
		tr    scenarios.Transcript
		check func(t *testing.T, gr grading.Grade)
	}{
		{
			name: "no agent turn: every score null, turns empty",
			tr:   scenarios.Transcript{ID: "c1", Messages: []scenarios.Message{{Role: "customer", Text: "Hello? My order never came!!"}}},
			check: func(t *testing.T, gr grading.Grade) {
				if gr.Scores != (grading.Scores{}) || gr.KPIs.FirstResponseS != nil || gr.KPIs.CES != nil {
					t.Errorf("scores %+v kpis %+v, want nulls", gr.Scores, gr.KPIs)
				}
				if gr.Turns == nil || len(gr.Turns) != 0 {
					t.Errorf("turns = %#v, want an empty list", gr.Turns)
				}
			},
		},
		{
			name: "no timestamps: timing null, empathy and de-escalation present, resolution null without a scenario",
			tr: scenarios.Transcript{ID: "c2", Messages: []scenarios.Message{
				{Role: "customer", Text: "This is RIDICULOUS. I was charged twice and I'm cancelling!"},
				{Role: "agent", Text: "I'm so sorry about the double charge. I've refunded it and you'll see it within 3 days."},
				{Role: "customer", Text: "OK, thanks."},
			}},
			check: func(t *testing.T, gr grading.Grade) {
				if gr.Scores.Timing != nil || gr.Scores.Resolution != nil || gr.Scores.Empathy == nil || gr.Scores.DeEscalation == nil || gr.Scores.Overall == nil {
					t.Errorf("scores %+v", gr.Scores)
				}
				if gr.MoodSource != grading.MoodEstimated || gr.KPIs.CSAT == nil {
					t.Errorf("mood source %s csat %v", gr.MoodSource, gr.KPIs.CSAT)
				}
				if gr.Turns[0].Scores.Timing != nil {
					t.Errorf("turn timing %v, want null", *gr.Turns[0].Scores.Timing)
				}
			},
		},
		{
			name: "a reply with nothing after it is still judged against the message before it",
			tr: scenarios.Transcript{ID: "c3", Messages: []scenarios.Message{
				{Role: "customer", Text: "I'm really worried, my account was hacked.", At: scenarios.At(t0)},
				{Role: "agent", Text: "Calm down, it's not a big deal.", At: scenarios.At(t0.Add(30 * time.Second))},
			}},
			check: func(t *testing.T, gr grading.Grade) {
				if gr.Scores.Empathy == nil || *gr.Scores.Empathy > 20 || gr.Scores.DeEscalation == nil || *gr.Scores.DeEscalation > 40 {
					t.Errorf("a dismissive reply to a worried customer: %+v", gr.Scores)
				}
				if gr.KPIs.FirstResponseS == nil || *gr.KPIs.FirstResponseS != 30 {
					t.Errorf("first response %v, want 30", gr.KPIs.FirstResponseS)
				}
			},
		},
		{
			name: "a known scenario's issues are replayed from the moves",
			tr: scenarios.Transcript{ID: "c4", Scenario: "double-charge", Messages: []scenarios.Message{
				{Role: "customer", Text: "Charged twice. Fix it.", At: scenarios.At(t0)},
				{Role: "agent", Text: "Could you confirm the email on the account?", At: scenarios.At(t0.Add(20 * time.Second))},
				{Role: "customer", Text: "dana@example.com", At: scenarios.At(t0.Add(40 * time.Second))},
				{Role: "agent", Text: "I've refunded the duplicate charge; you'll see it within 3 working days.", At: scenarios.At(t0.Add(70 * time.Second))},
			}},
			check: func(t *testing.T, gr grading.Grade) {
				if gr.Scores.Resolution == nil || *gr.Scores.Resolution != 100 {
					t.Errorf("resolution %v, want 100", gr.Scores.Resolution)
				}
				if diff := cmp.Diff([]string{"refund"}, gr.Resolved); diff != "" {
					t.Errorf("resolved (-want +got):\n%s", diff)
				}
				if gr.KPIs.ResolutionS == nil || *gr.KPIs.ResolutionS != 70 {
					t.Errorf("resolution time %v, want 70", gr.KPIs.ResolutionS)
				}
				if gr.KPIs.AvgResponseS == nil || *gr.KPIs.AvgResponseS != 25 {
					t.Errorf("average response %v, want 25", gr.KPIs.AvgResponseS)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gr, err := g.Grade(context.Background(), tt.tr)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, gr)
			b, _ := json.Marshal(gr)
			if strings.Contains(string(b), `"turns":null`) || strings.Contains(string(b), `"resolved":null`) || strings.Contains(string(b), `"moves":null`) {
				t.Errorf("a list is null: %s", b)
			}
		})
	}
}
