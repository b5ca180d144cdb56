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
	"os"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"chatdojo/grading"
	"chatdojo/grading/moves"
	"chatdojo/scenarios"
	"chatdojo/scenarios/library"
)

const gradeUsage = `
Usage: chatdojo grade [FILE|-] [--strict] [--judge rules] [--format jsonl|table]

Grades conversations, one JSON object a line (the output of chatdojo simulate --json is
one), and writes one graded result a line, in the same order:
  {"id": "c1", "scenario": "optional-id", "user": "optional", "started_at": "optional",
   "messages": [{"role": "customer"|"agent", "text": "…", "at": "optional"}]}
A malformed line is reported on standard error as "line N: …" and skipped (--strict
stops there instead). Exit status: 0 when every line was graded, 1 when some were
skipped, 2 when the input could not be read. Standard input is read when FILE is - or
missing. docs/grading.md explains every score.
`

// maxGradeLine bounds one input line; a longer one is skipped as malformed.
const maxGradeLine = 64 << 20

func (e *env) grade(ctx context.Context, args []string) error {
	fl := flag.NewFlagSet("grade", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	strict := fl.Bool("strict", false, "stop at the first malformed line")
	judge := fl.String("judge", "rules", "who judges each turn's empathy and de-escalation: `rules`, or ollama:MODEL (a model through Ollama; the rules take over any turn it cannot judge)")
	ollamaFlag := fl.String("ollama", "", "the Ollama `URL`s for --judge ollama:MODEL, comma-separated (default: $CHATDOJO_OLLAMA, else $OLLAMA_HOST)")
	format := fl.String("format", "jsonl", "output: jsonl (one graded result a line) or table (a readable summary)")
	fl.Usage = func() { flagUsage(e.stderr, gradeUsage, fl) }
	if err := fl.Parse(flagsFirst(fl, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return reported(2)
	}
	if fl.NArg() > 1 {
		return usageErrorf("grade reads one file, got %d", fl.NArg())
	}
	var modelJudge grading.Judge
	if *judge != "rules" {
		model, ok := strings.CutPrefix(*judge, "ollama:")
		if !ok || model == "" {
			return usageErrorf("--judge %q is not a judge, expected rules or ollama:MODEL", *judge)
		}
		j, err := e.ollamaJudge(ctx, *ollamaFlag, model)
		if err != nil {
			return err
		}
		modelJudge = j
	}
	if *format != "jsonl" && *format != "table" {
		return usageErrorf("--format %q is not a format, expected jsonl or table", *format)
	}
	in := e.stdin
	if name := fl.Arg(0); name != "" && name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return usageErrorf("read %s: %v", name, errors.Unwrap(err))
		}
		defer f.Close()
		in = f
	}
	cat, err := library.Load()
	if err != nil {
		return fmt.Errorf("load the built-in library: %w", err)
	}
	g := grading.New(moves.New(), grading.Options{Judge: modelJudge, Lookup: func(id string) (*scenarios.Scenario, bool) {
		sc, err := cat.FindScenarioByID(id)
		return sc, err == nil
	}})

	out := bufio.NewWriterSize(e.stdout, 64<<10)
	defer out.Flush()
	var w gradeWriter = &jsonlWriter{enc: json.NewEncoder(out)}
	if *format == "table" {
		w = newTableWriter(out)
	}
	prog := newProgress(e.stderr)
	r := bufio.NewReaderSize(in, 256<<10)
	var line []byte
	n, skipped, graded := 0, 0, 0
	for {
		var tooLong bool
		var err error
		line, tooLong, err = readLine(r, line[:0], maxGradeLine)
		if err != nil && !errors.Is(err, io.EOF) {
			if n == 0 {
				return usageErrorf("read input: %v", err)
			}
			fmt.Fprintf(e.stderr, "line %d: read failed: %v\n", n+1, err)
			return reported(1)
		}
		if len(line) == 0 && !tooLong && errors.Is(err, io.EOF) {
			break
		}
		n++
		bad := ""
		var tr scenarios.Transcript
		switch {
		case tooLong:
			bad = fmt.Sprintf("longer than %d MiB, expected one conversation a line", maxGradeLine>>20)
		case len(bytes.TrimSpace(line)) == 0:
			// A blank line is no conversation.
		default:
			if !utf8.Valid(line) {
				fmt.Fprintf(e.stderr, "line %d: warning: not valid UTF-8; the bad bytes were read as U+FFFD\n", n)
			}
			tr, bad = decodeConversation(line)
		}
		if bad != "" {
			fmt.Fprintf(e.stderr, "line %d: %s\n", n, bad)
			skipped++
			if *strict {
				out.Flush()
				return reported(1)
			}
		} else if len(bytes.TrimSpace(line)) > 0 && !tooLong {
			gr, gerr := g.Grade(ctx, tr)
			if gerr != nil {
				return fmt.Errorf("line %d: %w", n, gerr)
			}
			if werr := w.write(gr); werr != nil {
				return fmt.Errorf("write: %w", werr)
			}
			graded++
		}
		prog.tick(graded, skipped)
		if errors.Is(err, io.EOF) {
			break
		}
	}
	if err := w.close(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	prog.done(graded, skipped)
	if skipped > 0 {
		out.Flush()
		fmt.Fprintf(e.stderr, "%d line(s) skipped, %d graded\n", skipped, graded)
		return reported(1)
	}
	return nil
}

// readLine reads one line without its newline into buf, up to limit bytes; a longer
// line is consumed and reported as too long.
func readLine(r *bufio.Reader, buf []byte, limit int) ([]byte, bool, error) {
	tooLong := false
	for {
		chunk, err := r.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > limit {
				tooLong, buf = true, buf[:0]
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		buf = bytes.TrimRight(buf, "\r\n")
		return buf, tooLong, err
	}
}

// decodeConversation reads one input line; it returns what is wrong with it, if
// anything, in words a person can act on.
func decodeConversation(line []byte) (scenarios.Transcript, string) {
	var tr scenarios.Transcript
	if err := json.Unmarshal(line, &tr); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return tr, fmt.Sprintf("not valid JSON at byte %d (%v), expected one JSON object a line", se.Offset, se)
		case errors.As(err, &te):
			return tr, fmt.Sprintf("field %s: %s is the wrong type, expected %s", te.Field, te.Value, te.Type)
		}
		return tr, fmt.Sprintf("%v, expected a conversation object", err)
	}
	if strings.TrimSpace(tr.ID) == "" {
		return tr, `no "id", expected {"id": "…", "messages": [...]}`
	}
	if tr.Messages == nil {
		return tr, fmt.Sprintf(`conversation %q has no "messages" list, expected [{"role": "customer"|"agent", "text": "…"}]`, tr.ID)
	}
	for i, m := range tr.Messages {
		if m.Role != scenarios.RoleCustomer && m.Role != scenarios.RoleAgent {
			return tr, fmt.Sprintf("messages[%d].role: %q is not a role, expected customer or agent", i, m.Role)
		}
	}
	return tr, ""
}

// gradeWriter writes graded results in one output format.
type gradeWriter interface {
	write(grading.Grade) error
	close() error
}

type jsonlWriter struct {
	enc *json.Encoder
}

func (j *jsonlWriter) write(g grading.Grade) error {
	j.enc.SetEscapeHTML(false)
	return j.enc.Encode(g)
}

func (j *jsonlWriter) close() error { return nil }

// tableWriter prints a row per conversation and the averages at the end.
type tableWriter struct {
	tw    *tabwriter.Writer
	sums  [7]float64
	count [7]int
	rows  int
}

func newTableWriter(w io.Writer) *tableWriter {
	t := &tableWriter{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)}
	fmt.Fprintln(t.tw, "id\tuser\tscenario\tempathy\tde-esc.\ttiming\tresolution\toverall\tcsat\tces\tturns\t")
	return t
}

func (t *tableWriter) write(g grading.Grade) error {
	vals := []*int{g.Scores.Empathy, g.Scores.DeEscalation, g.Scores.Timing, g.Scores.Resolution, g.Scores.Overall, g.KPIs.CSAT, g.KPIs.CES}
	cells := make([]string, len(vals))
	for i, v := range vals {
		cells[i] = "–"
		if v != nil {
			cells[i] = fmt.Sprint(*v)
			t.sums[i] += float64(*v)
			t.count[i]++
		}
	}
	t.rows++
	_, err := fmt.Fprintf(t.tw, "%s\t%s\t%s\t%s\t%d\t\n", cut(g.ID, 24), cut(g.User, 16), cut(g.Scenario, 24), strings.Join(cells, "\t"), len(g.Turns))
	if t.rows%100 == 0 {
		t.tw.Flush()
	}
	return err
}

func (t *tableWriter) close() error {
	cells := make([]string, len(t.sums))
	for i := range t.sums {
		cells[i] = "–"
		if t.count[i] > 0 {
			cells[i] = fmt.Sprintf("%.0f", t.sums[i]/float64(t.count[i]))
		}
	}
	fmt.Fprintf(t.tw, "average of %d\t\t\t%s\t\t\n", t.rows, strings.Join(cells, "\t"))
	return t.tw.Flush()
}

func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// progress draws a progress line on standard error when it is a terminal.
type progress struct {
	w     io.Writer
	on    bool
	start time.Time
	last  time.Time
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.on = true
		}
	}
	return p
}

func (p *progress) tick(graded, skipped int) {
	if !p.on {
		return
	}
	now := time.Now()
	if now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	rate := float64(graded) / max(now.Sub(p.start).Seconds(), 0.001)
	fmt.Fprintf(p.w, "\rgraded %d, skipped %d (%.0f/s)   ", graded, skipped, rate)
}

func (p *progress) done(graded, skipped int) {
	if p.on {
		fmt.Fprintf(p.w, "\rgraded %d, skipped %d            \n", graded, skipped)
	}
}
