package scenarios

import (
	"fmt"
	"slices"
	"strings"
)

// check runs the checks that need the whole file: issues named in sections, reveal
// chains, duplicate sections, the model block against the mode.
func (p *parser) check() {
	sc := p.sc
	ids := map[string]bool{}
	var idList []string
	for _, is := range sc.Issues {
		if is.ID != "" && !ids[is.ID] {
			ids[is.ID] = true
			idList = append(idList, is.ID)
		}
	}
	expectIssue := "expected one of the issue ids: " + strings.Join(idList, ", ")
	if len(idList) == 0 {
		expectIssue = "expected an issue id declared under issues"
	}

	// Reveals: known issue, not itself, no cycle.
	after := map[string]string{}
	for i, is := range sc.Issues {
		if is.RevealAfter == "" {
			continue
		}
		field := fmt.Sprintf("issues[%d].reveal", i)
		switch {
		case is.RevealAfter == is.ID:
			p.errorf(is.Line, field, "issue %q is revealed after itself, expected another issue's id", is.ID)
		case !ids[is.RevealAfter]:
			p.errorf(is.Line, field, "unknown issue %q, %s", is.RevealAfter, expectIssue)
		default:
			after[is.ID] = is.RevealAfter
		}
	}
	reported := map[string]bool{}
	for i, is := range sc.Issues {
		if _, ok := after[is.ID]; !ok || reported[is.ID] {
			continue
		}
		// Follow the chain; a cycle comes back to an issue already on it.
		path := []string{is.ID}
		on := map[string]bool{is.ID: true}
		for cur := after[is.ID]; cur != ""; cur = after[cur] {
			if on[cur] {
				cycle := append(path[slices.Index(path, cur):], cur)
				for _, c := range cycle {
					reported[c] = true
				}
				p.errorf(is.Line, fmt.Sprintf("issues[%d].reveal", i), "reveal cycle %s, expected every issue to be reachable from one active at the opening", strings.Join(cycle, " -> "))
				break
			}
			on[cur] = true
			path = append(path, cur)
		}
	}
	revealed := 0
	for _, is := range sc.Issues {
		if is.RevealAfter != "" {
			revealed++
		}
	}
	if len(sc.Issues) > 0 && revealed == len(sc.Issues) {
		p.errorf(p.issuesLine, "issues", "every issue has a reveal, expected at least one issue active from the opening")
	}

	// Sections.
	if sc.Opening.Line == 0 {
		p.errorf(p.bodyStart, "Opening", "missing, expected a ## Opening section with the customer's first message")
	} else if len(sc.Opening.Lines) == 0 {
		p.errorf(sc.Opening.Line, "Opening", "no text, expected the customer's first message")
	}
	first := map[string]int{}
	moveFirst := map[Move]int{}
	hasOther := false
	for _, r := range sc.Reactions {
		key := string(r.Kind)
		switch r.Kind {
		case TriggerResolved:
			key += " " + r.Issue
			if !ids[r.Issue] {
				p.errorf(r.Line, "heading", "unknown issue %q in resolved, %s", r.Issue, expectIssue)
			}
		case TriggerMoodBelow:
			key += fmt.Sprint(" ", r.Below)
			if sc.Persona.Mood < r.Below {
				p.warnf(r.Line, "heading", "the start mood %d is already below %d, so this fires only after the mood has risen to %d and drops again", sc.Persona.Mood, r.Below, r.Below)
			}
			if len(r.Lines) == 0 {
				p.errorf(r.Line, "text", "no customer line, expected the message the customer sends when the mood drops below %d", r.Below)
			}
			if r.HasMood {
				p.errorf(r.MoodLine, "mood", "a mood delta in ## On mood below %d, expected none: the section reacts to the mood, it does not change it", r.Below)
			}
		case TriggerWalkAway:
			if r.HasMood {
				p.errorf(r.MoodLine, "mood", "a mood delta in ## On walk_away, expected none: the customer is leaving")
			}
		case TriggerOther:
			hasOther = true
			if len(r.Lines) == 0 {
				p.errorf(r.Line, "text", "no customer line, expected the neutral reply to a message no other section matches")
			}
		case TriggerMoves:
			for _, m := range r.Moves {
				if l, dup := moveFirst[m]; dup {
					p.warnf(r.Line, "heading", "%s is also in the section at line %d; both deltas add up and the first section's line is used", m, l)
				} else {
					moveFirst[m] = r.Line
				}
			}
			continue
		}
		if l, dup := first[key]; dup {
			p.errorf(r.Line, "heading", "duplicate section %q, first at line %d, expected each section once", r.Heading, l)
			continue
		}
		first[key] = r.Line
	}
	if !hasOther && sc.Opening.Line != 0 {
		p.warnf(sc.Opening.Line, "On other", "missing, a built-in neutral line answers messages no section matches; expected a ## On other section in the persona's voice")
	}
	// A revealed issue must be raised by the customer, which only the resolved line of
	// the issue before it can do.
	for i, is := range sc.Issues {
		if is.RevealAfter == "" || !ids[is.RevealAfter] {
			continue
		}
		if r := sc.Reaction(TriggerResolved, is.RevealAfter); r == nil || len(r.Lines) == 0 {
			p.warnf(is.Line, fmt.Sprintf("issues[%d].reveal", i), "the customer never raises %q, expected a ## On resolved %s section whose line brings it up", is.ID, is.RevealAfter)
		}
	}

	// Mode and model block.
	switch sc.Mode {
	case ModeModel, ModeHybrid:
		if sc.Model == nil {
			p.errorf(p.modeLine, "model", "missing for mode %s, expected a model block with at least a name", sc.Mode)
		} else if sc.Model.Name == "" {
			p.errorf(p.modelLine, "model.name", "missing, expected the Ollama model name, like llama3.2:3b")
		}
	default:
		if sc.Model != nil {
			p.warnf(p.modelLine, "model", "ignored in mode scripted, expected mode model or hybrid to use it")
		}
	}
}
