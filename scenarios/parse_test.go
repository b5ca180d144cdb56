package scenarios_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"chatdojo/internal/golden"
	"chatdojo/scenarios"
)

// TestLintBroken lints every broken file in testdata/broken (together, so ids clash
// across files) and compares all diagnostics with testdata/broken/want.txt.
func TestLintBroken(t *testing.T) {
	paths, err := filepath.Glob("testdata/broken/*.md")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no broken files: %v", err)
	}
	sort.Strings(paths)
	var files []scenarios.File
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, scenarios.File{Name: filepath.ToSlash(p), Data: b})
	}
	list, diags := scenarios.ParseAll(files)
	var got strings.Builder
	for _, d := range diags {
		got.WriteString(d.String())
		got.WriteString("\n")
	}
	golden.Check(t, "testdata/broken/want.txt", []byte(got.String()))
	// Only dup-a.md is free of errors; dup-b.md repeats its id.
	var ok []string
	for _, sc := range list {
		ok = append(ok, sc.File)
	}
	if diff := cmp.Diff([]string{"testdata/broken/dup-a.md"}, ok); diff != "" {
		t.Errorf("files without errors (-want +got):\n%s", diff)
	}
}

// TestLintMessages checks the diagnostics each kind of problem must produce, by file,
// line and field, independently of the golden file's wording.
func TestLintMessages(t *testing.T) {
	tests := []struct {
		file string
		want []string // "line: field: start of message"
	}{
		{"unknown-things.md", []string{
			"9: persona.colour: unknown key, expected one of name, traits, mood, patience, walk_away",
			`10: persona.patience: bad duration "90 seconds"`,
			`12: timing.reply: "-2m" is not above zero`,
			`16: issues[0].needs: unknown move "offer_refund"`,
			`14: issues[0].reveal: unknown issue "invoice"`,
			"18: deadline: unknown key",
			`24: heading: unknown move "apologise", expected a move of docs/moves.md (did you mean apologize?)`,
			`28: heading: unknown issue "shipping" in resolved, expected one of the issue ids: refund`,
		}},
		{"out-of-range.md", []string{
			`2: id: "Out_Of_Range" is not a valid id`,
			`4: channel: unknown channel "fax", expected chat, email or social`,
			"5: difficulty: 7 is out of range, expected a whole number 1..5",
			"9: persona.mood: 150 is out of range, expected a whole number 0..100",
			`15: issues[1].id: duplicate id "refund", first at line 12`,
			"17: issues[1].needs: empty",
			"24: mood: 250 is out of range, expected a delta from -100 to +100",
			`28: mood: "minus ten" is not a whole number`,
			`31: heading: mood below "0" is not a mood`,
		}},
		{"cycle.md", []string{
			"27: Opening: missing",
			"10: issues[0].reveal: reveal cycle first -> third -> second -> first",
			"22: issues[3].reveal: issue \"self\" is revealed after itself",
			"10: issues: every issue has a reveal",
			`37: heading: duplicate section "On silence", first at line 34`,
		}},
		{"no-front-matter.md", []string{"1: front matter: missing"}},
		{"bad-yaml.md", []string{"3: front matter: mapping values are not allowed in this context, expected valid YAML"}},
		{"body-shapes.md", []string{
			"9: persona.walk_away: 60 is at or above the start mood 60",
			"17: mood: a mood delta in ## Opening",
			`20: text: section "On explain" has both a paragraph and a list`,
			`26: heading: unknown section "Introduction"`,
			`29: heading: "silence" cannot be combined with moves`,
			"32: heading: level 3 heading",
			"36: mood: a mood delta in ## On walk_away",
			"40: mood: a mood delta in ## On mood below 30",
			"39: text: no customer line",
			"43: text: unexpected code block",
		}},
		{"dup-b.md", []string{`2: id: duplicate id "same-id", first in testdata/broken/dup-a.md`}},
	}
	var files []scenarios.File
	for _, name := range []string{"dup-a.md", "dup-b.md"} {
		b, _ := os.ReadFile("testdata/broken/" + name)
		files = append(files, scenarios.File{Name: "testdata/broken/" + name, Data: b})
	}
	_, dupDiags := scenarios.ParseAll(files)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			name := "testdata/broken/" + tt.file
			var diags scenarios.Diagnostics
			if tt.file == "dup-b.md" {
				diags = dupDiags
			} else {
				b, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				_, diags = scenarios.Parse(name, b)
			}
			for _, w := range tt.want {
				prefix := name + ":" + w
				found := false
				for _, d := range diags {
					if !d.Warning && strings.HasPrefix(d.String(), prefix) {
						found = true
					}
				}
				if !found {
					t.Errorf("no error %q; got:\n%s", prefix, joinDiags(diags))
				}
			}
			if !diags.HasErrors() {
				t.Errorf("no errors at all")
			}
		})
	}
}

func joinDiags(ds scenarios.Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString("  " + d.String() + "\n")
	}
	return b.String()
}

const example = `---
id: double-charge
title: Charged twice and ready to cancel
channel: chat
difficulty: 3
mode: scripted
persona:
  name: Dana
  traits: [frustrated, Impatient]
  mood: 20
  patience: 90s
  walk_away: 5
timing:
  first_response: 60s
  reply: 2m
  limit: 15m
rubric:
  empathy: 40
  timing: 10
issues:
  - id: refund
    summary: Charged twice for the March invoice
    needs: [verify_identity, offer_solution]
  - id: cancel
    summary: Wants to cancel unless it is fixed today
    reveal: after refund
    needs: [set_expectation]
---

# Dana, charged twice

## Opening
I've been charged TWICE this month. Fix it now.

## On apologize, acknowledge_emotion
mood: +10
- Fine. Sorry doesn't give me my money back.
- OK. So what are you going to do about it?

## On blame_customer
mood: -25
Excuse me? I did nothing wrong.

## On silence
- Hello?? Is anyone there?

## On resolved refund
- Finally. Thank you.
  But I still want to cancel.

## On mood below 10
- I'm one message away from leaving.

## On other
OK.
`

func TestParseExample(t *testing.T) {
	sc, diags := scenarios.Parse("double-charge.md", []byte(example))
	if diags.HasErrors() || len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	want := &scenarios.Scenario{
		ID: "double-charge", Title: "Charged twice and ready to cancel", Channel: scenarios.ChannelChat,
		Difficulty: 3, Mode: scenarios.ModeScripted,
		Persona: scenarios.Persona{Name: "Dana", Traits: []string{"frustrated", "impatient"}, Mood: 20, Patience: 90 * time.Second, WalkAway: 5},
		Timing:  scenarios.Timing{FirstResponse: time.Minute, Reply: 2 * time.Minute, Limit: 15 * time.Minute},
		Rubric:  scenarios.Rubric{Empathy: 40, DeEscalation: 30, Timing: 10, Resolution: 25},
		Issues: []scenarios.Issue{
			{ID: "refund", Summary: "Charged twice for the March invoice", Needs: []scenarios.Move{"verify_identity", "offer_solution"}, Line: 21},
			{ID: "cancel", Summary: "Wants to cancel unless it is fixed today", Needs: []scenarios.Move{"set_expectation"}, RevealAfter: "refund", Line: 24},
		},
		Opening: scenarios.Reaction{Kind: scenarios.TriggerOpening, Heading: "Opening", Line: 32, Lines: []string{"I've been charged TWICE this month. Fix it now."}},
		Reactions: []scenarios.Reaction{
			{Kind: scenarios.TriggerMoves, Moves: []scenarios.Move{"apologize", "acknowledge_emotion"}, Mood: 10, HasMood: true, MoodLine: 36, Heading: "On apologize, acknowledge_emotion", Line: 35,
				Lines: []string{"Fine. Sorry doesn't give me my money back.", "OK. So what are you going to do about it?"}},
			{Kind: scenarios.TriggerMoves, Moves: []scenarios.Move{"blame_customer"}, Mood: -25, HasMood: true, MoodLine: 41, Heading: "On blame_customer", Line: 40,
				Lines: []string{"Excuse me? I did nothing wrong."}},
			{Kind: scenarios.TriggerSilence, Heading: "On silence", Line: 44, Lines: []string{"Hello?? Is anyone there?"}},
			{Kind: scenarios.TriggerResolved, Issue: "refund", Heading: "On resolved refund", Line: 47, Lines: []string{"Finally. Thank you.\nBut I still want to cancel."}},
			{Kind: scenarios.TriggerMoodBelow, Below: 10, Heading: "On mood below 10", Line: 51, Lines: []string{"I'm one message away from leaving."}},
			{Kind: scenarios.TriggerOther, Heading: "On other", Line: 54, Lines: []string{"OK."}},
		},
		File: "double-charge.md",
	}
	sc.Hash = ""
	if diff := cmp.Diff(want, sc); diff != "" {
		t.Errorf("scenario (-want +got):\n%s", diff)
	}
}

func TestParseDefaultsAndWarnings(t *testing.T) {
	src := "---\nid: tiny\ntitle: Tiny\ndifficulty: 1\nmode: hybrid\npersona:\n  name: Jo\nissues:\n  - id: a\n    summary: A\n    needs: [greet]\n  - id: b\n    summary: B\n    needs: [close]\n    reveal: after a\nmodel:\n  name: llama3.2:3b\n  temperature: 0.5\n  facts:\n    card: Visa 4411\n---\n## Opening\nHi.\n"
	sc, diags := scenarios.Parse("tiny.md", []byte(src))
	if diags.HasErrors() {
		t.Fatalf("errors: %v", diags.Errors())
	}
	if sc.Persona.Mood != scenarios.DefaultMood || sc.Persona.Patience != scenarios.DefaultPatience || sc.Timing.Limit != scenarios.DefaultLimit || sc.Rubric != scenarios.DefaultRubric || sc.Channel != scenarios.ChannelChat {
		t.Errorf("defaults not applied: %+v", sc)
	}
	if sc.Model == nil || sc.Model.Name != "llama3.2:3b" || *sc.Model.Temperature != 0.5 || len(sc.Model.Facts) != 1 || sc.Model.MaxChars != 600 {
		t.Errorf("model block: %+v", sc.Model)
	}
	var warnings []string
	for _, d := range diags.Warnings() {
		warnings = append(warnings, d.String())
	}
	want := []string{
		`tiny.md:12: warning: issues[1].reveal: the customer never raises "b", expected a ## On resolved a section whose line brings it up`,
		"tiny.md:22: warning: On other: missing, a built-in neutral line answers messages no section matches; expected a ## On other section in the persona's voice",
	}
	if diff := cmp.Diff(want, warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

func TestLoadReturnsInvalidError(t *testing.T) {
	_, err := scenarios.Load("x.md", []byte("nothing"))
	if scenarios.ErrorCode(err) != scenarios.EINVALID || !strings.Contains(err.Error(), "x.md:1: front matter: missing") {
		t.Fatalf("err = %v", err)
	}
}
