package grading

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// WriteJSON writes the report as one indented JSON object. Lists are arrays, never
// null.
func (r ReadinessReport) WriteJSON(w io.Writer) error {
	if r.Users == nil {
		r.Users = []Readiness{}
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode readiness report: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// WriteMarkdown writes the report for people: per person the verdict with its reasons,
// the skills against their thresholds with trends, strengths, the weakest skill and the
// scenarios to practise next, the KPIs and CSAT against their targets, and the session
// list. Text from the input (names, ids) is escaped, so it reads as written and cannot
// add Markdown or HTML of its own.
func (r ReadinessReport) WriteMarkdown(w io.Writer) error {
	var m readinessMarkdown
	m.report(r)
	_, err := w.Write(m.Bytes())
	return err
}

// WriteHTMLFragment writes the report as HTML without a page around it, for a page
// that has its own: the Markdown of WriteMarkdown rendered by goldmark, whose default
// escapes any raw HTML.
func (r ReadinessReport) WriteHTMLFragment(w io.Writer) error {
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		return err
	}
	gm := goldmark.New(goldmark.WithExtensions(extension.Table))
	if err := gm.Convert(md.Bytes(), w); err != nil {
		return fmt.Errorf("render readiness report: %w", err)
	}
	return nil
}

// WriteHTML writes the report as a standalone HTML page: WriteHTMLFragment in a minimal
// page.
func (r ReadinessReport) WriteHTML(w io.Writer) error {
	var body bytes.Buffer
	if err := r.WriteHTMLFragment(&body); err != nil {
		return err
	}
	title := "Readiness report"
	if len(r.Users) == 1 {
		title += ": " + r.Users[0].User
	}
	_, err := fmt.Fprintf(w, readinessPage, html.EscapeString(title), body.Bytes())
	return err
}

// readinessPage is the HTML page around the rendered report: its title, then its body.
const readinessPage = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1a1a1a; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; }
th { background: #f3f3f3; }
</style>
</head>
<body>
%s</body>
</html>
`

// readinessMarkdown accumulates the Markdown of a report.
type readinessMarkdown struct {
	bytes.Buffer
}

// esc makes input text literal Markdown: ASCII punctuation that could start markup is
// backslash-escaped, and line breaks and other control characters become spaces, so a
// name stays on its line and in its table cell.
func (*readinessMarkdown) esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f:
			b.WriteByte(' ')
		case strings.ContainsRune("\\`*_[]<>|#&!~", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (m *readinessMarkdown) line(format string, args ...any) {
	fmt.Fprintf(m, format, args...)
	m.WriteByte('\n')
}

// row writes one table row; the cells are already Markdown.
func (m *readinessMarkdown) row(cells ...string) {
	m.WriteString("| " + strings.Join(cells, " | ") + " |\n")
}

func (*readinessMarkdown) verdict(v Verdict) string {
	if v == VerdictReady {
		return "ready"
	}
	return "not ready"
}

func (*readinessMarkdown) level(p *float64) string {
	if p == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f", *p)
}

func (m *readinessMarkdown) trend(lt LevelTrend) string {
	if lt.Trend == nil {
		return "—"
	}
	arrow := map[Direction]string{DirectionUp: "▲", DirectionDown: "▼", DirectionSteady: "→"}[lt.Direction]
	return fmt.Sprintf("%s %+.1f", arrow, *lt.Trend)
}

// seconds writes a duration in seconds for people: "42 s", "1 min 35 s", "2 min".
func (*readinessMarkdown) seconds(s float64) string {
	if s < 10 {
		return fmt.Sprintf("%.1f s", s)
	}
	n := int(math.Round(s))
	switch {
	case n < 60:
		return fmt.Sprintf("%d s", n)
	case n < 3600 && n%60 == 0:
		return fmt.Sprintf("%d min", n/60)
	case n < 3600:
		return fmt.Sprintf("%d min %d s", n/60, n%60)
	case n%3600/60 == 0:
		return fmt.Sprintf("%d h", n/3600)
	}
	return fmt.Sprintf("%d h %d min", n/3600, n%3600/60)
}

func (*readinessMarkdown) check(ok *bool) string {
	switch {
	case ok == nil:
		return ""
	case *ok:
		return "✓"
	}
	return "✗"
}

// criterion names a criterion for people.
func (*readinessMarkdown) criterion(name string) string {
	switch name {
	case CriterionSessions:
		return "number of sessions"
	case CriterionDistinctScenarios:
		return "distinct scenarios"
	case CriterionFrustrated:
		return "a frustrated customer"
	case CriterionMultiIssue:
		return "a multi-issue scenario"
	}
	return Skill(name).Label()
}

func (m *readinessMarkdown) report(r ReadinessReport) {
	m.line("# Readiness report")
	m.line("")
	if len(r.Users) == 0 {
		m.line("No graded sessions.")
		return
	}
	m.line("Each verdict looks at a person's latest %d graded sessions: every skill must average at or above its threshold, and the sessions must cover the scenarios the criteria ask for.", r.Window)
	if len(r.Users) > 1 {
		m.line("")
		m.row("person", "verdict", "sessions", "overall", "weakest skill")
		m.row("---", "---", "--:", "--:", "---")
		for _, u := range r.Users {
			weakest := "—"
			if u.Weakest != nil {
				weakest = u.Weakest.Skill.Label()
			}
			m.row(m.esc(u.User), m.verdict(u.Verdict), fmt.Sprint(u.Graded), m.level(u.Overall.Level), weakest)
		}
	}
	for _, u := range r.Users {
		m.line("")
		m.person(u)
	}
}

func (m *readinessMarkdown) person(u Readiness) {
	m.line("## %s: %s", m.esc(u.User), m.verdict(u.Verdict))
	m.line("")
	if u.Verdict == VerdictReady {
		m.line("**Ready.** Every criterion is met:")
	} else {
		m.line("**Not ready.** Why:")
	}
	m.line("")
	for _, s := range u.Reasons {
		m.line("- %s", m.esc(s))
	}
	if len(u.Unchecked) > 0 {
		names := make([]string, len(u.Unchecked))
		for i, n := range u.Unchecked {
			names[i] = m.criterion(n)
		}
		m.line("")
		m.line("Not checked, so not counted as met: %s.", strings.Join(names, ", "))
	}
	if u.Graded == 0 {
		return
	}

	m.line("")
	m.line("### Skills")
	m.line("")
	m.line("Levels are means over %s; the trend is the change from as many sessions before them, when there are any.", windowWords{u.Counted}.the())
	m.line("")
	m.row("skill", "level", "threshold", "trend", "scored")
	m.row("---", "--:", "--:", "---", "--:")
	for _, s := range u.Skills {
		lv := m.level(s.Level)
		if s.Level != nil {
			ok := *s.Level >= float64(s.Threshold)
			lv += " " + m.check(&ok)
		}
		m.row(s.Skill.Label(), lv, fmt.Sprint(s.Threshold), m.trend(s.LevelTrend), fmt.Sprintf("%d of %d", s.Scored, u.Counted))
	}
	m.row("overall", m.level(u.Overall.Level), "—", m.trend(u.Overall), fmt.Sprintf("%d of %d", u.Overall.Scored, u.Counted))
	m.line("")
	if len(u.Strengths) == 0 {
		m.line("**Strengths:** none at threshold yet.")
	} else {
		var parts []string
		for _, s := range u.Strengths {
			for _, sl := range u.Skills {
				if sl.Skill == s {
					parts = append(parts, fmt.Sprintf("%s (%.1f)", s.Label(), *sl.Level))
				}
			}
		}
		m.line("**Strengths:** %s.", strings.Join(parts, ", "))
	}
	m.line("")
	switch {
	case u.Weakest == nil:
		m.line("**Weakest skill:** none scored yet.")
	default:
		wk := u.Weakest
		next := "no library scenario that trains it is left to pass."
		if len(wk.Practice) > 0 {
			ids := make([]string, len(wk.Practice))
			for i, id := range wk.Practice {
				ids[i] = m.esc(id)
			}
			next = strings.Join(ids, ", ") + "."
		}
		m.line("**Weakest skill:** %s at %.1f (threshold %d). Practise next: %s", wk.Skill.Label(), wk.Level, wk.Threshold, next)
	}

	m.line("")
	m.line("### Customer KPIs")
	m.line("")
	m.row("KPI", "average", "target", "")
	m.row("---", "--:", "--:", "---")
	for _, k := range u.KPIs {
		name, value, target := k.KPI, "—", "—"
		switch k.KPI {
		case KPIFirstResponse, KPIAvgResponse, KPIResolution:
			name = map[string]string{KPIFirstResponse: "first response", KPIAvgResponse: "average response", KPIResolution: "resolution time"}[k.KPI]
			if k.Value != nil {
				value = m.seconds(*k.Value)
			}
			if k.Target != nil {
				target = "≤ " + m.seconds(*k.Target)
			}
		case KPICES:
			name = "customer effort (CES, 1–5)"
			if k.Value != nil {
				value = fmt.Sprintf("%.1f", *k.Value)
			}
			if k.Target != nil {
				target = fmt.Sprintf("≤ %g", *k.Target)
			}
		}
		if k.Measured > 0 && k.Measured < u.Counted {
			value += fmt.Sprintf(" (%d of %d)", k.Measured, u.Counted)
		}
		m.row(name, value, target, m.check(k.Meets))
	}
	c := u.CSAT
	csat, mark := "—", ""
	if c.Percent != nil {
		csat = fmt.Sprintf("%g %% (%d of %d)", *c.Percent, c.Good, c.Rated)
		mark = map[string]string{"exceptional": "✓ exceptional", "good": "✓ good", "below_target": "✗ below target"}[c.Rating]
	}
	m.row("CSAT (rated 4–5)", csat, fmt.Sprintf("≥ %g %% good, ≥ %g %% exceptional", c.GoodTarget, c.ExceptionalTarget), mark)

	m.line("")
	m.line("### Sessions")
	m.line("")
	m.line("Oldest first; ✓ marks %s, which the verdict looks at.", windowWords{u.Counted}.the())
	m.line("")
	m.row("#", "started (UTC)", "session", "scenario", "overall", "counted")
	m.row("--:", "---", "---", "---", "--:", ":-:")
	for i, s := range u.Sessions {
		started, overall, counted := "—", "—", ""
		if !s.StartedAt.IsZero() {
			started = s.StartedAt.UTC().Format("2006-01-02 15:04")
		}
		if s.Overall != nil {
			overall = fmt.Sprint(*s.Overall)
		}
		if s.InWindow {
			counted = "✓"
		}
		m.row(fmt.Sprint(i+1), started, m.dash(m.esc(s.ID)), m.dash(m.esc(s.Scenario)), overall, counted)
	}
}

func (*readinessMarkdown) dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
