package simulator_test

import (
	"bytes"
	"context"
	"io/fs"
	"strconv"
	"testing"

	"chatdojo/grading/moves"
	"chatdojo/scenarios"
	"chatdojo/scenarios/library"
	"chatdojo/simulator"
)

// TestLibraryReferenceScripts plays both reference scripts of every built-in scenario:
// the good one must resolve every issue with the mood above the start, the poor one must
// not resolve.
func TestLibraryReferenceScripts(t *testing.T) {
	cat, err := library.Load()
	if err != nil {
		t.Fatal(err)
	}
	cls := moves.New()
	for _, sc := range cat.All() {
		t.Run(sc.ID, func(t *testing.T) {
			if sc.File != sc.ID+".md" {
				t.Errorf("file %s holds id %s, expected <id>.md", sc.File, sc.ID)
			}
			for _, kind := range []string{"good", "poor"} {
				name := sc.ID + "." + kind + ".txt"
				b, err := fs.ReadFile(library.FS(), name)
				if err != nil {
					t.Fatalf("missing reference script: %v", err)
				}
				script, diags := simulator.ParseScript(name, bytes.NewReader(b))
				if diags.HasErrors() || len(script) == 0 {
					t.Fatalf("%s: %v", name, diags)
				}
				res, err := simulator.Play(context.Background(), sc, simulator.Options{Seed: 1, Start: t0, Classifier: cls}, script)
				if err != nil {
					t.Fatal(err)
				}
				s := res.Session
				tr := s.Transcript()
				switch kind {
				case "good":
					if s.Outcome() != scenarios.OutcomeResolved || s.Mood() <= sc.Persona.Mood {
						t.Errorf("%s: outcome %s, mood %d -> %d; want resolved with the mood rising\n%s", name, s.Outcome(), sc.Persona.Mood, s.Mood(), describe(sc, s))
					}
					if len(res.Ignored) > 0 {
						t.Errorf("%s: %d line(s) after the session ended (line %d)", name, len(res.Ignored), res.Ignored[0].Line)
					}
				case "poor":
					if s.Outcome() == scenarios.OutcomeResolved {
						t.Errorf("%s: resolved, want walked_away, timed_out or unresolved\n%s", name, describe(sc, s))
					}
				}
				if len(tr.Messages) < 3 {
					t.Errorf("%s: only %d messages", name, len(tr.Messages))
				}
			}
		})
	}
}

// describe prints what went on, to make a failing reference script easy to fix.
func describe(sc *scenarios.Scenario, s *simulator.Session) string {
	var b bytes.Buffer
	tr := s.Transcript()
	for _, ev := range tr.Events {
		switch ev.Type {
		case scenarios.EventMessage:
			m := tr.Messages[*ev.Message]
			b.WriteString("  " + string(m.Role) + ": " + m.Text + "\n")
		case scenarios.EventMoves:
			b.WriteString("    moves:")
			for _, m := range ev.Moves {
				b.WriteString(" " + string(m))
			}
			b.WriteString("\n")
		case scenarios.EventMood:
			b.WriteString("    mood " + itoa(*ev.From) + " -> " + itoa(*ev.To) + "\n")
		case scenarios.EventResolved, scenarios.EventReveal, scenarios.EventSilence, scenarios.EventOutcome:
			b.WriteString("    " + string(ev.Type) + " " + ev.Issue + string(ev.Outcome) + "\n")
		}
	}
	for _, is := range s.Issues() {
		if !is.Resolved {
			b.WriteString("  issue " + is.ID + " still needs:")
			for _, m := range is.Missing {
				b.WriteString(" " + string(m))
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestLibraryCoverage checks the library spans what trainees need: 15+ scenarios,
// every channel, every difficulty, every persona kind, and multi-issue customers whose
// issues are revealed over time.
func TestLibraryCoverage(t *testing.T) {
	cat, err := library.Load()
	if err != nil {
		t.Fatal(err)
	}
	all := cat.All()
	if len(all) < 15 {
		t.Errorf("%d scenarios, want at least 15", len(all))
	}
	channels := map[scenarios.Channel]int{}
	difficulties := map[int]int{}
	traits := map[string]int{}
	revealing := 0
	for _, sc := range all {
		channels[sc.Channel]++
		difficulties[sc.Difficulty]++
		for _, tr := range sc.Persona.Traits {
			traits[tr]++
		}
		for _, is := range sc.Issues {
			if is.RevealAfter != "" {
				revealing++
				break
			}
		}
	}
	for _, c := range []scenarios.Channel{scenarios.ChannelChat, scenarios.ChannelEmail, scenarios.ChannelSocial} {
		if channels[c] == 0 {
			t.Errorf("no %s scenario", c)
		}
	}
	for d := 1; d <= 5; d++ {
		if difficulties[d] == 0 {
			t.Errorf("no scenario of difficulty %d", d)
		}
	}
	for _, tr := range []string{"frustrated", "confused", "impatient", "anxious", "polite", "persistent"} {
		if traits[tr] == 0 {
			t.Errorf("no persona with trait %s", tr)
		}
	}
	if revealing < 2 {
		t.Errorf("%d multi-issue scenarios with issues revealed over time, want at least 2", revealing)
	}
}
