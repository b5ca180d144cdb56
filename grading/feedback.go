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
	{scenarios.MoveBlameCustomer, bitBlameCustomer, " puts the blame on the customer; own the problem instead (\"Let me put this right for you.\")."},
	{scenarios.MoveDismiss, bitDismiss, " brushes the customer's feeling aside; name it instead (\"I can see why this is frustrating.\")."},
	{scenarios.MoveRude, bitRude, " comes across as curt or sarcastic; stay neutral and say what you will do next."},
	{scenarios.MoveShouting, bitShouting, " reads as shouting; write in normal case, calmly."},
	{scenarios.MovePolicyWall, bitPolicyWall, " hides behind policy; say what you can do, or who can."},
}

var (
	// hurts holds the moves of negativeAdvice.
	hurts = bitBlameCustomer | bitDismiss | bitRude | bitShouting | bitPolicyWall
	// greetOnly is the moves of a reply that only greets.
	greetOnly = moveBit(scenarios.MoveGreet)
)

// feedback writes one line about a turn that quotes the agent's own words and says
// concretely what would have been better (or what worked, when it did).
//
// Most lines quote the sentence of the reply around some evidence and add a remark:
// the rules choose the two, and say writes the line once, below them.
func (g *Grader) feedback(reply string, matches []moves.Match, mv moveSet, r *mechanismResult, m Mechanisms, mood, repeats int, repeatAsk bool, timing *int, rt time.Duration, customer string) string {
	var ev, remark string
	upset := mood < 40
	switch {
	case mv.has(hurts):
		for _, n := range negativeAdvice {
			if mv.has(n.bit) {
				ev, remark = evidenceOf(matches, n.m), n.advice
				break
			}
		}
	case repeats > 0 && len(r.formulas) > 0:
		return repeatedFeedback(reply, r.formulas[0], repeats)
	case repeatAsk:
		ev = evidenceOf(matches, scenarios.MoveVerifyIdentity)
		if ev == "" {
			ev = evidenceOf(matches, scenarios.MoveAskQuestion)
		}
		remark = " asks for something the customer already gave; read back what they wrote and confirm it instead."
	case timing != nil && *timing < 50:
		return slowFeedback(reply, rt)
	case upset && m.EmotionalReaction == 0 && m.Interpretation == 0 && mv == greetOnly:
		remark = " greets the customer, but they are upset: acknowledge how they feel in the same message (\"I'm sorry this happened, let's sort it out.\")."
	case upset && m.EmotionalReaction == 0 && m.Interpretation == 0:
		remark = " goes straight to the task while the customer is upset; acknowledge how they feel first (\"I'm sorry, I can see how stressful this is.\")."
	case mv.has(bitOfferSolution) && !mv.has(bitSetExpectation):
		ev, remark = evidenceOf(matches, scenarios.MoveOfferSolution), " offers a fix; also say when it will happen and what the customer will see (\"within 3 working days\")."
	case m.EmotionalReaction == 1 && len(r.formulas) > 0 && m.Interpretation < 2:
		ev, remark = r.formulas[0], " is a stock phrase; tie it to what happened to this customer (\"being charged twice before rent is stressful\")."
	case mv.has(bitHold) && !mv.has(bitSetExpectation):
		ev, remark = evidenceOf(matches, scenarios.MoveHold), " asks the customer to wait; say how long (\"about two minutes\")."
	case m.Interpretation == 2:
		ev, remark = r.in, " shows you understood this customer's situation; keep doing that."
	case m.EmotionalReaction == 2:
		ev, remark = r.er, " names how the customer feels about what happened; keep doing that."
	case m.Exploration == 2:
		ev, remark = r.ex, " asks about the customer, not just the case; good."
	case mv.has(bitTakeOwnership):
		ev, remark = evidenceOf(matches, scenarios.MoveTakeOwnership), " owns the problem, which calms people down; good."
	case mv.has(bitSetExpectation):
		ev, remark = evidenceOf(matches, scenarios.MoveSetExpectation), " tells the customer what happens next and when; good."
	case mv.has(bitVerifyIdentity):
		ev, remark = evidenceOf(matches, scenarios.MoveVerifyIdentity), " asks for details; say why you need them (\"so I can find the payment\") so it does not feel like a hurdle."
	case len(matches) == 0:
		remark = " does not move the conversation on; ask a question, explain, or offer a next step."
	default:
		remark = " is fine; tie it to what the customer said to make it feel personal."
	}
	return say(reply, ev, remark)
}

// say quotes the sentence of reply around ev and adds remark, in one allocation: a
// Builder grown to size, which is cheaper than the runtime's general concatenation.
func say(reply, ev, remark string) string {
	q, cut := quoted(around(reply, ev))
	var b strings.Builder
	b.Grow(len(q) + len(cut) + len(remark) + 2)
	b.WriteByte('"')
	b.WriteString(q)
	b.WriteString(cut)
	b.WriteByte('"')
	b.WriteString(remark)
	return b.String()
}

// evidenceOf is the first piece of evidence for move, or "".
func evidenceOf(matches []moves.Match, move scenarios.Move) string {
	for _, x := range matches {
		if x.Move == move && len(x.Evidence) > 0 {
			return x.Evidence[0]
		}
	}
	return ""
}

//go:noinline
func repeatedFeedback(reply, formula string, repeats int) string {
	return fmt.Sprintf("\"%s\" was said %s before in this conversation, so it sounds scripted; say what you understood about this customer instead.", quote(around(reply, formula)), times(repeats))
}

//go:noinline
func slowFeedback(reply string, rt time.Duration) string {
	return fmt.Sprintf("\"%s\" came %s after the customer wrote; send a short holding line (\"Let me check that for you.\") much sooner.", quote(around(reply, "")), roundDuration(rt))
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

// firstSentence is s up to the first end of a sentence after its first eleven bytes,
// or all of s.
func firstSentence(s string) string {
	for i := 11; i < len(s); i++ {
		if maybeSentenceEnd[s[i]] {
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
