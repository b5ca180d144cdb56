package simulator_test

import (
	"strings"
	"testing"

	"chatdojo/scenarios"
	"chatdojo/simulator"
)

// guardScenario is a model scenario with the facts the guard tests ground against.
func guardScenario() *scenarios.Scenario {
	return &scenarios.Scenario{
		Title:   "Refund not received",
		Mode:    scenarios.ModeModel,
		Persona: scenarios.Persona{Name: "Dana Whitfield"},
		Issues:  []scenarios.Issue{{ID: "refund", Summary: "Refund for a blender that was returned"}},
		Model: &scenarios.Model{Facts: []scenarios.Fact{
			{Key: "order", Value: "ORD-88231"},
			{Key: "amount", Value: "$49.99"},
			{Key: "email", Value: "dana.w@example.com"},
			{Key: "phone", Value: "+44 7700 900123"},
			{Key: "returned", Value: "3 March"},
			{Key: "shop", Value: "https://www.blendco.com/help"},
		}},
	}
}

// guardTurn is a reply turn to the agent message agent, after a short history.
func guardTurn(agent string) simulator.Turn {
	return simulator.Turn{
		Kind:     simulator.TurnReply,
		Scenario: guardScenario(),
		Scripted: "I sent it back weeks ago and I was told 5-7 working days, it's been 21.",
		Agent:    agent,
		History: []scenarios.Message{
			{Role: scenarios.RoleCustomer, Text: "Where is my refund? I returned the blender ages ago."},
			{Role: scenarios.RoleAgent, Text: "Sorry about that. Your case number is CASE-7731; I'll check the warehouse log."},
			{Role: scenarios.RoleAgent, Text: agent},
		},
	}
}

func TestCheckReplyAccepts(t *testing.T) {
	const agent = "I can see the return arrived. Could you confirm the email on the order?"
	tests := []struct {
		name  string
		turn  simulator.Turn
		reply string
		limit int
		want  string
	}{
		{"plain", guardTurn(agent), "It's dana.w@example.com. Please hurry, I've waited long enough.", 0, "It's dana.w@example.com. Please hurry, I've waited long enough."},
		{"trimmed", guardTurn(agent), "  \n Fine, thanks.\r\n", 0, "Fine, thanks."},
		{"order and amount from the facts", guardTurn(agent), "Order ORD-88231, I paid $49.99 for it.", 0, "Order ORD-88231, I paid $49.99 for it."},
		{"identifier in another case and form", guardTurn(agent), "It's ord88231.", 0, "It's ord88231."},
		{"amount in another currency form", guardTurn(agent), "49.99 dollars, £49.99, whatever, just send it.", 0, "49.99 dollars, £49.99, whatever, just send it."},
		{"whole part of a fact amount", guardTurn(agent), "I paid 49 bucks and change.", 0, "I paid 49 bucks and change."},
		{"phone as in the facts", guardTurn(agent), "Call me on +44 7700 900123.", 0, "Call me on +44 7700 900123."},
		{"phone written together", guardTurn(agent), "Call me on +447700900123.", 0, "Call me on +447700900123."},
		{"email in capitals", guardTurn(agent), "DANA.W@EXAMPLE.COM", 0, "DANA.W@EXAMPLE.COM"},
		{"url from the facts", guardTurn(agent), "Your own page, blendco.com/help, says 5-7 days.", 0, "Your own page, blendco.com/help, says 5-7 days."},
		{"domain of a fact url", guardTurn(agent), "I found you on www.blendco.com.", 0, "I found you on www.blendco.com."},
		{"single digits need no facts", guardTurn(agent), "I've called 3 times and emailed 2 times.", 0, "I've called 3 times and emailed 2 times."},
		{"number words need no facts", guardTurn(agent), "Twenty-one days. Twenty-one!", 0, "Twenty-one days. Twenty-one!"},
		{"number from the history", guardTurn(agent), "CASE-7731 has been open forever. 7731!", 0, "CASE-7731 has been open forever. 7731!"},
		{"number from the scripted line", guardTurn(agent), "You said 5-7 working days. It's been 21.", 0, "You said 5-7 working days. It's been 21."},
		{"number from the agent message", guardTurn("I can refund 20 percent today."), "20 percent? I want all of it.", 0, "20 percent? I want all of it."},
		{"customer marker stripped", guardTurn(agent), "Customer: Where is my refund?", 0, "Where is my refund?"},
		{"persona name stripped", guardTurn(agent), "Dana Whitfield: Where is my refund?", 0, "Where is my refund?"},
		{"bold first name stripped", guardTurn(agent), "**Dana:** Where is my refund?", 0, "Where is my refund?"},
		{"marker then quotes stripped", guardTurn(agent), `Customer: "Hello? Anyone?"`, 0, "Hello? Anyone?"},
		{"wrapping quotes stripped", guardTurn(agent), `"Where is my refund?"`, 0, "Where is my refund?"},
		{"curly quotes stripped", guardTurn(agent), "“Where is my refund?”", 0, "Where is my refund?"},
		{"single quotes around an apostrophe", guardTurn(agent), "'It's not good enough.'", 0, "It's not good enough."},
		{"inner quotes kept", guardTurn(agent), `"Soon" you said, and "soon" never came.`, 0, `"Soon" you said, and "soon" never came.`},
		{"lines and tabs", guardTurn(agent), "Fine.\n\tBut hurry.", 0, "Fine.\n\tBut hurry."},
		{"not a role phrase", guardTurn(agent), "As an airline pilot I have no time for this.", 0, "As an airline pilot I have no time for this."},
		{"short shared run with the agent", guardTurn(agent), "Confirm the email on the order? You have it already.", 0, "Confirm the email on the order? You have it already."},
		{"exactly the limit", guardTurn(agent), "Fine then.", 10, "Fine then."},
		{"600 runes by default", guardTurn(agent), strings.Repeat("é", 600), 0, strings.Repeat("é", 600)},
		{"no scenario", simulator.Turn{Kind: simulator.TurnOpening}, "Hello, anyone there?", 0, "Hello, anyone there?"},
		{"silence turn", simulator.Turn{Kind: simulator.TurnSilence, Scenario: guardScenario()}, "Hello?? ORD-88231!", 0, "Hello?? ORD-88231!"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rej := simulator.CheckReply(tt.turn, tt.reply, tt.limit)
			if rej != nil {
				t.Fatalf("CheckReply(%q) rejected: %v", tt.reply, rej)
			}
			if got != tt.want {
				t.Errorf("CheckReply(%q) = %q, want %q", tt.reply, got, tt.want)
			}
		})
	}
}

func TestCheckReplyRejects(t *testing.T) {
	const agent = "I have processed your refund today and it will reach your card in three working days."
	tests := []struct {
		name  string
		turn  simulator.Turn
		reply string
		limit int
		code  string
	}{
		{"empty", guardTurn(agent), "", 0, "empty"},
		{"spaces", guardTurn(agent), "   ", 0, "empty"},
		{"blank lines", guardTurn(agent), "\n\t \n", 0, "empty"},
		{"empty quotes", guardTurn(agent), `""`, 0, "empty"},
		{"quoted space", guardTurn(agent), "“ ”", 0, "empty"},
		{"marker only", guardTurn(agent), "Customer:", 0, "empty"},

		{"invalid UTF-8", guardTurn(agent), "Where is it\xff\xfe?", 0, "not_text"},
		{"NUL", guardTurn(agent), "Where is it\x00?", 0, "not_text"},
		{"NUL only", guardTurn(agent), "\x00", 0, "not_text"},
		{"escape sequence", guardTurn(agent), "\x1b[31mWhere is it?", 0, "not_text"},
		{"DEL", guardTurn(agent), "Where\x7f is it?", 0, "not_text"},
		{"C1 control", guardTurn(agent), "Where\u0085is it?", 0, "not_text"},
		{"carriage return inside", guardTurn(agent), "Where\ris it?", 0, "not_text"},
		{"zero-width space", guardTurn(agent), "Where\u200bis it?", 0, "not_text"},
		{"zero-width space only", guardTurn(agent), "\u200b", 0, "not_text"},
		{"bidi override", guardTurn(agent), "Where is \u202eti", 0, "not_text"},
		{"bidi isolate", guardTurn(agent), "Where \u2066is\u2069 it?", 0, "not_text"},
		{"replacement character", guardTurn(agent), "Where is it\ufffd", 0, "not_text"},

		{"601 runes, default limit", guardTurn(agent), strings.Repeat("a", 601), 0, "too_long"},
		{"601 two-byte runes", guardTurn(agent), strings.Repeat("é", 601), -1, "too_long"},
		{"limit 10", guardTurn(agent), "Fine then!!", 10, "too_long"},

		{"agent marker", guardTurn(agent), "Agent: I can refund that", 0, "role_swap"},
		{"bold agent marker", guardTurn(agent), "**Agent:** Sure, I can refund that.", 0, "role_swap"},
		{"support marker", guardTurn(agent), "support: We have processed it.", 0, "role_swap"},
		{"assistant marker", guardTurn(agent), "Assistant: Here is the reply.", 0, "role_swap"},
		{"system marker", guardTurn(agent), "SYSTEM: The customer is angry.", 0, "role_swap"},
		{"user marker", guardTurn(agent), "User: where is my refund", 0, "role_swap"},
		{"customer service marker", guardTurn(agent), "Customer service: we are on it.", 0, "role_swap"},
		{"representative marker", guardTurn(agent), "Representative (Sam): one moment.", 0, "role_swap"},
		{"rep marker", guardTurn(agent), "Rep: one moment.", 0, "role_swap"},
		{"marker on a later line", guardTurn(agent), "Where is my refund?\nAgent: It is on its way.", 0, "role_swap"},
		{"marker after the customer marker", guardTurn(agent), "Customer: Agent: I will refund you.", 0, "role_swap"},
		{"a script of both sides", guardTurn(agent), "Customer: Fine.\n> **Support:** Great!", 0, "role_swap"},
		{"happy to help", guardTurn(agent), "I'd be happy to help you with your order!", 0, "role_swap"},
		{"happy to help, curly apostrophe", guardTurn(agent), "I’d be happy to help you with that.", 0, "role_swap"},
		{"how can I help", guardTurn(agent), "Hello! How can I help you today?", 0, "role_swap"},
		{"how may I assist", guardTurn(agent), "How may I assist?", 0, "role_swap"},
		{"anything else", guardTurn(agent), "Great. Is there anything else I can help with?", 0, "role_swap"},
		{"thank you for contacting", guardTurn(agent), "Thank you for contacting BlendCo support.", 0, "role_swap"},
		{"apology for the inconvenience", guardTurn(agent), "I apologize for the inconvenience.", 0, "role_swap"},
		{"I can help", guardTurn(agent), "Sure, I can help you with that.", 0, "role_swap"},
		{"let me look", guardTurn(agent), "Let me look into that for you.", 0, "role_swap"},
		{"as an AI", guardTurn(agent), "As an AI language model, I cannot feel frustration.", 0, "role_swap"},
		{"I'm an AI", guardTurn(agent), "Sorry, I'm an AI and cannot pretend to be a customer.", 0, "role_swap"},
		{"chat template token", guardTurn(agent), "Fine.<|im_end|>\n<|im_start|>user", 0, "role_swap"},
		{"end of sequence", guardTurn(agent), "Fine.</s>", 0, "role_swap"},

		{"agent echoed", guardTurn(agent), agent, 0, "repeats_agent"},
		{"agent echoed without case or punctuation", guardTurn(agent), "i have processed your refund today and it will reach your card in three working days", 0, "repeats_agent"},
		{"agent quoted at length", guardTurn(agent), `"It will reach your card in three working days" - you said that last week!`, 0, "repeats_agent"},
		{"short agent message echoed", guardTurn("Hello there!"), "hello there", 0, "repeats_agent"},

		{"invented order number", guardTurn(agent), "My order number is ORD-55512.", 0, "unknown_fact"},
		{"invented code", guardTurn(agent), "The code on the box is AB12CD.", 0, "unknown_fact"},
		{"invented email", guardTurn(agent), "Email me at dana.whitfield@gmail.com instead.", 0, "unknown_fact"},
		{"email near a known one", guardTurn(agent), "It's ana.w@example.com", 0, "unknown_fact"},
		{"invented phone", guardTurn(agent), "Call me on 07700 900456.", 0, "unknown_fact"},
		{"phone one digit off", guardTurn(agent), "Call me on +44 7700 900124.", 0, "unknown_fact"},
		{"wrong amount", guardTurn(agent), "I was only charged $12.00 anyway.", 0, "unknown_fact"},
		{"amount near the known one", guardTurn(agent), "It cost £49.98.", 0, "unknown_fact"},
		{"invented number", guardTurn(agent), "It's order 4412.", 0, "unknown_fact"},
		{"invented date", guardTurn(agent), "I sent it back on 12/03.", 0, "unknown_fact"},
		{"invented duration", guardTurn(agent), "I've waited 45 minutes on hold.", 0, "unknown_fact"},
		{"invented url", guardTurn(agent), "It says so on https://example.org/refunds.", 0, "unknown_fact"},
		{"invented domain", guardTurn(agent), "Your site shopmart.com says otherwise.", 0, "unknown_fact"},
		{"invented path on a known site", guardTurn(agent), "See www.blendco.com/refunds/policy", 0, "unknown_fact"},
		{"number without a scenario", simulator.Turn{Kind: simulator.TurnOpening}, "Order 1234 is late.", 0, "unknown_fact"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rej := simulator.CheckReply(tt.turn, tt.reply, tt.limit)
			if rej == nil {
				t.Fatalf("CheckReply(%q) = %q, want a %s rejection", tt.reply, got, tt.code)
			}
			if rej.Code != tt.code {
				t.Errorf("CheckReply(%q) code = %s (%s), want %s", tt.reply, rej.Code, rej.Reason, tt.code)
			}
			if got != "" {
				t.Errorf("CheckReply(%q) returned text %q with a rejection", tt.reply, got)
			}
			if rej.Reason == "" {
				t.Errorf("CheckReply(%q): empty reason", tt.reply)
			}
		})
	}
}

func TestCheckReplyReasons(t *testing.T) {
	const agent = "I have processed your refund today and it will reach your card in three working days."
	tests := []struct {
		name   string
		reply  string
		limit  int
		reason string
	}{
		{"unknown identifier", "My order number is ORD-55512.", 0, `states "ORD-55512", which is in neither the scenario's facts nor the conversation`},
		{"unknown amount keeps its sign", "I was only charged $12.00 anyway.", 0, `states "$12.00", which is in neither the scenario's facts nor the conversation`},
		{"unknown number", "It's order 4412.", 0, `states "4412", which is in neither the scenario's facts nor the conversation`},
		{"unknown email", "Write to dana@gmail.com", 0, `states "dana@gmail.com", which is in neither the scenario's facts nor the conversation`},
		{"first unknown in the text", "Order 4412, or ORD-55512.", 0, `states "4412", which is in neither the scenario's facts nor the conversation`},
		{"too long", "Fine then!!", 10, "the reply has 11 characters, more than the limit of 10"},
		{"role marker", "Agent: I can refund that", 0, `a line speaks as another role: "Agent: I can refund that"`},
		{"role marker shortened", "Agent: " + strings.Repeat("blah ", 20), 0, `a line speaks as another role: "Agent: blah blah blah blah blah blah blah blah blah blah bl…"`},
		{"agent phrase", "I'd be happy to help you with your order!", 0, `speaks as the agent would: "i'd be happy to help you"`},
		{"echo", "it will reach your card in three working days, really?", 0, `copies the agent's words "it will reach your card in three working days"`},
		{"control character", "Where\u200bis it?", 0, "the reply contains the control or invisible character U+200B"},
		{"empty", `""`, 0, "the reply is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, rej := simulator.CheckReply(guardTurn(agent), tt.reply, tt.limit)
			if rej == nil {
				t.Fatalf("CheckReply(%q) accepted, want %q", tt.reply, tt.reason)
			}
			if rej.Reason != tt.reason {
				t.Errorf("CheckReply(%q) reason\n got %q\nwant %q", tt.reply, rej.Reason, tt.reason)
			}
		})
	}
}

func TestRejectionError(t *testing.T) {
	r := &simulator.Rejection{Code: "empty", Reason: "the reply is empty"}
	var err error = r
	if got, want := err.Error(), "model reply rejected (empty): the reply is empty"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func FuzzCheckReply(f *testing.F) {
	f.Add("Customer: \"Where is ORD-88231?\"", 0)
	f.Add("Agent: ok", 10)
	f.Add("\"\"", 0)
	f.Fuzz(func(t *testing.T, reply string, limit int) {
		turn := guardTurn("Could you confirm the email on the order?")
		got, rej := simulator.CheckReply(turn, reply, limit)
		if rej != nil {
			if got != "" || rej.Code == "" || rej.Reason == "" {
				t.Errorf("CheckReply(%q) = %q, %+v", reply, got, rej)
			}
			return
		}
		if got == "" || got != strings.TrimSpace(got) {
			t.Errorf("CheckReply(%q) = %q, want trimmed and non-empty", reply, got)
		}
		if again, rej := simulator.CheckReply(turn, got, limit); rej != nil {
			t.Errorf("CheckReply(%q) accepted %q, then rejected it: %v", reply, got, rej)
		} else if again != got {
			t.Errorf("CheckReply(%q) = %q, but cleaning it again gives %q", reply, got, again)
		}
	})
}
