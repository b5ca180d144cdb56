package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"chatdojo/scenarios"
	"chatdojo/scenarios/library"
	"chatdojo/simulator"
)

const simulateUsage = `
Usage: chatdojo simulate --scenario ID|FILE --agent FILE [--seed N] [--start TIME] [--json] [--ollama URL] [--model NAME]

Plays an agent script against a scenario, the customer answering at once. The agent
file has one message a line, optionally prefixed by the delay before it, counted from
the agent's previous message (the first from the opening): "+45s Hi, I'm Sam…"; no
prefix means +20s. "-" reads the script from standard input. Without --json the
conversation is printed with the customer's mood after each turn, then the outcome.
A model or hybrid scenario has its customer's words written by a model through Ollama
(--ollama, or CHATDOJO_OLLAMA / OLLAMA_HOST); every customer message says its source
(script, model, or fallback when a model reply was refused or no model answered).
`

// defaultStart is when a simulated conversation starts unless --start says otherwise.
var defaultStart = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

func (e *env) simulate(ctx context.Context, args []string) error {
	fl := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	scenarioArg := fl.String("scenario", "", "a library scenario `ID`, or a scenario FILE")
	agentArg := fl.String("agent", "", "the agent script `FILE` (- for standard input)")
	seed := fl.Int64("seed", 1, "the seed that picks the customer's line variants")
	startArg := fl.String("start", defaultStart.Format(time.RFC3339), "when the conversation starts (RFC 3339)")
	asJSON := fl.Bool("json", false, "print the transcript and event log as one JSON object")
	mf := e.addModelFlags(fl)
	fl.Usage = func() { flagUsage(e.stderr, simulateUsage, fl) }
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return reported(2)
	}
	if fl.NArg() > 0 {
		return usageErrorf("simulate takes no arguments besides its flags, got %q", fl.Arg(0))
	}
	if *scenarioArg == "" || *agentArg == "" {
		fl.Usage()
		return usageErrorf("simulate needs --scenario and --agent")
	}
	start, err := time.Parse(time.RFC3339Nano, *startArg)
	if err != nil {
		return usageErrorf("--start %q is not an RFC 3339 time, expected like 2026-01-01T09:00:00Z", *startArg)
	}
	sc, err := e.loadScenario(*scenarioArg)
	if err != nil {
		return err
	}
	script, err := e.loadScript(*agentArg)
	if err != nil {
		return err
	}
	customer, err := e.customer(sc, mf, *seed)
	if err != nil {
		return err
	}
	res, err := simulator.Play(ctx, sc, simulator.Options{Seed: *seed, Start: start, Customer: customer}, script)
	if err != nil {
		return fmt.Errorf("simulate: %w", err)
	}
	if n := len(res.Ignored); n > 0 {
		fmt.Fprintf(e.stderr, "warning: %s:%d: the session ended (%s) before this line; %d agent line(s) ignored\n",
			*agentArg, res.Ignored[0].Line, res.Session.Outcome(), n)
	}
	tr := res.Session.Transcript()
	if *asJSON {
		b, err := json.Marshal(tr)
		if err != nil {
			return fmt.Errorf("encode transcript: %w", err)
		}
		_, err = e.stdout.Write(append(b, '\n'))
		return err
	}
	return printTranscript(e.stdout, sc, tr)
}

// loadScenario finds a scenario by library id, or parses the file it names. Warnings go
// to standard error; errors make the scenario unusable (exit status 2).
func (e *env) loadScenario(arg string) (*scenarios.Scenario, error) {
	if strings.HasSuffix(arg, ".md") || strings.ContainsAny(arg, `/\`) || fileExists(arg) {
		b, err := os.ReadFile(arg)
		if err != nil {
			return nil, usageErrorf("read scenario: %v", err)
		}
		sc, diags := scenarios.Parse(arg, b)
		for _, d := range diags {
			fmt.Fprintln(e.stderr, d.String())
		}
		if diags.HasErrors() {
			return nil, usageErrorf("%s has errors; run chatdojo lint %s", arg, arg)
		}
		return sc, nil
	}
	cat, err := library.Load()
	if err != nil {
		return nil, fmt.Errorf("load the built-in library: %w", err)
	}
	sc, err := cat.FindScenarioByID(arg)
	if err != nil {
		return nil, usageErrorf("%s", scenarios.ErrorMessage(err))
	}
	return sc, nil
}

// loadScript reads an agent script; a bad line makes it unusable (exit status 2).
func (e *env) loadScript(arg string) ([]simulator.ScriptLine, error) {
	var r io.Reader
	name := arg
	if arg == "-" {
		r, name = e.stdin, "stdin"
	} else {
		b, err := os.ReadFile(arg)
		if err != nil {
			return nil, usageErrorf("read agent script: %v", err)
		}
		r = bytes.NewReader(b)
	}
	script, diags := simulator.ParseScript(name, r)
	for _, d := range diags {
		fmt.Fprintln(e.stderr, d.String())
	}
	if diags.HasErrors() {
		return nil, usageErrorf("the agent script %s has errors", name)
	}
	if len(script) == 0 {
		return nil, usageErrorf("the agent script %s has no messages, expected one agent message a line", name)
	}
	return script, nil
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// printTranscript writes a conversation for people: each message with its time, the
// agent's moves, the customer's mood after each turn, what happened to the issues, and
// the outcome.
func printTranscript(w io.Writer, sc *scenarios.Scenario, tr scenarios.Transcript) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s (%s) · %s · difficulty %d · seed %d\n", sc.Title, sc.ID, sc.Channel, sc.Difficulty, deref(tr.Seed))
	fmt.Fprintf(&b, "%s starts at mood %d and walks away at %d; chases after %s of silence.\n\n",
		sc.Persona.Name, sc.Persona.Mood, sc.Persona.WalkAway, sc.Persona.Patience)
	start := tr.StartedAt.Time
	name := sc.Persona.Name
	width := max(len([]rune(name)), len("Agent"))
	indent := strings.Repeat(" ", 8+2+width+2)
	prevMood := sc.Persona.Mood
	for _, ev := range tr.Events {
		at := "+" + clock(ev.At.Sub(start))
		switch ev.Type {
		case scenarios.EventMessage:
			m := tr.Messages[*ev.Message]
			who := "Agent"
			if m.Role == scenarios.RoleCustomer {
				who = name
			}
			text := strings.ReplaceAll(m.Text, "\n", "\n"+indent)
			fmt.Fprintf(&b, "%-8s  %-*s  %s", at, width, who, text)
			if m.Mood != nil {
				fmt.Fprintf(&b, "  [mood %d%s]", *m.Mood, change(*m.Mood-prevMood))
				prevMood = *m.Mood
			}
			b.WriteString("\n")
		case scenarios.EventMoves:
			names := make([]string, len(ev.Moves))
			for i, m := range ev.Moves {
				names[i] = string(m)
			}
			if len(names) == 0 {
				names = []string{"none"}
			}
			fmt.Fprintf(&b, "%s(moves: %s)\n", indent, strings.Join(names, ", "))
		case scenarios.EventSilence:
			fmt.Fprintf(&b, "%-8s  · silence: the agent has said nothing for %s\n", at, sc.Persona.Patience)
		case scenarios.EventReveal:
			if !ev.At.Equal(start) {
				fmt.Fprintf(&b, "%-8s  · issue %s raised\n", at, ev.Issue)
			}
		case scenarios.EventResolved:
			fmt.Fprintf(&b, "%-8s  · issue %s resolved\n", at, ev.Issue)
		case scenarios.EventOutcome:
			fmt.Fprintf(&b, "%-8s  · session ended: %s\n", at, ev.Outcome)
		}
	}
	resolved := "none"
	if len(tr.Resolved) > 0 {
		resolved = strings.Join(tr.Resolved, ", ")
	}
	var open []string
	for _, is := range sc.Issues {
		if !slices.Contains(tr.Resolved, is.ID) {
			open = append(open, is.ID)
		}
	}
	fmt.Fprintf(&b, "\nOutcome: %s. Resolved: %s.", tr.Outcome, resolved)
	if len(open) > 0 {
		fmt.Fprintf(&b, " Not resolved: %s.", strings.Join(open, ", "))
	}
	fmt.Fprintf(&b, " Final mood %d (started at %d).\n", deref(tr.FinalMood), sc.Persona.Mood)
	_, err := w.Write(b.Bytes())
	return err
}

func clock(d time.Duration) string {
	d = d.Round(time.Second)
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

func change(d int) string {
	switch {
	case d > 0:
		return fmt.Sprintf(" ▲%d", d)
	case d < 0:
		return fmt.Sprintf(" ▼%d", -d)
	}
	return ""
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
