package grading

import (
	"fmt"
	"time"

	"chatdojo/grading/moves"
	"chatdojo/scenarios"
)

// negativeAdvice says, for each move that hurts, what it does and what to do instead.
var negativeAdvice = [...]struct {
	m      scenarios.Move
	advice string
}{
	{scenarios.MoveBlameCustomer, "puts the blame on the customer; own the problem instead (\"Let me put this right for you.\")"},
	{scenarios.MoveDismiss, "brushes the customer's feeling aside; name it instead (\"I can see why this is frustrating.\")"},
	{scenarios.MoveRude, "comes across as curt or sarcastic; stay neutral and say what you will do next"},
	{scenarios.MoveShouting, "reads as shouting; write in normal case, calmly"},
	{scenarios.MovePolicyWall, "hides behind policy; say what you can do, or who can"},
}

// feedback writes one line about a turn that quotes the agent's own words and says
// concretely what would have been better (or what worked, when it did).
func (g *Grader) feedback(reply string, matches []moves.Match, mv moveSet, r mechanismResult, m Mechanisms, mood, repeats int, repeatAsk bool, timing *int, rt time.Duration, customer string) string {
	evidence := func(move scenarios.Move) string {
		for _, x := range matches {
			if x.Move == move && len(x.Evidence) > 0 {
				return x.Evidence[0]
			}
		}
		return ""
	}
	q := func(s string) string {
		if s == "" {
			s = firstSentence(reply)
		}
		return `"` + quote(s) + `"`
	}
	for _, n := range negativeAdvice {
		if mv.has(n.m) {
			return q(evidence(n.m)) + " " + n.advice + "."
		}
	}
	if repeats > 0 && len(r.formulas) > 0 {
		return fmt.Sprintf("%s was said %s before in this conversation, so it sounds scripted; say what you understood about this customer instead.", q(r.formulas[0]), times(repeats))
	}
	if repeatAsk {
		ask := evidence(scenarios.MoveVerifyIdentity)
		if ask == "" {
			ask = evidence(scenarios.MoveAskQuestion)
		}
		return q(ask) + " asks for something the customer already gave; read back what they wrote and confirm it instead."
	}
	if timing != nil && *timing < 50 {
		return fmt.Sprintf("%s came %s after the customer wrote; send a short holding line (\"Let me check that for you.\") much sooner.", q(""), roundDuration(rt))
	}
	upset := mood < 40
	if upset && m.EmotionalReaction == 0 && m.Interpretation == 0 {
		return q("") + " goes straight to the task while the customer is upset; acknowledge how they feel first (\"I'm sorry, I can see how stressful this is.\")."
	}
	if mv.has(scenarios.MoveOfferSolution) && !mv.has(scenarios.MoveSetExpectation) {
		return q(evidence(scenarios.MoveOfferSolution)) + " offers a fix; also say when it will happen and what the customer will see (\"within 3 working days\")."
	}
	if m.EmotionalReaction == 1 && len(r.formulas) > 0 && m.Interpretation < 2 {
		return q(r.formulas[0]) + " is a stock phrase; tie it to what happened to this customer (\"being charged twice before rent is stressful\")."
	}
	if mv.has(scenarios.MoveHold) && !mv.has(scenarios.MoveSetExpectation) {
		return q(evidence(scenarios.MoveHold)) + " asks the customer to wait; say how long (\"about two minutes\")."
	}
	if m.EmotionalReaction == 2 || m.Interpretation == 2 {
		ev := r.er
		if ev == "" {
			ev = r.in
		}
		return q(ev) + " shows you understood this customer's situation; keep doing that."
	}
	if m.Exploration == 2 {
		return q(r.ex) + " asks about the customer, not just the case; good."
	}
	if mv.has(scenarios.MoveSetExpectation) || mv.has(scenarios.MoveTakeOwnership) {
		ev := evidence(scenarios.MoveTakeOwnership)
		if ev == "" {
			ev = evidence(scenarios.MoveSetExpectation)
		}
		return q(ev) + " tells the customer what happens next; good. Acknowledging how they feel would make it stronger."
	}
	if len(matches) == 0 {
		return q("") + " does not move the conversation on; ask a question, explain, or offer a next step."
	}
	return q("") + " is fine; tie it to what the customer said to make it feel personal."
}

func firstSentence(s string) string {
	for i := 0; i < len(s); i++ {
		if (s[i] == '.' || s[i] == '?' || s[i] == '!' || s[i] == '\n') && i > 10 {
			return s[:i+1]
		}
	}
	return s
}

func times(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return fmt.Sprintf("%d times", n)
}

func roundDuration(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d.Seconds()))
	}
	return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
}
