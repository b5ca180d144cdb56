package moves

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"chatdojo/scenarios"
)

// classifier is compiled once for the package's tests; it is immutable, so sharing it
// also exercises concurrent use under -race.
var classifier = sync.OnceValue(New)

func moves(ms ...scenarios.Move) []scenarios.Move { return ms }

const (
	greet     = scenarios.MoveGreet
	ack       = scenarios.MoveAcknowledgeEmotion
	apologize = scenarios.MoveApologize
	empathize = scenarios.MoveEmpathize
	ask       = scenarios.MoveAskQuestion
	verify    = scenarios.MoveVerifyIdentity
	ownership = scenarios.MoveTakeOwnership
	escalate  = scenarios.MoveEscalate
	explain   = scenarios.MoveExplain
	offer     = scenarios.MoveOfferSolution
	expect    = scenarios.MoveSetExpectation
	reassure  = scenarios.MoveReassure
	thank     = scenarios.MoveThank
	closing   = scenarios.MoveClose
	hold      = scenarios.MoveHold
	blame     = scenarios.MoveBlameCustomer
	dismiss   = scenarios.MoveDismiss
	policy    = scenarios.MovePolicyWall
	rude      = scenarios.MoveRude
	shouting  = scenarios.MoveShouting
)

type moveCase struct {
	text string
	want []scenarios.Move
}

// runMoves checks the moves of each text; the cases are written to differ from the lines
// of the labelled set, so that they test what the lexicons generalise to.
func runMoves(t *testing.T, cases []moveCase) {
	t.Helper()
	c := classifier()
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			got := c.Moves(tc.text)
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Moves(%q) mismatch (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

func TestEachMove(t *testing.T) {
	for _, group := range []struct {
		move  scenarios.Move
		cases []moveCase
	}{
		{greet, []moveCase{
			{"Hey Chris, you're chatting with Amir from the returns desk.", moves(greet)},
			{"Good afternoon, welcome to Parcelhub support.", moves(greet)},
			{"Hi, my name is Lena.", moves(greet)},
		}},
		{ack, []moveCase{
			{"I can tell how stressed you are about this.", moves(ack)},
			{"You must be so frustrated by now.", moves(ack)},
			{"I understand your concern.", moves(ack)},
		}},
		{apologize, []moveCase{
			{"I'm truly sorry for the trouble with your order.", moves(apologize)},
			{"Please accept our apologies for the late delivery.", moves(apologize)},
			{"Sorry about the wait!", moves(apologize)},
		}},
		{empathize, []moveCase{
			{"Nobody wants to deal with a broken heater in January.", moves(empathize)},
			{"I'd be frustrated too if I'd been passed around like that.", moves(empathize)},
			{"I know how much you were looking forward to this trip.", moves(empathize)},
		}},
		{ask, []moveCase{
			{"What model is the washing machine?", moves(ask)},
			{"When did you first notice the leak?", moves(ask)},
			{"Could you describe what happens when you press start?", moves(ask)},
		}},
		{verify, []moveCase{
			{"Can I take the postcode on the account, please?", moves(verify)},
			{"What's the email address you signed up with?", moves(verify)},
			{"Could you confirm your date of birth for me?", moves(verify)},
		}},
		{ownership, []moveCase{
			{"This is our fault, not yours, and I'll put it right.", moves(ownership, reassure)},
			{"Leave this with me.", moves(ownership)},
			{"I'll personally make sure it's sorted.", moves(ownership)},
		}},
		{escalate, []moveCase{
			{"I'm going to pass this on to our billing specialists.", moves(escalate)},
			{"Let me check with my supervisor.", moves(escalate)},
			{"I've escalated your complaint.", moves(escalate)},
		}},
		{explain, []moveCase{
			{"The payment failed because the card had expired.", moves(explain)},
			{"That happens when the app is out of date.", moves(explain)},
			{"The delay was caused by a backlog at the warehouse.", moves(explain)},
		}},
		{offer, []moveCase{
			{"I can send you a new charger free of charge.", moves(offer)},
			{"I've cancelled the duplicate order.", moves(offer)},
			{"Try turning the router off for a minute.", moves(offer)},
		}},
		{expect, []moveCase{
			{"You should receive the refund within 5 business days.", moves(expect)},
			{"The engineer will be with you between 8am and noon on Friday.", moves(expect)},
			{"I'll email you as soon as I hear back.", moves(expect)},
		}},
		{reassure, []moveCase{
			{"Don't worry, nothing has been lost.", moves(reassure)},
			{"Your card details are completely safe.", moves(reassure)},
			{"You won't be charged twice.", moves(reassure)},
		}},
		{thank, []moveCase{
			{"Thanks for bearing with me.", moves(thank)},
			{"Thank you for your patience.", moves(thank)},
			{"I really appreciate your help with the photos.", moves(thank)},
		}},
		{closing, []moveCase{
			{"Is there anything else I can do for you?", moves(closing)},
			{"Have a lovely weekend!", moves(closing)},
			{"Glad we could sort that out.", moves(closing)},
		}},
		{hold, []moveCase{
			{"One moment while I pull up your account.", moves(hold)},
			{"Let me have a look.", moves(hold)},
			{"Bear with me a sec.", moves(hold)},
		}},
		{blame, []moveCase{
			{"You must have typed the wrong postcode.", moves(blame)},
			{"You didn't read the instructions.", moves(blame)},
			{"If you'd checked the email you would have seen it.", moves(blame)},
		}},
		{dismiss, []moveCase{
			{"Calm down please.", moves(dismiss)},
			{"It's not a big deal at all.", moves(dismiss)},
			{"You're overreacting a bit here.", moves(dismiss)},
		}},
		{policy, []moveCase{
			{"That's company policy, I'm afraid.", moves(policy)},
			{"I'm not permitted to do that.", moves(policy)},
			{"There's nothing more I can do.", moves(policy)},
		}},
		{rude, []moveCase{
			{"Whatever.", moves(rude)},
			{"Like I said, read the FAQ.", moves(rude)},
			{"That's not my job.", moves(rude)},
		}},
		{shouting, []moveCase{
			{"YOU NEED TO RESTART IT.", moves(offer, shouting)},
			{"Stop!!", moves(shouting)},
			{"THIS IS NOT ACCEPTABLE", moves(shouting)},
		}},
	} {
		t.Run(string(group.move), func(t *testing.T) { runMoves(t, group.cases) })
	}
}

func TestNegation(t *testing.T) {
	runMoves(t, []moveCase{
		{"I'm not able to refund that.", nil},
		{"I cannot send a replacement.", nil},
		{"There's no way I can refund it.", nil},
		{"I won't be able to cancel it.", nil},
		{"I don't think we can replace it.", nil},
		{"I'm not sorry.", nil},
		// The negation belongs to the pattern: these are moves.
		{"Don't worry.", moves(reassure)},
		{"There's nothing I can do.", moves(policy)},
		{"Not my problem.", moves(rude)},
		{"You won't be charged again.", moves(reassure)},
		// Its own clause: the apology and the offer survive.
		{"Sorry, I can't refund that, but I can offer a voucher.", moves(apologize, explain, offer)},
		// A condition is not a refusal.
		{"If it doesn't arrive by Monday, we'll send another.", moves(offer, expect)},
		// No is not a negator.
		{"No problem, I'll cancel it now.", moves(offer)},
		// A policy stated while helping is explained, not hidden behind.
		{"Our policy is 14 days, but I'll make an exception this time.", moves(explain, offer)},
		{"It's company policy, sorry.", moves(apologize, policy)},
	})
}

func TestSarcasm(t *testing.T) {
	runMoves(t, []moveCase{
		{"Oh great, thanks a lot.", moves(rude)},
		{"Thanks for nothing.", moves(rude)},
		{"We're \"sorry\" for the delay.", moves(rude)},
		{"Sure, whatever, I apologise.", moves(rude)},
		{"I understand your frustration 🙄", moves(rude)},
		{"Don't worry, it'll be fine /s", moves(rude)},
		{"Obviously.", moves(rude)},
		// Quotes around words that are not sincere are not sarcasm.
		{"The error says \"invalid card\", thanks for sending it.", moves(thank)},
		// Sincere thanks stays thanks.
		{"Thank you, that's really helpful.", moves(thank)},
	})
}

func TestShouting(t *testing.T) {
	runMoves(t, []moveCase{
		{"PLEASE READ MY MESSAGE.", moves(shouting)},
		{"I told you TWICE already.", moves(rude)}, // one word of emphasis
		{"Your PIN and the CVV are on the card.", nil},
		{"Go to the FAQ, then the USB and VPN settings.", moves(offer)},
		{"The ATM PIN SMS was sent.", nil},
		{"That is NOT what I meant.", nil},
		{"Please help!!", moves(shouting)},
		{"Thanks!", moves(thank)},
		{"OK.", nil},
		{"I AM SO SORRY ABOUT THIS", moves(apologize, shouting)},
		{"IT SAYS CANCELLED.", moves(shouting)},
		{"STOP NOW.", moves(shouting)},
	})
}

func TestQuestions(t *testing.T) {
	runMoves(t, []moveCase{
		{"Which browser are you on?", moves(ask)},
		{"Shall I resend the link?", moves(offer)},
		{"Would you like me to book a visit?", moves(offer)},
		{"Do you want me to cancel the order?", moves(offer)},
		{"Anything else?", moves(closing)},
		{"Is there anything else I can help you with today?", moves(closing)},
		{"What's your account number?", moves(verify)},
		{"Are you even listening?", moves(rude)},
		{"How many times do I have to say it?", moves(rude)},
		{"Could you tell me when it started?", moves(ask)},
		{"Can you send me a screenshot of the error", moves(ask)},
		{"Hi Sam, what seems to be the issue?", moves(greet, ask)},
		{"Sorry, what do you mean?", moves(ask)},
		{"Did the reset work, or is it still blinking?", moves(ask)},
	})
}

func TestEvidence(t *testing.T) {
	c := classifier()
	for _, tc := range []struct {
		text string
		want []Match
	}{
		{"I'm so sorry. Thanks for waiting.", []Match{
			{scenarios.MoveApologize, []string{"sorry"}},
			{scenarios.MoveThank, []string{"Thanks"}},
		}},
		{"Which card was charged?", []Match{{scenarios.MoveAskQuestion, []string{"Which card was charged?"}}}},
		{"I ALREADY TOLD YOU!!", []Match{
			{scenarios.MoveRude, []string{"I ALREADY TOLD"}},
			{scenarios.MoveShouting, []string{"I ALREADY TOLD YOU", "!!"}},
		}},
		{"Thanks for your patience 🙄", []Match{{scenarios.MoveRude, []string{"🙄"}}}},
		{"I’ll check.", []Match{{scenarios.MoveHold, []string{"I’ll check"}}}},
		{"Sorry you feel that way.", []Match{{scenarios.MoveDismiss, []string{"Sorry you feel"}}}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, c.Classify(tc.text)); diff != "" {
				t.Errorf("Classify(%q) mismatch (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

func TestOddInput(t *testing.T) {
	c := classifier()
	huge := strings.Repeat("I'm so sorry, I'll refund it within 3 days. ", 20000)
	for _, tc := range []struct {
		name string
		text string
		want []scenarios.Move
	}{
		{"empty", "", nil},
		{"spaces", "   \n\t ", nil},
		{"punctuation", "?!?!...,,,", moves(shouting)},
		{"lone question mark", "?", nil},
		{"invalid utf-8", "sorry \xff\xfe about \xc3 that", moves(apologize)},
		{"invalid utf-8 only", "\xff\xfe\xfd", nil},
		{"huge", huge, moves(apologize, offer, expect)},
		{"nul bytes", "thanks\x00\x00", moves(thank)},
		{"emoji only", "🙂🙂🙂", nil},
		{"curly apostrophes", "Don’t worry, I’ll sort it.", moves(ownership, reassure)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := c.Classify(tc.text)
			checkMatches(t, tc.text, got)
			if diff := cmp.Diff(tc.want, movesOf(got), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("moves mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	c := classifier()
	texts := []string{"Hi, I'm Sam. Which card was charged?", "I ALREADY TOLD YOU!!", "Thanks for waiting, I'll refund it today."}
	want := make([][]Match, len(texts))
	for i, s := range texts {
		want[i] = c.Classify(s)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				k := (g + i) % len(texts)
				if diff := cmp.Diff(want[k], c.Classify(texts[k])); diff != "" {
					t.Errorf("Classify(%q) differs under concurrency:\n%s", texts[k], diff)
					return
				}
			}
		})
	}
	wg.Wait()
}

func movesOf(ms []Match) []scenarios.Move {
	out := make([]scenarios.Move, len(ms))
	for i, m := range ms {
		out[i] = m.Move
	}
	return out
}

// checkMatches asserts the invariants every result keeps: known moves in rank order, each
// once, each with evidence that is a non-empty substring of the text.
func checkMatches(tb testing.TB, text string, ms []Match) {
	tb.Helper()
	for i, m := range ms {
		if !m.Move.Valid() {
			tb.Errorf("unknown move %q", m.Move)
		}
		if i > 0 && ms[i-1].Move.Rank() >= m.Move.Rank() {
			tb.Errorf("moves not sorted and unique: %v", movesOf(ms))
		}
		if len(m.Evidence) == 0 {
			tb.Errorf("%s has no evidence", m.Move)
		}
		for _, e := range m.Evidence {
			if e == "" || !strings.Contains(text, e) {
				tb.Errorf("%s evidence %q is not a substring of the text", m.Move, e)
			}
		}
	}
}

// FuzzClassify checks that no input panics and that every result keeps its invariants.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{
		"", "Hi Dana, I'm Sam from support.", "I ALREADY TOLD YOU!!!", "Thanks SO much 🙄 /s",
		"I'm \"so sorry\" for that.", "sorry \xff\xfe", "What's your order number?",
		"If it doesn't arrive by 8am, I can't refund it, but I'll resend it.", "’’'\"“”",
	} {
		f.Add(s)
	}
	c := New()
	f.Fuzz(func(t *testing.T, text string) {
		got := c.Classify(text)
		checkMatches(t, text, got)
		if !slices.Equal(c.Moves(text), movesOf(got)) {
			t.Errorf("Moves and Classify disagree on %q", text)
		}
	})
}
