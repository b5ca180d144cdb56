package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"chatdojo/scenarios"
	"chatdojo/scenarios/library"
	"chatdojo/simulator"
)

const practiceUsage = `
Usage: chatdojo practice [--scenario ID|FILE] [--seed N]

Plays a scenario in the terminal in real time: type your reply and press Enter. The
customer types for a moment before answering, chases you when you are silent, and may
walk away. Commands: /status shows the customer's mood and the issues, /end ends the
session, /help lists the commands. Without --scenario you pick one from the library.
`

// typedLine is a line the trainee typed, or the end of the input.
type typedLine struct {
	text string
	eof  bool
	err  error
}

func (e *env) practice(ctx context.Context, args []string) error {
	fl := flag.NewFlagSet("practice", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	scenarioArg := fl.String("scenario", "", "a library scenario `ID`, or a scenario FILE; asked for when missing")
	seed := fl.Int64("seed", 0, "the seed that picks the customer's lines (0: a random one, printed so the session can be replayed)")
	fl.Usage = func() { flagUsage(e.stderr, practiceUsage, fl) }
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return reported(2)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lines := make(chan typedLine)
	go readLines(ctx, e, lines)

	var sc *scenarios.Scenario
	var err error
	if *scenarioArg != "" {
		sc, err = e.loadScenario(*scenarioArg)
	} else {
		sc, err = e.chooseScenario(ctx, lines)
	}
	if err != nil || sc == nil {
		return err
	}
	if *seed == 0 {
		*seed = rand.Int64N(1_000_000) + 1
	}
	return e.play(ctx, sc, *seed, lines)
}

// readLines sends each line of standard input, then eof.
func readLines(ctx context.Context, e *env, out chan<- typedLine) {
	sc := bufio.NewScanner(e.stdin)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		select {
		case out <- typedLine{text: sc.Text()}:
		case <-ctx.Done():
			return
		}
	}
	select {
	case out <- typedLine{eof: true, err: sc.Err()}:
	case <-ctx.Done():
	}
}

// chooseScenario lists the library and reads the trainee's pick.
func (e *env) chooseScenario(ctx context.Context, lines <-chan typedLine) (*scenarios.Scenario, error) {
	cat, err := library.Load()
	if err != nil {
		return nil, fmt.Errorf("load the built-in library: %w", err)
	}
	all := cat.All()
	fmt.Fprintln(e.stdout, "Scenarios:")
	for i, sc := range all {
		fmt.Fprintf(e.stdout, "  %2d. %-28s %-7s %s  %s\n", i+1, sc.ID, sc.Channel, strings.Repeat("★", sc.Difficulty)+strings.Repeat("☆", 5-sc.Difficulty), sc.Title)
	}
	for {
		fmt.Fprintf(e.stdout, "Pick a scenario (1-%d or its id): ", len(all))
		var l typedLine
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case l = <-lines:
		}
		if l.eof {
			fmt.Fprintln(e.stdout)
			return nil, usageErrorf("no scenario chosen")
		}
		pick := strings.TrimSpace(l.text)
		if n, err := strconv.Atoi(pick); err == nil && n >= 1 && n <= len(all) {
			return all[n-1], nil
		}
		if sc, err := cat.FindScenarioByID(pick); err == nil {
			return sc, nil
		}
		fmt.Fprintf(e.stdout, "There is no scenario %q.\n", pick)
	}
}

// play runs one session in real time until it ends, the trainee ends it, or the input
// closes.
func (e *env) play(ctx context.Context, sc *scenarios.Scenario, seed int64, lines <-chan typedLine) error {
	name := sc.Persona.Name
	fmt.Fprintf(e.stdout, "\n%s — %s · difficulty %d · seed %d\n", sc.Title, sc.Channel, sc.Difficulty, seed)
	fmt.Fprintf(e.stdout, "You are the support agent; %s is the customer. /help lists the commands.\n\n", name)
	s, err := simulator.New(ctx, sc, simulator.Options{Seed: seed, Start: e.now()})
	if err != nil {
		return fmt.Errorf("start the session: %w", err)
	}
	if err := e.show(ctx, name, s.Transcript().Messages, false); err != nil {
		return err
	}
	for !s.Ended() {
		deadline, _ := s.NextDeadline()
		timer := time.NewTimer(max(deadline.Sub(e.now()), 0))
		var l typedLine
		fired := false
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
			fired = true
		case l = <-lines:
			timer.Stop()
		}
		if fired {
			msgs, err := s.Advance(ctx, e.now())
			if err != nil {
				return err
			}
			if err := e.show(ctx, name, msgs, true); err != nil {
				return err
			}
			continue
		}
		if l.eof {
			msgs, err := s.End(ctx, e.now())
			if err != nil {
				return err
			}
			if err := e.show(ctx, name, msgs, false); err != nil {
				return err
			}
			break
		}
		text := strings.TrimSpace(l.text)
		switch {
		case text == "":
			continue
		case text == "/help":
			fmt.Fprintln(e.stdout, "  /status  the customer's mood and the issues\n  /end     end the session now\n  /help    this list")
			continue
		case text == "/status":
			e.status(s)
			continue
		case text == "/end" || text == "/quit":
			msgs, err := s.End(ctx, e.now())
			if err != nil {
				return err
			}
			if err := e.show(ctx, name, msgs, false); err != nil {
				return err
			}
			continue
		case !utf8.ValidString(text):
			fmt.Fprintln(e.stdout, "  (that line is not valid UTF-8 text; type it again)")
			continue
		}
		msgs, err := s.Reply(ctx, e.now(), text)
		if err != nil && scenarios.ErrorCode(err) != scenarios.ECONFLICT {
			return err
		}
		if err := e.show(ctx, name, msgs, true); err != nil {
			return err
		}
	}
	e.summary(sc, s)
	return nil
}

// show prints customer messages, after a typing pause when typed is true.
func (e *env) show(ctx context.Context, name string, msgs []scenarios.Message, typed bool) error {
	for _, m := range msgs {
		if m.Role != scenarios.RoleCustomer {
			continue
		}
		if typed && e.typing > 0 {
			fmt.Fprintf(e.stdout, "  %s is typing…\n", name)
			if err := e.sleep(ctx, typingDelay(m.Text, e.typing)); err != nil {
				return err
			}
		}
		fmt.Fprintf(e.stdout, "%s: %s\n", name, m.Text)
	}
	return nil
}

// typingDelay is how long a person takes to type text: about 40 ms a character, at least
// 0.8 s and at most 4 s, scaled.
func typingDelay(text string, scale float64) time.Duration {
	d := time.Duration(utf8.RuneCountInString(text)) * 40 * time.Millisecond
	d = min(max(d, 800*time.Millisecond), 4*time.Second)
	return time.Duration(float64(d) * scale)
}

func (e *env) status(s *simulator.Session) {
	fmt.Fprintf(e.stdout, "  mood %d/100 (walks away at %d)\n", s.Mood(), s.Scenario().Persona.WalkAway)
	for _, is := range s.Issues() {
		state := "not raised yet"
		switch {
		case is.Resolved:
			state = "resolved"
		case is.Active:
			state = "open"
		}
		fmt.Fprintf(e.stdout, "  issue %s: %s\n", is.ID, state)
	}
}

func (e *env) summary(sc *scenarios.Scenario, s *simulator.Session) {
	tr := s.Transcript()
	fmt.Fprintf(e.stdout, "\nSession over: %s.\n", describeOutcome(tr.Outcome, sc.Persona.Name))
	for _, is := range s.Issues() {
		mark := "✗"
		if is.Resolved {
			mark = "✓"
		}
		line := fmt.Sprintf("  %s %s: %s", mark, is.ID, is.Summary)
		if !is.Resolved && is.Active && len(is.Missing) > 0 {
			line += " (still needed: " + joinMoves(is.Missing) + ")"
		}
		if !is.Active {
			line += " (never raised)"
		}
		fmt.Fprintln(e.stdout, line)
	}
	fmt.Fprintf(e.stdout, "  Mood: %d → %d.\n", sc.Persona.Mood, s.Mood())
}

func describeOutcome(o scenarios.Outcome, name string) string {
	switch o {
	case scenarios.OutcomeResolved:
		return "resolved — every issue was fixed"
	case scenarios.OutcomeWalkedAway:
		return name + " walked away"
	case scenarios.OutcomeTimedOut:
		return "the time limit ran out"
	}
	return "ended unresolved"
}

func joinMoves(ms []scenarios.Move) string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = string(m)
	}
	return strings.Join(s, ", ")
}
