package grading

import (
	"fmt"
	"strings"
	"time"

	"chatdojo/grading/moves"
	"chatdojo/scenarios"
)

// negativeAdvice says, for each move that hurts, what it does and what to do instead.
var negativeAdvice = [...]struct {
	m      scenarios.Move
	bit    moveSet
	advice string
}{
	{scenarios.MoveBlameCustomer, bitBlameCustomer, "puts the blame on the customer; own the problem instead (\"Let me put this right for you.\")"},
	{scenarios.MoveDismiss, bitDismiss, "brushes the customer's feeling aside; name it instead (\"I can see why this is frustrating.\")"},
	{scenarios.MoveRude, bitRude, "comes across as curt or sarcastic; stay neutral and say what you will do next"},
	{scenarios.MoveShouting, bitShouting, "reads as shouting; write in normal case, calmly"},
	{scenarios.MovePolicyWall, bitPolicyWall, "hides behind policy; say what you can do, or who can"},
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
	// say quotes the sentence of the reply around ev and adds rest, in one allocation.
	say := func(ev, rest string) string {
		return `"` + quote(around(reply, ev)) + `"` + rest
	}
	for _, n := range negativeAdvice {
		if mv.has(n.bit) {
			return say(evidence(n.m), " "+n.advice+".")
		}
	}
	if repeats > 0 && len(r.formulas) > 0 {
		return fmt.Sprintf("\"%s\" was said %s before in this conversation, so it sounds scripted; say what you understood about this customer instead.", quote(around(reply, r.formulas[0])), times(repeats))
	}
	if repeatAsk {
		ask := evidence(scenarios.MoveVerifyIdentity)
		if ask == "" {
			ask = evidence(scenarios.MoveAskQuestion)
		}
		return say(ask, " asks for something the customer already gave; read back what they wrote and confirm it instead.")
	}
	if timing != nil && *timing < 50 {
		return fmt.Sprintf("\"%s\" came %s after the customer wrote; send a short holding line (\"Let me check that for you.\") much sooner.", quote(around(reply, "")), roundDuration(rt))
	}
	upset := mood < 40
	if upset && m.EmotionalReaction == 0 && m.Interpretation == 0 && mv == 1<<uint(scenarios.MoveGreet.Rank()) {
		return say("", " greets the customer, but they are upset: acknowledge how they feel in the same message (\"I'm sorry this happened, let's sort it out.\").")
	}
	if upset && m.EmotionalReaction == 0 && m.Interpretation == 0 {
		return say("", " goes straight to the task while the customer is upset; acknowledge how they feel first (\"I'm sorry, I can see how stressful this is.\").")
	}
	if mv.has(bitOfferSolution) && !mv.has(bitSetExpectation) {
		return say(evidence(scenarios.MoveOfferSolution), " offers a fix; also say when it will happen and what the customer will see (\"within 3 working days\").")
	}
	if m.EmotionalReaction == 1 && len(r.formulas) > 0 && m.Interpretation < 2 {
		return say(r.formulas[0], " is a stock phrase; tie it to what happened to this customer (\"being charged twice before rent is stressful\").")
	}
	if mv.has(bitHold) && !mv.has(bitSetExpectation) {
		return say(evidence(scenarios.MoveHold), " asks the customer to wait; say how long (\"about two minutes\").")
	}
	if m.Interpretation == 2 {
		return say(r.in, " shows you understood this customer's situation; keep doing that.")
	}
	if m.EmotionalReaction == 2 {
		return say(r.er, " names how the customer feels about what happened; keep doing that.")
	}
	if m.Exploration == 2 {
		return say(r.ex, " asks about the customer, not just the case; good.")
	}
	if mv.has(bitTakeOwnership) {
		return say(evidence(scenarios.MoveTakeOwnership), " owns the problem, which calms people down; good.")
	}
	if mv.has(bitSetExpectation) {
		return say(evidence(scenarios.MoveSetExpectation), " tells the customer what happens next and when; good.")
	}
	if mv.has(bitVerifyIdentity) {
		return say(evidence(scenarios.MoveVerifyIdentity), " asks for details; say why you need them (\"so I can find the payment\") so it does not feel like a hurdle.")
	}
	if len(matches) == 0 {
		return say("", " does not move the conversation on; ask a question, explain, or offer a next step.")
	}
	return say("", " is fine; tie it to what the customer said to make it feel personal.")
}

// around widens a piece of evidence to the sentence of the reply that holds it, so the
// quote reads as the agent wrote it; with no evidence it is the reply's first sentence.
func around(reply, ev string) string {
	if ev == "" {
		return firstSentence(reply)
	}
	i := strings.Index(reply, ev)
	if i < 0 || len(ev) >= 40 {
		return ev
	}
	start := i
	for start > 0 && (!maybeSentenceEnd[reply[start-1]] || !isSentenceEnd(reply, start-1)) {
		start--
	}
	end := i + len(ev)
	for end < len(reply) && (!maybeSentenceEnd[reply[end]] || !isSentenceEnd(reply, end)) {
		end++
	}
	if end < len(reply) {
		end++
	}
	return strings.TrimSpace(reply[start:end])
}

// maybeSentenceEnd marks the bytes isSentenceEnd may say yes to: a table look-up
// spares the test on every other byte.
var maybeSentenceEnd = [256]bool{'?': true, '!': true, '\n': true, '.': true}

// isSentenceEnd reports whether s[i] ends a sentence; the dot of "£49.99" does not.
func isSentenceEnd(s string, i int) bool {
	switch s[i] {
	case '?', '!', '\n':
		return true
	case '.':
		return i+1 >= len(s) || s[i+1] < '0' || s[i+1] > '9'
	}
	return false
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
