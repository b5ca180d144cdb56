package grading_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"chatdojo/grading"
	"chatdojo/scenarios"
)

// readinessCatalog is a small scenario catalog whose scenarios each satisfy one
// coverage criterion, or none.
func readinessCatalog(tb testing.TB) *scenarios.Catalog {
	tb.Helper()
	mk := func(id string, difficulty int, traits []string, issues ...string) *scenarios.Scenario {
		sc := &scenarios.Scenario{ID: id, Difficulty: difficulty, Persona: scenarios.Persona{Traits: traits, Mood: 50, Patience: scenarios.DefaultPatience}}
		for _, is := range issues {
			sc.Issues = append(sc.Issues, scenarios.Issue{ID: is})
		}
		return sc
	}
	cat, err := scenarios.NewCatalog([]*scenarios.Scenario{
		mk("angry-one", 3, []string{"angry"}, "refund"),
		mk("frustrated-one", 4, []string{"frustrated", "impatient"}, "refund"),
		mk("polite-multi", 2, []string{"polite"}, "cancel", "refund"),
		mk("calm-a", 1, []string{"polite"}, "setup"),
		mk("calm-b", 1, []string{"confused"}, "access"),
		mk("anxious-multi", 3, []string{"anxious"}, "secure", "access", "card"),
	})
	if err != nil {
		tb.Fatal(err)
	}
	return cat
}

func rdInt(n int) *int { return &n }

func rdFloat(f float64) *float64 { return &f }

// rdSession is a graded session with every skill at the same score.
func rdSession(user, id, scenario string, day, score int) grading.Grade {
	s := rdInt(score)
	return grading.Grade{
		ID:        id,
		User:      user,
		Scenario:  scenario,
		StartedAt: scenarios.At(time.Date(2026, 2, day, 10, 0, 0, 0, time.UTC)),
		Judge:     "rules",
		Scores:    grading.Scores{Empathy: s, DeEscalation: s, Timing: s, Resolution: s, Overall: s},
		KPIs:      grading.KPIs{FirstResponseS: rdFloat(30), AvgResponseS: rdFloat(60), ResolutionS: rdFloat(300), CSAT: rdInt(4), CES: rdInt(2)},
		Turns:     []grading.Turn{},
		Resolved:  []string{},
	}
}

// rdSessions makes one session a day for user on the given scenarios, all scoring score.
func rdSessions(user string, score int, scenarioIDs ...string) []grading.Grade {
	var out []grading.Grade
	for i, sc := range scenarioIDs {
		out = append(out, rdSession(user, user+"-"+string(rune('a'+i)), sc, i+1, score))
	}
	return out
}

func buildReadiness(tb testing.TB, grades []grading.Grade, cat *scenarios.Catalog, cfg grading.ReadinessConfig) grading.ReadinessReport {
	tb.Helper()
	rep, err := grading.BuildReadiness(context.Background(), slices.Values(grades), cat, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return rep
}

// verdictView is what the verdict table compares: the verdict, every criterion's status
// and the unchecked criteria.
type verdictView struct {
	Verdict   grading.Verdict
	Criteria  map[string]grading.CriterionStatus
	Unchecked []string
}

func TestReadinessVerdict(t *testing.T) {
	const (
		met       = grading.CriterionMet
		notMet    = grading.CriterionNotMet
		unchecked = grading.CriterionUnchecked
	)
	allMet := func(over map[string]grading.CriterionStatus) map[string]grading.CriterionStatus {
		m := map[string]grading.CriterionStatus{
			"sessions": met, "empathy": met, "de_escalation": met, "timing": met, "resolution": met,
			"distinct_scenarios": met, "frustrated_scenario": met, "multi_issue_scenario": met,
		}
		for k, v := range over {
			m[k] = v
		}
		return m
	}
	ready := rdSessions("u", 80, "calm-a", "angry-one", "polite-multi", "calm-b", "calm-a")
	cases := []struct {
		name   string
		grades []grading.Grade
		cfg    func(*grading.ReadinessConfig)
		noCat  bool
		want   verdictView
		reason string // one reason the verdict must give, word for word
	}{
		{
			name:   "ready",
			grades: ready,
			want:   verdictView{Verdict: grading.VerdictReady, Criteria: allMet(nil), Unchecked: []string{}},
			reason: `The latest 5 sessions include a frustrated or angry customer: "angry-one".`,
		},
		{
			name: "a skill below threshold",
			grades: func() []grading.Grade {
				g := rdSessions("u", 80, "calm-a", "angry-one", "polite-multi", "calm-b", "calm-a")
				for i := range g {
					g[i].Scores.DeEscalation = rdInt(60 + i) // mean 62
				}
				return g
			}(),
			want:   verdictView{Verdict: grading.VerdictNotReady, Criteria: allMet(map[string]grading.CriterionStatus{"de_escalation": notMet}), Unchecked: []string{}},
			reason: "De-escalation averages 62.0 over the latest 5 sessions, 8.0 below its threshold of 70.",
		},
		{
			name:   "exactly at the threshold is enough",
			grades: rdSessions("u", 70, "calm-a", "angry-one", "polite-multi", "calm-b", "calm-a"),
			want:   verdictView{Verdict: grading.VerdictReady, Criteria: allMet(nil), Unchecked: []string{}},
		},
		{
			name:   "a lower threshold",
			grades: rdSessions("u", 55, "calm-a", "angry-one", "polite-multi", "calm-b", "calm-a"),
			cfg: func(c *grading.ReadinessConfig) {
				for _, s := range grading.Skills() {
					c.Thresholds[s] = 50
				}
			},
			want: verdictView{Verdict: grading.VerdictReady, Criteria: allMet(nil), Unchecked: []string{}},
		},
		{
			name:   "too few distinct scenarios",
			grades: rdSessions("u", 80, "angry-one", "polite-multi", "angry-one", "polite-multi", "angry-one"),
			want:   verdictView{Verdict: grading.VerdictNotReady, Criteria: allMet(map[string]grading.CriterionStatus{"distinct_scenarios": notMet}), Unchecked: []string{}},
			reason: `The latest 5 sessions cover only 2 distinct scenarios ("angry-one" and "polite-multi"); at least 3 are needed.`,
		},
		{
			name:   "no frustrated scenario",
			grades: rdSessions("u", 80, "calm-a", "calm-b", "polite-multi", "anxious-multi", "calm-a"),
			want:   verdictView{Verdict: grading.VerdictNotReady, Criteria: allMet(map[string]grading.CriterionStatus{"frustrated_scenario": notMet}), Unchecked: []string{}},
			reason: `None of the latest 5 sessions has a frustrated or angry customer; practise one such as "angry-one" or "frustrated-one".`,
		},
		{
			name:   "no frustrated scenario, not required",
			grades: rdSessions("u", 80, "calm-a", "calm-b", "polite-multi", "anxious-multi", "calm-a"),
			cfg:    func(c *grading.ReadinessConfig) { c.RequireFrustrated = false },
			want: verdictView{Verdict: grading.VerdictReady, Criteria: func() map[string]grading.CriterionStatus {
				m := allMet(nil)
				delete(m, "frustrated_scenario")
				return m
			}(), Unchecked: []string{}},
		},
		{
			name:   "no multi-issue scenario",
			grades: rdSessions("u", 80, "calm-a", "calm-b", "angry-one", "frustrated-one", "calm-a"),
			want:   verdictView{Verdict: grading.VerdictNotReady, Criteria: allMet(map[string]grading.CriterionStatus{"multi_issue_scenario": notMet}), Unchecked: []string{}},
			reason: `None of the latest 5 sessions is on a scenario with 2 or more issues; practise one such as "polite-multi" or "anxious-multi".`,
		},
		{
			name:   "unknown scenarios leave the coverage unchecked",
			grades: rdSessions("u", 80, "calm-a", "calm-b", "mystery", "calm-a", "calm-b"),
			want: verdictView{Verdict: grading.VerdictNotReady, Criteria: allMet(map[string]grading.CriterionStatus{
				"frustrated_scenario": unchecked, "multi_issue_scenario": unchecked,
			}), Unchecked: []string{"frustrated_scenario", "multi_issue_scenario"}},
			reason: `Whether the latest 5 sessions include a frustrated or angry customer could not be checked: scenario "mystery" is not in the scenario library.`,
		},
		{
			name:   "an unknown scenario does not matter when a known one meets the criterion",
			grades: rdSessions("u", 80, "calm-a", "angry-one", "mystery", "polite-multi", "calm-b"),
			want:   verdictView{Verdict: grading.VerdictReady, Criteria: allMet(nil), Unchecked: []string{}},
		},
		{
			name:   "sessions without a scenario leave distinct scenarios unchecked",
			grades: rdSessions("u", 80, "angry-one", "polite-multi", "", "", "angry-one"),
			want: verdictView{Verdict: grading.VerdictNotReady, Criteria: allMet(map[string]grading.CriterionStatus{
				"distinct_scenarios": unchecked,
			}), Unchecked: []string{"distinct_scenarios"}},
			reason: "Distinct scenarios could not be checked: 2 sessions name no scenario, and the others cover 2 (at least 3 needed).",
		},
		{
			name:   "no catalog",
			grades: ready,
			noCat:  true,
			want: verdictView{Verdict: grading.VerdictNotReady, Criteria: allMet(map[string]grading.CriterionStatus{
				"frustrated_scenario": unchecked, "multi_issue_scenario": unchecked,
			}), Unchecked: []string{"frustrated_scenario", "multi_issue_scenario"}},
		},
		{
			name:   "fewer than 5 sessions",
			grades: rdSessions("u", 90, "angry-one", "polite-multi", "calm-a"),
			want:   verdictView{Verdict: grading.VerdictNotReady, Criteria: allMet(map[string]grading.CriterionStatus{"sessions": notMet}), Unchecked: []string{}},
			reason: "Only 3 sessions graded; the verdict needs the latest 5.",
		},
		{
			name:   "a smaller window",
			grades: rdSessions("u", 90, "angry-one", "polite-multi", "calm-a"),
			cfg:    func(c *grading.ReadinessConfig) { c.Window = 3 },
			want:   verdictView{Verdict: grading.VerdictReady, Criteria: allMet(nil), Unchecked: []string{}},
		},
		{
			name: "only the latest 5 sessions count",
			grades: append(rdSessions("u", 80, "calm-a", "angry-one", "polite-multi", "calm-b", "calm-a"),
				// Older and worse, on a day before the others: outside the window.
				rdSession("u", "old-1", "calm-a", 0, 10), rdSession("u", "old-2", "calm-a", 0, 10)),
			want: verdictView{Verdict: grading.VerdictReady, Criteria: allMet(nil), Unchecked: []string{}},
		},
		{
			name: "nil scores are left out of the mean",
			grades: func() []grading.Grade {
				g := rdSessions("u", 80, "calm-a", "angry-one", "polite-multi", "calm-b", "calm-a")
				g[0].Scores.Resolution = nil
				g[1].Scores.Resolution = rdInt(40) // with 80, 80, 80: mean 70
				return g
			}(),
			want:   verdictView{Verdict: grading.VerdictReady, Criteria: allMet(nil), Unchecked: []string{}},
			reason: "Resolution averages 70.0 over the latest 5 sessions (4 of 5 scored), at or above its threshold of 70.",
		},
		{
			name: "a skill with no score at all is unchecked",
			grades: func() []grading.Grade {
				g := rdSessions("u", 80, "calm-a", "angry-one", "polite-multi", "calm-b", "calm-a")
				for i := range g {
					g[i].Scores.Timing = nil
				}
				return g
			}(),
			want:   verdictView{Verdict: grading.VerdictNotReady, Criteria: allMet(map[string]grading.CriterionStatus{"timing": unchecked}), Unchecked: []string{"timing"}},
			reason: "Timing could not be checked: none of the latest 5 sessions has a timing score.",
		},
		{
			name:   "a single session",
			grades: []grading.Grade{rdSession("u", "only", "calm-a", 1, 80)},
			cfg:    func(c *grading.ReadinessConfig) { c.Window = 1; c.MinScenarios = 1 },
			want: verdictView{Verdict: grading.VerdictNotReady, Criteria: allMet(map[string]grading.CriterionStatus{
				"frustrated_scenario": notMet, "multi_issue_scenario": notMet,
			}), Unchecked: []string{}},
			reason: `The only session does not have a frustrated or angry customer; practise one such as "angry-one" or "frustrated-one".`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := grading.DefaultReadinessConfig()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			cat := readinessCatalog(t)
			if tc.noCat {
				cat = nil
			}
			rep := buildReadiness(t, tc.grades, cat, cfg)
			if len(rep.Users) != 1 {
				t.Fatalf("got %d users, want 1", len(rep.Users))
			}
			u := rep.Users[0]
			got := verdictView{Verdict: u.Verdict, Criteria: map[string]grading.CriterionStatus{}, Unchecked: u.Unchecked}
			for _, c := range u.Criteria {
				got.Criteria[c.Name] = c.Status
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("verdict (-want +got):\n%s\nreasons:\n%s", diff, strings.Join(u.Reasons, "\n"))
			}
			if tc.reason != "" && !slices.Contains(u.Reasons, tc.reason) {
				t.Errorf("reasons lack %q:\n%s", tc.reason, strings.Join(u.Reasons, "\n"))
			}
			if len(u.Reasons) == 0 {
				t.Error("a verdict without reasons")
			}
			// Reasons are the met criteria when ready, else exactly the others.
			var want []string
			for _, c := range u.Criteria {
				if (c.Status == grading.CriterionMet) == (u.Verdict == grading.VerdictReady) {
					want = append(want, c.Detail)
				}
			}
			slices.Sort(want)
			reasons := slices.Sorted(slices.Values(u.Reasons))
			if diff := cmp.Diff(want, reasons); diff != "" {
				t.Errorf("reasons are not the criteria behind the verdict (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadinessTrend(t *testing.T) {
	cases := []struct {
		name      string
		empathy   []int // oldest first
		window    int
		wantLevel *float64
		wantTrend *float64
		wantDir   grading.Direction
	}{
		{"no earlier window", []int{60, 70, 80}, 5, rdFloat(70), nil, grading.DirectionUnknown},
		{"up", []int{50, 60, 70, 80}, 2, rdFloat(75), rdFloat(20), grading.DirectionUp},
		{"down", []int{80, 80, 60, 70}, 2, rdFloat(65), rdFloat(-15), grading.DirectionDown},
		{"steady within the band", []int{70, 71, 71, 71}, 2, rdFloat(71), rdFloat(0.5), grading.DirectionSteady},
		{"a short earlier window", []int{40, 70, 70}, 2, rdFloat(70), rdFloat(30), grading.DirectionUp},
		{"only the window before counts", []int{0, 0, 60, 60, 70, 70}, 2, rdFloat(70), rdFloat(10), grading.DirectionUp},
		{"one decimal", []int{70, 71, 72}, 3, rdFloat(71), nil, grading.DirectionUnknown},
		{"rounded mean", []int{70, 70, 71}, 3, rdFloat(70.3), nil, grading.DirectionUnknown},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var grades []grading.Grade
			for i, e := range tc.empathy {
				g := rdSession("u", string(rune('a'+i)), "calm-a", i+1, 80)
				g.Scores.Empathy = rdInt(e)
				grades = append(grades, g)
			}
			cfg := grading.DefaultReadinessConfig()
			cfg.Window = tc.window
			u := buildReadiness(t, grades, readinessCatalog(t), cfg).Users[0]
			got := u.Skills[0]
			if got.Skill != grading.SkillEmpathy {
				t.Fatalf("first skill %s, want empathy", got.Skill)
			}
			want := grading.LevelTrend{Level: tc.wantLevel, Scored: min(tc.window, len(tc.empathy)), Trend: tc.wantTrend, Direction: tc.wantDir}
			if diff := cmp.Diff(want, got.LevelTrend); diff != "" {
				t.Errorf("empathy (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadinessCSAT(t *testing.T) {
	cases := []struct {
		name   string
		csat   []*int
		want   *float64
		good   int
		rating string
	}{
		{"all good", []*int{rdInt(4), rdInt(5), rdInt(4), rdInt(5), rdInt(5)}, rdFloat(100), 5, "exceptional"},
		{"four of five", []*int{rdInt(4), rdInt(5), rdInt(3), rdInt(5), rdInt(5)}, rdFloat(80), 4, "good"},
		{"below target", []*int{rdInt(1), rdInt(2), rdInt(3), rdInt(4), rdInt(5)}, rdFloat(40), 2, "below_target"},
		{"unrated sessions are left out", []*int{nil, rdInt(5), nil, rdInt(3), rdInt(4)}, rdFloat(66.7), 2, "below_target"},
		{"nothing rated", []*int{nil, nil}, nil, 0, "unrated"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var grades []grading.Grade
			rated := 0
			for i, c := range tc.csat {
				g := rdSession("u", string(rune('a'+i)), "calm-a", i+1, 80)
				g.KPIs.CSAT = c
				if c != nil {
					rated++
				}
				grades = append(grades, g)
			}
			got := buildReadiness(t, grades, nil, grading.DefaultReadinessConfig()).Users[0].CSAT
			want := grading.CSATSummary{Rated: rated, Good: tc.good, Percent: tc.want, GoodTarget: 80, ExceptionalTarget: 90, Rating: tc.rating}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("CSAT (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadinessKPIs(t *testing.T) {
	grades := rdSessions("u", 80, "calm-a", "calm-b")
	grades[0].KPIs = grading.KPIs{FirstResponseS: rdFloat(50), AvgResponseS: rdFloat(100), CES: rdInt(3)}
	grades[1].KPIs = grading.KPIs{FirstResponseS: rdFloat(80), AvgResponseS: rdFloat(110), CES: rdInt(2)}
	got := buildReadiness(t, grades, nil, grading.DefaultReadinessConfig()).Users[0].KPIs
	yes, no := true, false
	want := []grading.KPILevel{
		{KPI: "first_response_s", Value: rdFloat(65), Measured: 2, Target: rdFloat(60), Meets: &no},
		{KPI: "avg_response_s", Value: rdFloat(105), Measured: 2, Target: rdFloat(120), Meets: &yes},
		{KPI: "resolution_s", Value: nil, Measured: 0, Target: nil, Meets: nil},
		{KPI: "ces", Value: rdFloat(2.5), Measured: 2, Target: rdFloat(2), Meets: &no},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("KPIs (-want +got):\n%s", diff)
	}
}

func TestReadinessStrengthsAndPractice(t *testing.T) {
	grades := rdSessions("u", 80, "calm-a", "angry-one", "polite-multi", "frustrated-one", "calm-b")
	for i := range grades {
		grades[i].Scores.Empathy = rdInt(90)
		grades[i].Scores.Timing = rdInt(75)
		grades[i].Scores.DeEscalation = rdInt(50)
	}
	// A high de-escalation score on angry-one: passed, so it is not suggested again.
	grades[1].Scores.DeEscalation = rdInt(95)
	u := buildReadiness(t, grades, readinessCatalog(t), grading.DefaultReadinessConfig()).Users[0]
	if diff := cmp.Diff([]grading.Skill{grading.SkillEmpathy, grading.SkillResolution, grading.SkillTiming}, u.Strengths); diff != "" {
		t.Errorf("strengths (-want +got):\n%s", diff)
	}
	want := &grading.WeakestSkill{Skill: grading.SkillDeEscalation, Level: 59, Threshold: 70, Practice: []string{"frustrated-one"}}
	if diff := cmp.Diff(want, u.Weakest); diff != "" {
		t.Errorf("weakest (-want +got):\n%s", diff)
	}
}

func TestReadinessPracticeRanking(t *testing.T) {
	cases := []struct {
		skill grading.Skill
		want  []string
	}{
		// Each has one trait that needs empathy: the easiest first, then by id; the
		// practised calm-a never qualifies.
		{grading.SkillEmpathy, []string{"angry-one", "anxious-multi", "frustrated-one"}},
		{grading.SkillDeEscalation, []string{"frustrated-one", "angry-one"}},
		{grading.SkillTiming, []string{"frustrated-one"}},
		{grading.SkillResolution, []string{"anxious-multi", "polite-multi"}},
	}
	for _, tc := range cases {
		t.Run(string(tc.skill), func(t *testing.T) {
			g := rdSession("u", "s1", "calm-a", 1, 90)
			switch tc.skill {
			case grading.SkillEmpathy:
				g.Scores.Empathy = rdInt(10)
			case grading.SkillDeEscalation:
				g.Scores.DeEscalation = rdInt(10)
			case grading.SkillTiming:
				g.Scores.Timing = rdInt(10)
			case grading.SkillResolution:
				g.Scores.Resolution = rdInt(10)
			}
			u := buildReadiness(t, []grading.Grade{g}, readinessCatalog(t), grading.DefaultReadinessConfig()).Users[0]
			if u.Weakest == nil || u.Weakest.Skill != tc.skill {
				t.Fatalf("weakest %+v, want %s", u.Weakest, tc.skill)
			}
			if diff := cmp.Diff(tc.want, u.Weakest.Practice); diff != "" {
				t.Errorf("practice (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadinessOrderAndUsers(t *testing.T) {
	late := rdSession("bo", "z-late", "calm-a", 9, 80)
	early := rdSession("bo", "y-early", "calm-a", 2, 80)
	noTime := rdSession("bo", "x-none", "calm-a", 1, 80)
	noTime.StartedAt = scenarios.Time{}
	// Same start: by id.
	tieB := rdSession("bo", "t-b", "calm-a", 5, 80)
	tieA := rdSession("bo", "t-a", "calm-a", 5, 80)
	// A regrade of y-early: counts once, the later line wins.
	regrade := early
	regrade.Scores.Overall = rdInt(99)
	anon := rdSession("", "anon", "calm-a", 3, 50)
	al := rdSession("al", "al-1", "calm-a", 3, 50)
	rep := buildReadiness(t, []grading.Grade{late, anon, early, tieB, noTime, al, tieA, regrade}, nil, grading.DefaultReadinessConfig())
	var users []string
	for _, u := range rep.Users {
		users = append(users, u.User)
	}
	if diff := cmp.Diff([]string{"al", "bo", "(unknown)"}, users); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
	var ids []string
	for _, s := range rep.Users[1].Sessions {
		ids = append(ids, s.ID)
	}
	if diff := cmp.Diff([]string{"x-none", "y-early", "t-a", "t-b", "z-late"}, ids); diff != "" {
		t.Errorf("session order (-want +got):\n%s", diff)
	}
	if got := rep.Users[1].Sessions[1].Overall; got == nil || *got != 99 {
		t.Errorf("the regrade did not win: overall %v", got)
	}

	cfg := grading.DefaultReadinessConfig()
	cfg.Users = []string{"nobody", "bo", "(unknown)"}
	rep = buildReadiness(t, []grading.Grade{late, anon, al}, nil, cfg)
	users = nil
	for _, u := range rep.Users {
		users = append(users, u.User)
	}
	if diff := cmp.Diff(cfg.Users, users); diff != "" {
		t.Errorf("filtered users (-want +got):\n%s", diff)
	}
	nobody := rep.Users[0]
	if nobody.Verdict != grading.VerdictNotReady || nobody.Graded != 0 || nobody.Weakest != nil || len(nobody.Sessions) != 0 {
		t.Errorf("a person without sessions: %+v", nobody)
	}
	if !slices.Contains(nobody.Reasons, "No graded sessions; the verdict needs 5 sessions.") {
		t.Errorf("reasons: %q", nobody.Reasons)
	}
}

func TestReadinessConfigValidate(t *testing.T) {
	cases := []struct {
		name string
		edit func(*grading.ReadinessConfig)
	}{
		{"threshold above 100", func(c *grading.ReadinessConfig) { c.Thresholds[grading.SkillTiming] = 101 }},
		{"unknown skill", func(c *grading.ReadinessConfig) { c.Thresholds["charm"] = 50 }},
		{"window 0", func(c *grading.ReadinessConfig) { c.Window = 0 }},
		{"negative scenarios", func(c *grading.ReadinessConfig) { c.MinScenarios = -1 }},
		{"no frustrated traits", func(c *grading.ReadinessConfig) { c.FrustratedTraits = nil }},
		{"exceptional below good", func(c *grading.ReadinessConfig) { c.CSATExceptional = 70 }},
		{"CES out of range", func(c *grading.ReadinessConfig) { c.CESTarget = 6 }},
		{"zero response target", func(c *grading.ReadinessConfig) { c.FirstResponseTarget = 0 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := grading.DefaultReadinessConfig()
			tc.edit(&cfg)
			_, err := grading.BuildReadiness(context.Background(), slices.Values([]grading.Grade{}), nil, cfg)
			if scenarios.ErrorCode(err) != scenarios.EINVALID {
				t.Errorf("error %v, want an EINVALID error", err)
			}
		})
	}
	if err := grading.DefaultReadinessConfig().Validate(); err != nil {
		t.Errorf("the defaults are invalid: %v", err)
	}
}

func TestReadinessCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := grading.BuildReadiness(ctx, slices.Values(rdSessions("u", 80, "calm-a")), nil, grading.DefaultReadinessConfig())
	if err != context.Canceled {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

// readGradedFile reads a JSON Lines file of grades.
func readGradedFile(tb testing.TB, path string) []grading.Grade {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []grading.Grade
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		var g grading.Grade
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			tb.Fatalf("%s:%d: %v", path, n, err)
		}
		out = append(out, g)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}
