package web

import (
	"fmt"
	"html"
	"strings"
	"time"

	"chatdojo/grading"
	"chatdojo/scenarios"
	"chatdojo/web/views"
)

// point is one point of a chart, in data units.
type point struct {
	x, y  float64
	label string
}

// lineChart draws points as a line with dots over a 0–100 scale, server-side, as an
// SVG that needs no script. guide draws a dashed line at that value (below 0: none).
func lineChart(pts []point, xLabel string, guide float64, guideLabel string) string {
	const w, h, left, right, top, bottom = 600.0, 220.0, 40.0, 12.0, 12.0, 30.0
	maxX := 1.0
	for _, p := range pts {
		maxX = max(maxX, p.x)
	}
	px := func(x float64) float64 { return left + x/maxX*(w-left-right) }
	py := func(y float64) float64 { return top + (100-y)/100*(h-top-bottom) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`, w, h, html.EscapeString(xLabel))
	for _, y := range []float64{0, 25, 50, 75, 100} {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e5e8ee"/>`, left, py(y), w-right, py(y))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="end" fill="#5d6677">%.0f</text>`, left-4, py(y)+3, y)
	}
	if guide >= 0 {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#c53030" stroke-dasharray="4 3"/>`, left, py(guide), w-right, py(guide))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="end" fill="#c53030">%s</text>`, w-right, py(guide)-3, html.EscapeString(guideLabel))
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle" fill="#5d6677">%s</text>`, (left+w-right)/2, h-6, html.EscapeString(xLabel))
	if len(pts) > 0 {
		var line []string
		for _, p := range pts {
			line = append(line, fmt.Sprintf("%.1f,%.1f", px(p.x), py(p.y)))
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="#2f6fed" stroke-width="2" points="%s"/>`, strings.Join(line, " "))
		for _, p := range pts {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="#2f6fed"><title>%s</title></circle>`, px(p.x), py(p.y), html.EscapeString(p.label))
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// moodChart is the customer's mood over a session: the start mood, then the mood after
// each customer message, against seconds since the start.
func moodChart(sess *PracticeSession, sc *scenarios.Scenario) string {
	pts := []point{{x: 0, y: float64(sc.Persona.Mood), label: fmt.Sprintf("start: mood %d", sc.Persona.Mood)}}
	for _, m := range sess.Messages {
		if m.Role != scenarios.RoleCustomer || m.Mood == nil {
			continue
		}
		t := m.At.Sub(sess.StartedAt).Seconds()
		pts = append(pts, point{x: t, y: float64(*m.Mood), label: fmt.Sprintf("%s: mood %d", (time.Duration(t) * time.Second).String(), *m.Mood)})
	}
	return lineChart(pts, "seconds since the start", float64(sc.Persona.WalkAway), "walks away")
}

// trendCharts are a person's session scores over their graded sessions, one chart per
// score, oldest session first.
func trendCharts(grades []grading.Grade) []views.Chart {
	type series struct {
		name string
		get  func(grading.Scores) *int
	}
	var out []views.Chart
	for _, s := range []series{
		{"Overall", func(x grading.Scores) *int { return x.Overall }},
		{"Empathy", func(x grading.Scores) *int { return x.Empathy }},
		{"De-escalation", func(x grading.Scores) *int { return x.DeEscalation }},
		{"Timing", func(x grading.Scores) *int { return x.Timing }},
		{"Resolution", func(x grading.Scores) *int { return x.Resolution }},
	} {
		var pts []point
		for i, g := range grades {
			if v := s.get(g.Scores); v != nil {
				pts = append(pts, point{x: float64(i + 1), y: float64(*v), label: fmt.Sprintf("session %d (%s): %d", i+1, g.Scenario, *v)})
			}
		}
		out = append(out, views.Chart{Name: s.name, SVG: lineChart(pts, "session", 70, "ready: 70")})
	}
	return out
}
