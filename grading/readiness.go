package grading

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"
	"time"

	"chatdojo/scenarios"
)

// Skill is one of the four session skills a readiness report levels. Its value is the
// field name of Scores in JSON.
type Skill string

// The skills, in report order.
const (
	SkillEmpathy      Skill = "empathy"
	SkillDeEscalation Skill = "de_escalation"
	SkillTiming       Skill = "timing"
	SkillResolution   Skill = "resolution"
)

// Skills returns the four skills in report order.
func Skills() []Skill {
	return []Skill{SkillEmpathy, SkillDeEscalation, SkillTiming, SkillResolution}
}

// Label is the skill's name for people: "de-escalation".
func (s Skill) Label() string {
	return strings.ReplaceAll(string(s), "_", "-")
}

// score picks the skill's session score out of a grade's scores.
func (s Skill) score(sc Scores) *int {
	switch s {
	case SkillEmpathy:
		return sc.Empathy
	case SkillDeEscalation:
		return sc.DeEscalation
	case SkillTiming:
		return sc.Timing
	case SkillResolution:
		return sc.Resolution
	}
	return nil
}

// Defaults of ReadinessConfig. The skill threshold and the coverage rule come from the
// readiness issue; the KPI and CSAT targets from PRODUCT.md ("Skills and KPIs").
const (
	DefaultSkillThreshold    = 70
	DefaultReadinessWindow   = 5
	DefaultMinScenarios      = 3
	DefaultMinIssues         = 2
	DefaultCSATGood          = 80.0
	DefaultCSATExceptional   = 90.0
	DefaultCESTarget         = 2.0
	DefaultTrendSteady       = 2.0
	DefaultPracticeScenarios = 3
	// UnknownUser is how a report names the sessions of a grade without a user.
	UnknownUser = "(unknown)"
)

// ReadinessConfig holds every threshold of a readiness report. Start from
// DefaultReadinessConfig and change what differs; BuildReadiness rejects values out of
// range with an EINVALID error.
type ReadinessConfig struct {
	// Thresholds is the level, 0–100, each skill must average over the window. A skill
	// missing from the map uses DefaultSkillThreshold.
	Thresholds map[Skill]int
	// Window is how many of a person's latest sessions the verdict looks at; the window
	// before it gives the trend. It is also the number of sessions a person needs.
	Window int
	// MinScenarios is how many distinct scenarios the window must cover; 0 turns the
	// criterion off.
	MinScenarios int
	// RequireFrustrated asks for a window session whose customer has one of
	// FrustratedTraits.
	RequireFrustrated bool
	// FrustratedTraits are the persona traits that make a customer frustrated.
	FrustratedTraits []string
	// RequireMultiIssue asks for a window session whose scenario has at least MinIssues
	// issues.
	RequireMultiIssue bool
	MinIssues         int
	// CSATGood and CSATExceptional are the targets, in percent, for the share of
	// sessions rated 4–5.
	CSATGood        float64
	CSATExceptional float64
	// FirstResponseTarget and AvgResponseTarget are the acceptable response times.
	FirstResponseTarget time.Duration
	AvgResponseTarget   time.Duration
	// CESTarget is the highest acceptable average customer effort, 1–5.
	CESTarget float64
	// TrendSteady is the change, in points, below which a trend counts as steady.
	TrendSteady float64
	// Practice is how many scenarios the report suggests for the weakest skill.
	Practice int
	// Users, when set, are the people the report covers, in this order, including
	// those without a session; otherwise it covers everyone in the input by name. An
	// empty user is named UnknownUser.
	Users []string
}

// DefaultReadinessConfig returns the documented defaults (docs/readiness.md).
func DefaultReadinessConfig() ReadinessConfig {
	th := map[Skill]int{}
	for _, s := range Skills() {
		th[s] = DefaultSkillThreshold
	}
	return ReadinessConfig{
		Thresholds:          th,
		Window:              DefaultReadinessWindow,
		MinScenarios:        DefaultMinScenarios,
		RequireFrustrated:   true,
		FrustratedTraits:    []string{"frustrated", "angry"},
		RequireMultiIssue:   true,
		MinIssues:           DefaultMinIssues,
		CSATGood:            DefaultCSATGood,
		CSATExceptional:     DefaultCSATExceptional,
		FirstResponseTarget: scenarios.DefaultFirstResponse,
		AvgResponseTarget:   scenarios.DefaultReply,
		CESTarget:           DefaultCESTarget,
		TrendSteady:         DefaultTrendSteady,
		Practice:            DefaultPracticeScenarios,
	}
}

// Threshold returns the threshold of skill s.
func (c ReadinessConfig) Threshold(s Skill) int {
	if n, ok := c.Thresholds[s]; ok {
		return n
	}
	return DefaultSkillThreshold
}

// Validate reports the first setting out of range as an EINVALID error.
func (c ReadinessConfig) Validate() error {
	for _, s := range Skills() {
		if n := c.Threshold(s); n < 0 || n > 100 {
			return scenarios.Errorf(scenarios.EINVALID, "the %s threshold %d is out of range, expected 0..100", s.Label(), n)
		}
	}
	for s := range c.Thresholds {
		if !slices.Contains(Skills(), s) {
			return scenarios.Errorf(scenarios.EINVALID, "unknown skill %q, expected empathy, de_escalation, timing or resolution", string(s))
		}
	}
	switch {
	case c.Window < 1:
		return scenarios.Errorf(scenarios.EINVALID, "the window %d is too small, expected 1 or more sessions", c.Window)
	case c.MinScenarios < 0:
		return scenarios.Errorf(scenarios.EINVALID, "the minimum of distinct scenarios %d is negative, expected 0 or more", c.MinScenarios)
	case c.RequireFrustrated && len(c.FrustratedTraits) == 0:
		return scenarios.Errorf(scenarios.EINVALID, "a frustrated scenario is required but no frustrated traits are set, expected e.g. frustrated, angry")
	case c.MinIssues < 1:
		return scenarios.Errorf(scenarios.EINVALID, "the minimum of issues %d is too small, expected 1 or more", c.MinIssues)
	case c.CSATGood < 0 || c.CSATGood > 100 || c.CSATExceptional < 0 || c.CSATExceptional > 100:
		return scenarios.Errorf(scenarios.EINVALID, "the CSAT targets %g %% and %g %% are out of range, expected 0..100", c.CSATGood, c.CSATExceptional)
	case c.CSATExceptional < c.CSATGood:
		return scenarios.Errorf(scenarios.EINVALID, "the exceptional CSAT target %g %% is below the good one %g %%, expected it at or above", c.CSATExceptional, c.CSATGood)
	case c.FirstResponseTarget <= 0 || c.AvgResponseTarget <= 0:
		return scenarios.Errorf(scenarios.EINVALID, "the response-time targets %s and %s must be positive", c.FirstResponseTarget, c.AvgResponseTarget)
	case c.CESTarget < 1 || c.CESTarget > 5:
		return scenarios.Errorf(scenarios.EINVALID, "the CES target %g is out of range, expected 1..5", c.CESTarget)
	case c.TrendSteady < 0:
		return scenarios.Errorf(scenarios.EINVALID, "the steady-trend band %g is negative, expected 0 or more points", c.TrendSteady)
	case c.Practice < 0:
		return scenarios.Errorf(scenarios.EINVALID, "the number of scenarios to practise %d is negative", c.Practice)
	}
	return nil
}

// ReadinessReport is the readiness of every person in a set of graded sessions.
type ReadinessReport struct {
	// Window is how many latest sessions each verdict looks at.
	Window int         `json:"window"`
	Users  []Readiness `json:"users"`
}

// Verdict is a person's readiness: ready or not_ready. A criterion that cannot be
// checked makes the verdict not_ready; Readiness.Unchecked names it.
type Verdict string

// The verdicts.
const (
	VerdictReady    Verdict = "ready"
	VerdictNotReady Verdict = "not_ready"
)

// CriterionStatus says whether a readiness criterion holds.
type CriterionStatus string

// The statuses of a criterion.
const (
	CriterionMet       CriterionStatus = "met"
	CriterionNotMet    CriterionStatus = "not_met"
	CriterionUnchecked CriterionStatus = "unchecked"
)

// The names of the criteria besides the four skills (which are named by their Skill).
const (
	CriterionSessions          = "sessions"
	CriterionDistinctScenarios = "distinct_scenarios"
	CriterionFrustrated        = "frustrated_scenario"
	CriterionMultiIssue        = "multi_issue_scenario"
)

// Criterion is one condition of the verdict with the sentence that explains it.
type Criterion struct {
	Name   string          `json:"name"`
	Status CriterionStatus `json:"status"`
	Detail string          `json:"detail"`
}

// Direction is where a trend points.
type Direction string

// The directions of a trend; unknown when there is no earlier window to compare with.
const (
	DirectionUp      Direction = "up"
	DirectionDown    Direction = "down"
	DirectionSteady  Direction = "steady"
	DirectionUnknown Direction = "unknown"
)

// LevelTrend is a score's level over the window and its change from the window before.
type LevelTrend struct {
	// Level is the mean over the window's sessions that have the score, to one
	// decimal; nil when none has.
	Level *float64 `json:"level"`
	// Scored is how many of the window's sessions have the score.
	Scored int `json:"scored"`
	// Trend is Level minus the same mean over the window before; nil when either has
	// no score.
	Trend     *float64  `json:"trend"`
	Direction Direction `json:"direction"`
}

// SkillLevel is one skill's row in a readiness report.
type SkillLevel struct {
	Skill     Skill `json:"skill"`
	Threshold int   `json:"threshold"`
	LevelTrend
}

// WeakestSkill is the skill furthest below (or least above) its threshold and the
// scenarios that train it.
type WeakestSkill struct {
	Skill     Skill   `json:"skill"`
	Level     float64 `json:"level"`
	Threshold int     `json:"threshold"`
	// Practice are library scenario ids that train the skill, best first, leaving out
	// those the person already scored at or above the threshold on.
	Practice []string `json:"practice"`
}

// CSATSummary is the share of the window's sessions rated 4–5 by the customer.
type CSATSummary struct {
	Rated int `json:"rated"`
	Good  int `json:"good"`
	// Percent is Good over Rated, to one decimal; nil when nothing was rated.
	Percent           *float64 `json:"percent"`
	GoodTarget        float64  `json:"good_target"`
	ExceptionalTarget float64  `json:"exceptional_target"`
	// Rating is exceptional, good, below_target or unrated.
	Rating string `json:"rating"`
}

// The names of the KPIs in a report, as in the kpis object of a grade.
const (
	KPIFirstResponse = "first_response_s"
	KPIAvgResponse   = "avg_response_s"
	KPIResolution    = "resolution_s"
	KPICES           = "ces"
)

// KPILevel is one KPI's mean over the window against its target.
type KPILevel struct {
	KPI string `json:"kpi"`
	// Value is the mean, to one decimal; nil when no session has it.
	Value    *float64 `json:"value"`
	Measured int      `json:"measured"`
	// Target is the highest acceptable value; nil when PRODUCT.md sets none.
	Target *float64 `json:"target"`
	// Meets is nil when there is no value or no target.
	Meets *bool `json:"meets"`
}

// Coverage is which scenarios the window's sessions were on.
type Coverage struct {
	// Scenarios are the distinct scenario ids, sorted.
	Scenarios []string `json:"scenarios"`
	// Unknown are the ids the scenario catalog does not have, sorted.
	Unknown []string `json:"unknown"`
	// Unnamed counts the sessions that name no scenario.
	Unnamed int `json:"unnamed"`
	// Frustrated and MultiIssue are the ids that satisfy those criteria, sorted.
	Frustrated []string `json:"frustrated"`
	MultiIssue []string `json:"multi_issue"`
}

// ReadinessSession is one graded session of a person, for the session list and trend
// charts.
type ReadinessSession struct {
	ID        string         `json:"id"`
	Scenario  string         `json:"scenario"`
	StartedAt scenarios.Time `json:"started_at"`
	Overall   *int           `json:"overall"`
	// InWindow marks the sessions the verdict looks at.
	InWindow bool `json:"in_window"`
}

// Readiness is one person's readiness: the verdict with its reasons and the figures
// behind it.
type Readiness struct {
	User    string  `json:"user"`
	Verdict Verdict `json:"verdict"`
	// Reasons explain the verdict in sentences: every criterion when ready; the
	// criteria not met, then those not checked, when not.
	Reasons []string `json:"reasons"`
	// Unchecked names the criteria that could not be checked.
	Unchecked []string    `json:"unchecked"`
	Criteria  []Criterion `json:"criteria"`
	// Graded counts the person's sessions; Counted those in the window.
	Graded    int           `json:"graded"`
	Counted   int           `json:"counted"`
	Skills    []SkillLevel  `json:"skills"`
	Overall   LevelTrend    `json:"overall"`
	Strengths []Skill       `json:"strengths"`
	Weakest   *WeakestSkill `json:"weakest"`
	CSAT      CSATSummary   `json:"csat"`
	KPIs      []KPILevel    `json:"kpis"`
	Coverage  Coverage      `json:"coverage"`
	// Sessions are all the person's sessions, oldest first.
	Sessions []ReadinessSession `json:"sessions"`
}

// readinessEntry is what the report keeps of one grade: no turns, so memory grows with
// the number of sessions, not with their length.
type readinessEntry struct {
	ReadinessSession
	scores Scores
	kpis   KPIs
	seq    int
}

// readinessBuilder holds what every person's readiness is built with. Its methods keep
// the helpers of this file out of the package's namespace, which the grader shares.
type readinessBuilder struct {
	cat *scenarios.Catalog
	cfg ReadinessConfig
}

// BuildReadiness aggregates graded sessions into a readiness report. cat resolves the
// scenario a grade names (its traits and issues) and offers the scenarios to practise;
// it may be nil, and then every coverage criterion but the count of distinct scenarios
// is unchecked. Sessions are ordered by started_at (a grade without one is older than
// any with one), then id, then input order; a session id seen twice for the same person
// counts once, the later line winning (a regrade). Memory grows with the number of
// sessions, not their turns. It returns an EINVALID error for a bad cfg and ctx's error
// when ctx ends.
func BuildReadiness(ctx context.Context, grades iter.Seq[Grade], cat *scenarios.Catalog, cfg ReadinessConfig) (ReadinessReport, error) {
	if err := cfg.Validate(); err != nil {
		return ReadinessReport{}, err
	}
	b := readinessBuilder{cat: cat, cfg: cfg}
	byUser := map[string][]readinessEntry{}
	seen := map[[2]string]int{}
	seq := 0
	for g := range grades {
		if seq%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return ReadinessReport{}, err
			}
		}
		seq++
		user := cmp.Or(g.User, UnknownUser)
		e := readinessEntry{
			ReadinessSession: ReadinessSession{ID: g.ID, Scenario: g.Scenario, StartedAt: g.StartedAt, Overall: g.Scores.Overall},
			scores:           g.Scores,
			kpis:             g.KPIs,
			seq:              seq,
		}
		if g.ID != "" {
			key := [2]string{user, g.ID}
			if i, dup := seen[key]; dup {
				byUser[user][i] = e
				continue
			}
			seen[key] = len(byUser[user])
		}
		byUser[user] = append(byUser[user], e)
	}
	if err := ctx.Err(); err != nil {
		return ReadinessReport{}, err
	}
	users := cfg.Users
	if len(users) == 0 {
		for u := range byUser {
			users = append(users, u)
		}
		slices.SortFunc(users, func(a, b string) int {
			// The unknown user goes last.
			return cmp.Or(falseFirst(a == UnknownUser, b == UnknownUser), strings.Compare(a, b))
		})
	}
	rep := ReadinessReport{Window: cfg.Window, Users: []Readiness{}}
	done := map[string]bool{}
	for _, u := range users {
		u = cmp.Or(u, UnknownUser)
		if done[u] {
			continue
		}
		done[u] = true
		rep.Users = append(rep.Users, b.person(u, byUser[u]))
	}
	return rep, nil
}

// falseFirst orders false before true.
func falseFirst(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// person builds one person's readiness from their sessions.
func (b readinessBuilder) person(user string, list []readinessEntry) Readiness {
	cfg := b.cfg
	slices.SortStableFunc(list, func(x, y readinessEntry) int {
		return cmp.Or(x.StartedAt.Compare(y.StartedAt.Time), strings.Compare(x.ID, y.ID), cmp.Compare(x.seq, y.seq))
	})
	n := len(list)
	win := list[max(0, n-cfg.Window):]
	prev := list[max(0, n-2*cfg.Window):max(0, n-cfg.Window)]
	r := Readiness{
		User:      user,
		Reasons:   []string{},
		Unchecked: []string{},
		Graded:    n,
		Counted:   len(win),
		Skills:    []SkillLevel{},
		Sessions:  make([]ReadinessSession, 0, n),
	}
	for i, e := range list {
		s := e.ReadinessSession
		s.InWindow = i >= n-len(win)
		r.Sessions = append(r.Sessions, s)
	}
	for _, s := range Skills() {
		r.Skills = append(r.Skills, SkillLevel{
			Skill:      s,
			Threshold:  cfg.Threshold(s),
			LevelTrend: b.levelTrend(win, prev, func(e readinessEntry) *int { return s.score(e.scores) }),
		})
	}
	r.Overall = b.levelTrend(win, prev, func(e readinessEntry) *int { return e.scores.Overall })
	r.CSAT = b.csat(win)
	r.KPIs = b.kpis(win)
	r.Coverage = b.coverage(win)
	r.Criteria = b.criteria(&r, list)
	r.Verdict = VerdictReady
	if n == 0 {
		r.Verdict = VerdictNotReady
	}
	for _, c := range r.Criteria {
		if c.Status != CriterionMet {
			r.Verdict = VerdictNotReady
		}
		if c.Status == CriterionUnchecked {
			r.Unchecked = append(r.Unchecked, c.Name)
		}
	}
	for _, want := range []CriterionStatus{CriterionMet, CriterionNotMet, CriterionUnchecked} {
		if (want == CriterionMet) != (r.Verdict == VerdictReady) {
			continue
		}
		for _, c := range r.Criteria {
			if c.Status == want {
				r.Reasons = append(r.Reasons, c.Detail)
			}
		}
	}
	r.Strengths, r.Weakest = b.strengths(r.Skills, list)
	return r
}

// roundTenth rounds to one decimal, the precision reports show; verdicts compare the
// rounded level so that what is shown is what was judged.
func roundTenth(x float64) float64 {
	return math.Round(x*10) / 10
}

// mean is the mean of the values pick finds, to one decimal, and how many it found.
func (readinessBuilder) mean(list []readinessEntry, pick func(readinessEntry) *int) (*float64, int) {
	sum, k := 0, 0
	for _, e := range list {
		if v := pick(e); v != nil {
			sum += *v
			k++
		}
	}
	if k == 0 {
		return nil, 0
	}
	m := roundTenth(float64(sum) / float64(k))
	return &m, k
}

// levelTrend is the level over the window and its change from the window before, both
// from rounded means so that a report's figures add up.
func (b readinessBuilder) levelTrend(win, prev []readinessEntry, pick func(readinessEntry) *int) LevelTrend {
	lt := LevelTrend{Direction: DirectionUnknown}
	lt.Level, lt.Scored = b.mean(win, pick)
	before, _ := b.mean(prev, pick)
	if lt.Level == nil || before == nil {
		return lt
	}
	d := roundTenth(*lt.Level - *before)
	lt.Trend = &d
	switch {
	case d > 0 && d >= b.cfg.TrendSteady:
		lt.Direction = DirectionUp
	case d < 0 && -d >= b.cfg.TrendSteady:
		lt.Direction = DirectionDown
	default:
		lt.Direction = DirectionSteady
	}
	return lt
}

func (b readinessBuilder) csat(win []readinessEntry) CSATSummary {
	c := CSATSummary{GoodTarget: b.cfg.CSATGood, ExceptionalTarget: b.cfg.CSATExceptional, Rating: "unrated"}
	for _, e := range win {
		if e.kpis.CSAT == nil {
			continue
		}
		c.Rated++
		if *e.kpis.CSAT >= 4 {
			c.Good++
		}
	}
	if c.Rated == 0 {
		return c
	}
	p := roundTenth(100 * float64(c.Good) / float64(c.Rated))
	c.Percent = &p
	switch {
	case p >= b.cfg.CSATExceptional:
		c.Rating = "exceptional"
	case p >= b.cfg.CSATGood:
		c.Rating = "good"
	default:
		c.Rating = "below_target"
	}
	return c
}

func (b readinessBuilder) kpis(win []readinessEntry) []KPILevel {
	first, avg, ces := b.cfg.FirstResponseTarget.Seconds(), b.cfg.AvgResponseTarget.Seconds(), b.cfg.CESTarget
	rows := []struct {
		name   string
		target *float64
		pick   func(KPIs) *float64
	}{
		{KPIFirstResponse, &first, func(k KPIs) *float64 { return k.FirstResponseS }},
		{KPIAvgResponse, &avg, func(k KPIs) *float64 { return k.AvgResponseS }},
		{KPIResolution, nil, func(k KPIs) *float64 { return k.ResolutionS }},
		{KPICES, &ces, func(k KPIs) *float64 {
			if k.CES == nil {
				return nil
			}
			v := float64(*k.CES)
			return &v
		}},
	}
	out := make([]KPILevel, 0, len(rows))
	for _, row := range rows {
		l := KPILevel{KPI: row.name, Target: row.target}
		sum := 0.0
		for _, e := range win {
			if v := row.pick(e.kpis); v != nil {
				sum += *v
				l.Measured++
			}
		}
		if l.Measured > 0 {
			m := roundTenth(sum / float64(l.Measured))
			l.Value = &m
			if l.Target != nil {
				ok := m <= *l.Target
				l.Meets = &ok
			}
		}
		out = append(out, l)
	}
	return out
}

// scenario looks id up in the catalog; nil when there is no catalog or it lacks id.
func (b readinessBuilder) scenario(id string) *scenarios.Scenario {
	if b.cat == nil || id == "" {
		return nil
	}
	sc, err := b.cat.FindScenarioByID(id)
	if err != nil {
		return nil
	}
	return sc
}

func (b readinessBuilder) frustrated(sc *scenarios.Scenario) bool {
	return slices.ContainsFunc(b.cfg.FrustratedTraits, sc.Persona.HasTrait)
}

func (b readinessBuilder) multiIssue(sc *scenarios.Scenario) bool {
	return len(sc.Issues) >= b.cfg.MinIssues
}

func (b readinessBuilder) coverage(win []readinessEntry) Coverage {
	cv := Coverage{Scenarios: []string{}, Unknown: []string{}, Frustrated: []string{}, MultiIssue: []string{}}
	for _, e := range win {
		if e.Scenario == "" {
			cv.Unnamed++
			continue
		}
		if slices.Contains(cv.Scenarios, e.Scenario) {
			continue
		}
		cv.Scenarios = append(cv.Scenarios, e.Scenario)
		sc := b.scenario(e.Scenario)
		if sc == nil {
			cv.Unknown = append(cv.Unknown, e.Scenario)
			continue
		}
		if b.frustrated(sc) {
			cv.Frustrated = append(cv.Frustrated, e.Scenario)
		}
		if b.multiIssue(sc) {
			cv.MultiIssue = append(cv.MultiIssue, e.Scenario)
		}
	}
	for _, l := range [][]string{cv.Scenarios, cv.Unknown, cv.Frustrated, cv.MultiIssue} {
		slices.Sort(l)
	}
	return cv
}

// windowWords are the phrases the criteria use for a window of k sessions.
type windowWords struct {
	k int
}

// the is "the latest 5 sessions", or "the only session".
func (w windowWords) the() string {
	if w.k == 1 {
		return "the only session"
	}
	return fmt.Sprintf("the latest %d sessions", w.k)
}

// verb picks the verb form that agrees with the().
func (w windowWords) verb(one, many string) string {
	if w.k == 1 {
		return one
	}
	return many
}

// none says that no session of the window is or has what: "none of the latest 5
// sessions has a timing score", "the only session does not have a timing score".
func (w windowWords) none(verb, what string) string {
	if w.k == 1 {
		if verb == "has" {
			return "the only session does not have " + what
		}
		return "the only session " + verb + " not " + what
	}
	return fmt.Sprintf("none of %s %s %s", w.the(), verb, what)
}

// a puts the indefinite article before a word.
func (windowWords) a(word string) string {
	if strings.ContainsAny(word[:1], "aeiou") {
		return "an " + word
	}
	return "a " + word
}

// count says "1 session" or "3 sessions".
func (windowWords) count(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// quoted writes ids as "a", "b" and "c".
func (windowWords) quoted(ids []string, and string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = fmt.Sprintf("%q", id)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " " + and + " " + q[len(q)-1]
}

// traits writes traits as "frustrated or angry".
func (windowWords) traits(ts []string) string {
	if len(ts) < 2 {
		return strings.Join(ts, "")
	}
	return strings.Join(ts[:len(ts)-1], ", ") + " or " + ts[len(ts)-1]
}

// unknown says why the scenarios of some window sessions cannot be judged.
func (b readinessBuilder) unknown(w windowWords, ids []string, unnamed int) string {
	var parts []string
	if len(ids) > 0 {
		where := "the scenario library"
		if b.cat == nil {
			where = "any scenario catalog (none was loaded)"
		}
		if len(ids) == 1 {
			parts = append(parts, fmt.Sprintf("scenario %s is not in %s", w.quoted(ids, "and"), where))
		} else {
			parts = append(parts, fmt.Sprintf("scenarios %s are not in %s", w.quoted(ids, "and"), where))
		}
	}
	if unnamed == 1 {
		parts = append(parts, "1 session names no scenario")
	} else if unnamed > 1 {
		parts = append(parts, fmt.Sprintf("%d sessions name no scenario", unnamed))
	}
	return strings.Join(parts, ", and ")
}

// criteria judges each criterion of the verdict over the window, with a sentence.
func (b readinessBuilder) criteria(r *Readiness, all []readinessEntry) []Criterion {
	cfg := b.cfg
	k := r.Counted
	w := windowWords{k}
	out := []Criterion{}
	add := func(name string, st CriterionStatus, format string, args ...any) {
		s := fmt.Sprintf(format, args...)
		out = append(out, Criterion{Name: name, Status: st, Detail: strings.ToUpper(s[:1]) + s[1:] + "."})
	}
	switch {
	case k == 0:
		add(CriterionSessions, CriterionNotMet, "no graded sessions; the verdict needs %s", w.count(cfg.Window, "session", "sessions"))
	case len(all) < cfg.Window:
		add(CriterionSessions, CriterionNotMet, "only %s graded; the verdict needs the latest %d", w.count(len(all), "session", "sessions"), cfg.Window)
	default:
		add(CriterionSessions, CriterionMet, "%s graded; the verdict looks at the latest %d", w.count(len(all), "session", "sessions"), cfg.Window)
	}
	for _, sl := range r.Skills {
		label := sl.Skill.Label()
		switch {
		case k == 0:
			add(string(sl.Skill), CriterionUnchecked, "%s could not be checked: there are no graded sessions", label)
			continue
		case sl.Level == nil:
			add(string(sl.Skill), CriterionUnchecked, "%s could not be checked: %s", label, w.none("has", w.a(label+" score")))
			continue
		}
		of := ""
		if sl.Scored < k {
			of = fmt.Sprintf(" (%d of %d scored)", sl.Scored, k)
		}
		lv, th := *sl.Level, float64(sl.Threshold)
		if lv >= th {
			add(string(sl.Skill), CriterionMet, "%s averages %.1f over %s%s, at or above its threshold of %d", label, lv, w.the(), of, sl.Threshold)
		} else {
			add(string(sl.Skill), CriterionNotMet, "%s averages %.1f over %s%s, %.1f below its threshold of %d", label, lv, w.the(), of, th-lv, sl.Threshold)
		}
	}
	frustrated := w.a(w.traits(cfg.FrustratedTraits) + " customer")
	multi := fmt.Sprintf("a scenario with %d or more issues", cfg.MinIssues)
	if k == 0 {
		if cfg.MinScenarios > 0 {
			add(CriterionDistinctScenarios, CriterionNotMet, "no scenarios practised; the verdict needs %d distinct ones", cfg.MinScenarios)
		}
		if cfg.RequireFrustrated {
			add(CriterionFrustrated, CriterionNotMet, "no session with %s%s", frustrated, b.suggest(b.frustrated, all))
		}
		if cfg.RequireMultiIssue {
			add(CriterionMultiIssue, CriterionNotMet, "no session on %s%s", multi, b.suggest(b.multiIssue, all))
		}
		return out
	}
	cv := r.Coverage
	if cfg.MinScenarios > 0 {
		d := len(cv.Scenarios)
		covered := w.count(d, "distinct scenario", "distinct scenarios")
		switch {
		case d >= cfg.MinScenarios:
			add(CriterionDistinctScenarios, CriterionMet, "%s %s %s (at least %d needed)", w.the(), w.verb("covers", "cover"), covered, cfg.MinScenarios)
		case d+cv.Unnamed >= cfg.MinScenarios:
			add(CriterionDistinctScenarios, CriterionUnchecked, "distinct scenarios could not be checked: %s, and the others cover %d (at least %d needed)", b.unknown(w, nil, cv.Unnamed), d, cfg.MinScenarios)
		default:
			list := ""
			if d > 0 {
				list = " (" + w.quoted(cv.Scenarios, "and") + ")"
			}
			add(CriterionDistinctScenarios, CriterionNotMet, "%s %s only %s%s; at least %d are needed", w.the(), w.verb("covers", "cover"), covered, list, cfg.MinScenarios)
		}
	}
	unknown := len(cv.Unknown) > 0 || cv.Unnamed > 0
	type coverage struct {
		name, what, neg string
		met             []string
		ok              func(*scenarios.Scenario) bool
		required        bool
	}
	for _, c := range []coverage{
		{CriterionFrustrated, frustrated, w.none("has", frustrated), cv.Frustrated, b.frustrated, cfg.RequireFrustrated},
		{CriterionMultiIssue, multi, w.none("is", "on "+multi), cv.MultiIssue, b.multiIssue, cfg.RequireMultiIssue},
	} {
		switch {
		case !c.required:
		case len(c.met) > 0:
			add(c.name, CriterionMet, "%s %s %s: %s", w.the(), w.verb("includes", "include"), c.what, w.quoted(c.met, "and"))
		case unknown:
			add(c.name, CriterionUnchecked, "whether %s %s %s could not be checked: %s", w.the(), w.verb("includes", "include"), c.what, b.unknown(w, cv.Unknown, cv.Unnamed))
		default:
			add(c.name, CriterionNotMet, "%s%s", c.neg, b.suggest(c.ok, all))
		}
	}
	return out
}

// suggest names up to two catalog scenarios that satisfy ok, those the person has not
// practised first, then the easiest.
func (b readinessBuilder) suggest(ok func(*scenarios.Scenario) bool, all []readinessEntry) string {
	if b.cat == nil {
		return ""
	}
	practised := map[string]bool{}
	for _, e := range all {
		practised[e.Scenario] = true
	}
	var list []*scenarios.Scenario
	for _, sc := range b.cat.All() {
		if ok(sc) {
			list = append(list, sc)
		}
	}
	if len(list) == 0 {
		return ""
	}
	slices.SortStableFunc(list, func(x, y *scenarios.Scenario) int {
		return cmp.Or(falseFirst(practised[x.ID], practised[y.ID]), cmp.Compare(x.Difficulty, y.Difficulty))
	})
	var ids []string
	for _, sc := range list[:min(2, len(list))] {
		ids = append(ids, sc.ID)
	}
	return "; practise one such as " + windowWords{}.quoted(ids, "or")
}

// strengths lists the skills at or above their threshold, the furthest above first,
// and picks the weakest skill: the one furthest below (or least above) its threshold,
// the first in report order among equals.
func (b readinessBuilder) strengths(levels []SkillLevel, all []readinessEntry) ([]Skill, *WeakestSkill) {
	var scored []SkillLevel
	for _, sl := range levels {
		if sl.Level != nil {
			scored = append(scored, sl)
		}
	}
	margin := func(sl SkillLevel) float64 { return *sl.Level - float64(sl.Threshold) }
	// A stable sort keeps report order among equal margins.
	slices.SortStableFunc(scored, func(x, y SkillLevel) int { return cmp.Compare(margin(y), margin(x)) })
	strengths := []Skill{}
	for _, sl := range scored {
		if margin(sl) >= 0 {
			strengths = append(strengths, sl.Skill)
		}
	}
	if len(scored) == 0 {
		return strengths, nil
	}
	weakest := scored[len(scored)-1]
	for i := len(scored) - 2; i >= 0 && margin(scored[i]) == margin(weakest); i-- {
		weakest = scored[i]
	}
	return strengths, &WeakestSkill{
		Skill:     weakest.Skill,
		Level:     *weakest.Level,
		Threshold: weakest.Threshold,
		Practice:  b.practice(weakest.Skill, weakest.Threshold, all),
	}
}

// relevance says how well a scenario trains a skill; 0 when it does not:
//   - empathy: customers who are anxious, frustrated or angry, more so when their mood
//     starts low (PRODUCT.md: empathy is needed most when the mood is low);
//   - de-escalation: frustrated customers (cfg.FrustratedTraits), more so at difficulty
//     4 or 5;
//   - timing: impatient customers, more so when they chase sooner than the default;
//   - resolution: scenarios with several issues (cfg.MinIssues), more so the more.
func (b readinessBuilder) relevance(sc *scenarios.Scenario, s Skill) int {
	n := 0
	switch s {
	case SkillEmpathy:
		for _, t := range []string{"anxious", "frustrated", "angry"} {
			if sc.Persona.HasTrait(t) {
				n++
			}
		}
		if n > 0 && sc.Persona.Mood <= 30 {
			n++
		}
	case SkillDeEscalation:
		if b.frustrated(sc) {
			n = 1
			if sc.Difficulty >= 4 {
				n++
			}
		}
	case SkillTiming:
		if sc.Persona.HasTrait("impatient") {
			n = 1
			if sc.Persona.Patience > 0 && sc.Persona.Patience < scenarios.DefaultPatience {
				n++
			}
		}
	case SkillResolution:
		if b.multiIssue(sc) {
			n = len(sc.Issues)
		}
	}
	return n
}

// practice lists up to cfg.Practice catalog scenarios that train skill s: the most
// relevant first, then those not practised yet, then the easiest, then by id. A
// scenario the person already scored at or above the threshold on, for this skill, is
// left out: they have passed it.
func (b readinessBuilder) practice(s Skill, threshold int, all []readinessEntry) []string {
	out := []string{}
	if b.cat == nil || b.cfg.Practice == 0 {
		return out
	}
	best := map[string]int{}
	for _, e := range all {
		v := -1
		if p := s.score(e.scores); p != nil {
			v = *p
		}
		if old, ok := best[e.Scenario]; !ok || v > old {
			best[e.Scenario] = v
		}
	}
	type candidate struct {
		sc        *scenarios.Scenario
		rel       int
		practised bool
	}
	var list []candidate
	for _, sc := range b.cat.All() {
		rel := b.relevance(sc, s)
		if rel == 0 {
			continue
		}
		top, practised := best[sc.ID]
		if practised && top >= threshold {
			continue
		}
		list = append(list, candidate{sc, rel, practised})
	}
	slices.SortStableFunc(list, func(x, y candidate) int {
		return cmp.Or(cmp.Compare(y.rel, x.rel), falseFirst(x.practised, y.practised), cmp.Compare(x.sc.Difficulty, y.sc.Difficulty))
	})
	for _, c := range list[:min(b.cfg.Practice, len(list))] {
		out = append(out, c.sc.ID)
	}
	return out
}
