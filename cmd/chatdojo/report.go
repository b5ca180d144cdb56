package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"chatdojo/grading"
	"chatdojo/scenarios"
	"chatdojo/scenarios/library"
)

const reportUsage = `
Usage: chatdojo report [FILE|-] [--user U] [--format md|html|json] [--threshold N] [--window N]

Builds a readiness report from graded sessions: the JSON Lines that chatdojo grade
writes, one graded session a line, read from FILE or, when FILE is - or missing, from
standard input. For each person (the "user" of a line; lines without one are reported
as "(unknown)") it shows the verdict with its reasons; each skill's level over the
latest --window sessions against its threshold, with its trend; strengths; the weakest
skill and the library scenarios that train it; the KPIs and CSAT against their
targets; and the list of sessions.

A person is ready when every skill averages at or above its threshold over their
latest --window sessions, and those cover --min-scenarios distinct scenarios including
a frustrated one and a multi-issue one (traits and issues come from the built-in
library). A criterion that cannot be checked (a scenario the library does not have, a
skill never scored) makes the verdict "not ready" and the report names it.
docs/readiness.md explains every criterion and threshold.

A malformed line is reported on standard error as "line N: …" and skipped. Exit
status: 0 when every line was read, 1 when some were skipped, 2 when the flags or the
input could not be used.

With --db it reads the graded practice sessions of the web app's database instead (a
SQLite file or a postgres:// URL; people are named by their email). Otherwise pipe
chatdojo grade into it:
  chatdojo grade sessions.jsonl | chatdojo report --format html > report.html
`

// maxReportLine bounds one input line; a longer one is skipped as malformed.
const maxReportLine = 64 << 20

func (e *env) report(ctx context.Context, args []string) error {
	def := grading.DefaultReadinessConfig()
	fl := flag.NewFlagSet("report", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	var users []string
	fl.Func("user", "report only on person `U` (repeat for several; \"(unknown)\" for lines without a user)", func(s string) error {
		users = append(users, s)
		return nil
	})
	format := fl.String("format", "md", "the output `FORMAT`: md (Markdown), html (a standalone page) or json")
	threshold := fl.Int("threshold", grading.DefaultSkillThreshold, "the level `N` (0-100) every skill must average")
	perSkill := map[grading.Skill]int{}
	for _, s := range grading.Skills() {
		fl.Func("threshold-"+s.Label(), "the level `N` "+s.Label()+" must average (default: --threshold)", func(v string) error {
			n, err := strconv.Atoi(v)
			if err != nil {
				return errors.New("not a whole number")
			}
			perSkill[s] = n
			return nil
		})
	}
	window := fl.Int("window", def.Window, "the number `N` of a person's latest sessions the verdict looks at")
	minScenarios := fl.Int("min-scenarios", def.MinScenarios, "the number `N` of distinct scenarios the window must cover (0: any)")
	requireFrustrated := fl.Bool("require-frustrated", def.RequireFrustrated, "require a window session with a frustrated customer")
	frustratedTraits := fl.String("frustrated-traits", strings.Join(def.FrustratedTraits, ","), "the persona `traits` that make a customer frustrated, comma-separated")
	requireMulti := fl.Bool("require-multi-issue", def.RequireMultiIssue, "require a window session on a multi-issue scenario")
	minIssues := fl.Int("min-issues", def.MinIssues, "the number `N` of issues that makes a scenario multi-issue")
	csatGood := fl.Float64("csat-good", def.CSATGood, "the `percent` of sessions rated 4-5 that is good")
	csatExceptional := fl.Float64("csat-exceptional", def.CSATExceptional, "the `percent` of sessions rated 4-5 that is exceptional")
	firstResponse := fl.Duration("first-response", def.FirstResponseTarget, "the first-response time `target`")
	avgResponse := fl.Duration("avg-response", def.AvgResponseTarget, "the average response time `target`")
	ces := fl.Float64("ces", def.CESTarget, "the highest acceptable average customer effort `N`, 1-5")
	steady := fl.Float64("trend-steady", def.TrendSteady, "a change under these `points` is a steady trend")
	practice := fl.Int("practice", def.Practice, "the number `N` of scenarios to suggest for the weakest skill")
	db := fl.String("db", "", "read the graded practice sessions of the database `DB` (a SQLite file or a postgres:// URL) instead of a file")
	fl.Usage = func() { flagUsage(e.stderr, reportUsage, fl) }
	if err := fl.Parse(flagsFirst(fl, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return reported(2)
	}
	if *db != "" && fl.NArg() > 0 {
		return usageErrorf("give either --db or a file of graded sessions, not both")
	}
	if fl.NArg() > 1 {
		return usageErrorf("report reads one file, got %d", fl.NArg())
	}
	switch *format {
	case "md", "html", "json":
	default:
		return usageErrorf("--format %q is not a format, expected md, html or json", *format)
	}
	cfg := def
	cfg.Thresholds = map[grading.Skill]int{}
	for _, s := range grading.Skills() {
		cfg.Thresholds[s] = *threshold
		if n, ok := perSkill[s]; ok {
			cfg.Thresholds[s] = n
		}
	}
	cfg.Window, cfg.MinScenarios, cfg.MinIssues, cfg.Practice = *window, *minScenarios, *minIssues, *practice
	cfg.RequireFrustrated, cfg.RequireMultiIssue = *requireFrustrated, *requireMulti
	cfg.FrustratedTraits = nil
	for _, t := range strings.Split(*frustratedTraits, ",") {
		if t = strings.TrimSpace(t); t != "" {
			cfg.FrustratedTraits = append(cfg.FrustratedTraits, t)
		}
	}
	cfg.CSATGood, cfg.CSATExceptional, cfg.CESTarget, cfg.TrendSteady = *csatGood, *csatExceptional, *ces, *steady
	cfg.FirstResponseTarget, cfg.AvgResponseTarget = *firstResponse, *avgResponse
	cfg.Users = users
	if err := cfg.Validate(); err != nil {
		return usageErrorf("%s", scenarios.ErrorMessage(err))
	}

	if *db != "" {
		return e.reportFromDB(ctx, *db, cfg, *format)
	}
	in, name := e.stdin, "standard input"
	if arg := fl.Arg(0); arg != "" && arg != "-" {
		f, err := os.Open(arg)
		if err != nil {
			return usageErrorf("read %s: %v", arg, errors.Unwrap(err))
		}
		defer f.Close()
		in, name = f, arg
	}
	cat, err := library.Load()
	if err != nil {
		return fmt.Errorf("load the built-in library: %w", err)
	}
	lines := &gradedLines{r: bufio.NewReaderSize(in, 256<<10), stderr: e.stderr}
	rep, err := grading.BuildReadiness(ctx, lines.all(), cat, cfg)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if lines.err != nil {
		return usageErrorf("read %s: line %d: %v", name, lines.n+1, lines.err)
	}
	if lines.read == 0 {
		fmt.Fprintln(e.stderr, "warning: no graded sessions in the input")
	}
	if err := e.writeReport(rep, format); err != nil {
		return err
	}
	if lines.skipped > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%d line(s) skipped, %d read", lines.skipped, lines.read)}
	}
	return nil
}

// flagsFirst moves the flags after the file argument in front of it, so that
// `report graded.jsonl --format html` works as people type it. A flag that takes a
// value brings the next argument with it.
func flagsFirst(fl *flag.FlagSet, args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			rest = append(rest, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fl.Lookup(name)
		if f == nil {
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return append(flags, rest...)
}

// gradedLines reads graded sessions, one JSON object a line. A malformed line is
// reported on stderr as "line N: …" and skipped; a read error ends the input and is
// kept in err.
type gradedLines struct {
	r      *bufio.Reader
	stderr io.Writer
	// n is the number of the last line read; read and skipped count the sessions
	// used and the lines skipped. A read error is kept in err and ends the input.
	n, read, skipped int
	err              error
}

// all yields the graded sessions of every good line.
func (l *gradedLines) all() func(yield func(grading.Grade) bool) {
	return func(yield func(grading.Grade) bool) {
		var buf []byte
		for {
			line, tooLong, err := l.next(buf[:0])
			buf = line
			if err != nil && !errors.Is(err, io.EOF) {
				l.err = err
				return
			}
			if len(line) == 0 && !tooLong && err != nil {
				return
			}
			l.n++
			if l.n == 1 {
				line = bytes.TrimPrefix(line, []byte("\uFEFF"))
			}
			var g grading.Grade
			bad := ""
			switch {
			case tooLong:
				bad = fmt.Sprintf("longer than %d MiB, expected one graded session a line", maxReportLine>>20)
			case len(bytes.TrimSpace(line)) == 0:
				// A blank line is no session.
			default:
				if !utf8.Valid(line) {
					fmt.Fprintf(l.stderr, "line %d: warning: not valid UTF-8; the bad bytes were read as U+FFFD\n", l.n)
				}
				g, bad = decodeGradeLine(line)
			}
			switch {
			case bad != "":
				fmt.Fprintf(l.stderr, "line %d: %s\n", l.n, bad)
				l.skipped++
			case len(bytes.TrimSpace(line)) > 0 && !tooLong:
				l.read++
				if !yield(g) {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}
}

// next reads one line without its line ending into buf, up to maxReportLine bytes; a
// longer line is consumed and reported as too long.
func (l *gradedLines) next(buf []byte) ([]byte, bool, error) {
	return readLine(l.r, buf, maxReportLine)
}

// decodeGradeLine reads one line of chatdojo grade output; it returns what is wrong
// with it, if anything, in words a person can act on.
func decodeGradeLine(line []byte) (grading.Grade, string) {
	// Scores is a pointer here so that a line without "scores" is told from one whose
	// scores are all null.
	var in struct {
		grading.Grade
		Scores *grading.Scores `json:"scores"`
	}
	const expected = "expected one line of chatdojo grade output"
	if err := json.Unmarshal(line, &in); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return grading.Grade{}, fmt.Sprintf("not valid JSON at byte %d (%v), %s", se.Offset, se, expected)
		case errors.As(err, &te) && te.Field == "":
			return grading.Grade{}, fmt.Sprintf("a JSON %s, %s (an object)", te.Value, expected)
		case errors.As(err, &te):
			return grading.Grade{}, fmt.Sprintf("%s: %s is the wrong type, expected %s", te.Field, te.Value, te.Type)
		}
		return grading.Grade{}, fmt.Sprintf("%v, %s", err, expected)
	}
	g := in.Grade
	switch {
	case bytes.Equal(bytes.TrimSpace(line), []byte("null")):
		return g, "null, " + expected + " (an object)"
	case in.Scores == nil && g.ID == "":
		return g, `no "scores" object, ` + expected
	case in.Scores == nil:
		return g, fmt.Sprintf(`session %q has no "scores" object, %s`, g.ID, expected)
	}
	g.Scores = *in.Scores
	for _, sc := range []struct {
		name string
		v    *int
	}{
		{"empathy", g.Scores.Empathy}, {"de_escalation", g.Scores.DeEscalation}, {"timing", g.Scores.Timing},
		{"resolution", g.Scores.Resolution}, {"overall", g.Scores.Overall},
	} {
		if sc.v != nil && (*sc.v < 0 || *sc.v > 100) {
			return g, fmt.Sprintf("scores.%s: %d is out of range, expected 0..100", sc.name, *sc.v)
		}
	}
	for _, k := range []struct {
		name string
		v    *int
	}{{"csat", g.KPIs.CSAT}, {"ces", g.KPIs.CES}} {
		if k.v != nil && (*k.v < 1 || *k.v > 5) {
			return g, fmt.Sprintf("kpis.%s: %d is out of range, expected 1..5", k.name, *k.v)
		}
	}
	for _, k := range []struct {
		name string
		v    *float64
	}{{"first_response_s", g.KPIs.FirstResponseS}, {"avg_response_s", g.KPIs.AvgResponseS}, {"resolution_s", g.KPIs.ResolutionS}} {
		if k.v != nil && (*k.v < 0 || math.IsNaN(*k.v) || *k.v > float64(365*24*time.Hour/time.Second)) {
			return g, fmt.Sprintf("kpis.%s: %g is out of range, expected seconds from 0", k.name, *k.v)
		}
	}
	return g, ""
}

// writeReport writes a readiness report in a format (md, html or json).
func (e *env) writeReport(rep grading.ReadinessReport, format *string) error {
	var out bytes.Buffer
	var err error
	switch *format {
	case "md":
		err = rep.WriteMarkdown(&out)
	case "html":
		err = rep.WriteHTML(&out)
	case "json":
		err = rep.WriteJSON(&out)
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if _, err := e.stdout.Write(out.Bytes()); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// reportFromDB builds the report from the graded sessions in the database, naming
// each person by their email.
func (e *env) reportFromDB(ctx context.Context, db string, cfg grading.ReadinessConfig, format string) error {
	st, err := e.openStore(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	users, err := st.FindUsers(ctx)
	if err != nil {
		return err
	}
	email := map[string]string{}
	for _, u := range users {
		email[u.ID] = u.Email
	}
	raw, err := st.FindGrades(ctx, "")
	if err != nil {
		return err
	}
	grades := make([]grading.Grade, 0, len(raw))
	for _, b := range raw {
		var g grading.Grade
		if err := json.Unmarshal(b, &g); err != nil {
			return fmt.Errorf("decode a stored grade: %w", err)
		}
		if m, ok := email[g.User]; ok {
			g.User = m
		}
		grades = append(grades, g)
	}
	if len(grades) == 0 {
		fmt.Fprintln(e.stderr, "warning: no graded sessions in the database")
	}
	cat, err := library.Load()
	if err != nil {
		return fmt.Errorf("load the built-in library: %w", err)
	}
	rep, err := grading.BuildReadiness(ctx, slices.Values(grades), cat, cfg)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return e.writeReport(rep, &format)
}
