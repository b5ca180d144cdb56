package simulator

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"chatdojo/scenarios"
)

// Writer writes a customer message with a language model; the ollama package
// implements it. Write returns the model's reply, or an error when no model could
// write one (the context's error when it is done).
type Writer interface {
	Write(ctx context.Context, req WriteRequest) (string, error)
}

// WriteRequest is one request to a model: a system prompt and the conversation so far,
// from the customer's side (the agent's messages are "user", the customer's own
// "assistant").
type WriteRequest struct {
	Model       string
	System      string
	Messages    []ChatMessage
	Temperature *float64
	TopP        *float64
	Seed        int64
	// MaxChars is the longest reply wanted.
	MaxChars int
}

// ChatMessage is a message of a WriteRequest.
type ChatMessage struct {
	Role    string // "user" (the agent) or "assistant" (the customer)
	Content string
}

// ModelCustomer is the customer of model and hybrid scenarios. The engine decides
// everything (mood, issues, reveals, the end); the model only writes the words: in
// model mode the next message from a prompt built from the scenario and the turn, in
// hybrid mode the scripted line rewritten in the persona's voice. Every reply passes
// CheckReply; a rejected one is asked for again once, then replaced by the scripted
// line (source fallback, with the reason). A scripted scenario plays scripted.
type ModelCustomer struct {
	Writer Writer
	// Model overrides the scenario's model name when set (--model, CHATDOJO_MODEL).
	Model string
	// Seed is passed to the model so a session replays.
	Seed int64
}

// Say writes the customer's words for a turn.
func (c *ModelCustomer) Say(ctx context.Context, turn Turn) (Utterance, error) {
	if err := ctx.Err(); err != nil {
		return Utterance{}, err
	}
	sc := turn.Scenario
	if sc == nil || sc.Mode == scenarios.ModeScripted || sc.Model == nil || c.Writer == nil {
		return Utterance{Text: turn.Scripted, Source: scenarios.SourceScript}, nil
	}
	req := c.request(turn)
	limit := sc.Model.MaxChars
	if limit <= 0 {
		limit = DefaultReplyLimit
	}
	var reasons []string
	for attempt := 0; attempt < 2; attempt++ {
		req.Seed = c.Seed + int64(len(turn.History))*2 + int64(attempt)
		reply, err := c.Writer.Write(ctx, req)
		if err != nil {
			if ctx.Err() != nil {
				return Utterance{}, ctx.Err()
			}
			u := fallback(turn, "model unavailable: "+err.Error())
			u.Model = describe(req)
			return u, nil
		}
		text, rej := CheckReply(turn, reply, limit)
		if rej == nil {
			return Utterance{Text: text, Source: scenarios.SourceModel, Original: turn.Scripted, Model: describe(req)}, nil
		}
		reasons = append(reasons, rej.Reason)
	}
	u := fallback(turn, "model reply rejected twice: "+strings.Join(reasons, "; "))
	u.Model = describe(req)
	return u, nil
}

// describe is a request's model and parameters, for the event log.
func describe(req WriteRequest) string {
	s := fmt.Sprintf("%s seed=%d", req.Model, req.Seed)
	if req.Temperature != nil {
		s += fmt.Sprintf(" temperature=%g", *req.Temperature)
	}
	if req.TopP != nil {
		s += fmt.Sprintf(" top_p=%g", *req.TopP)
	}
	return s
}

func fallback(turn Turn, note string) Utterance {
	return Utterance{Text: turn.Scripted, Source: scenarios.SourceFallback, Original: turn.Scripted, Note: note}
}

// request builds the model request for a turn.
func (c *ModelCustomer) request(turn Turn) WriteRequest {
	sc := turn.Scenario
	m := sc.Model
	name := m.Name
	if c.Model != "" {
		name = c.Model
	}
	req := WriteRequest{Model: name, System: SystemPrompt(turn), Temperature: m.Temperature, TopP: m.TopP, MaxChars: m.MaxChars}
	if req.MaxChars <= 0 {
		req.MaxChars = DefaultReplyLimit
	}
	for _, h := range turn.History {
		role := "assistant"
		if h.Role == scenarios.RoleAgent {
			role = "user"
		}
		req.Messages = append(req.Messages, ChatMessage{Role: role, Content: h.Text})
	}
	if len(req.Messages) == 0 || req.Messages[len(req.Messages)-1].Role != "user" {
		// The model answers a user message: say what happens when the agent wrote
		// nothing (the opening, a chase after silence).
		req.Messages = append(req.Messages, ChatMessage{Role: "user", Content: "(" + situation(turn) + ")"})
	}
	return req
}

// SystemPrompt is the instructions a model gets for a turn: who the customer is, how
// they feel, what they know and may say, what happened, and what to write.
func SystemPrompt(turn Turn) string {
	sc := turn.Scenario
	var b strings.Builder
	p := sc.Persona
	fmt.Fprintf(&b, "You are %s, a customer writing to a company's support team by %s. ", p.Name, channelWords(sc.Channel))
	b.WriteString("You are the customer, never the support agent: never offer help, never apologise for the company, never write a role label such as \"Agent:\".\n")
	if len(p.Traits) > 0 {
		fmt.Fprintf(&b, "Your temperament: %s.\n", strings.Join(p.Traits, ", "))
	}
	fmt.Fprintf(&b, "Right now you feel %s (mood %d of 100).\n", moodWords(turn.Mood), turn.Mood)
	if sc.Title != "" {
		fmt.Fprintf(&b, "Your situation: %s.\n", sc.Title)
	}
	var active, done []string
	for _, is := range sc.Issues {
		switch {
		case slices.Contains(turn.Resolved, is.ID):
			done = append(done, is.Summary)
		case slices.Contains(turn.Active, is.ID):
			active = append(active, is.Summary)
		}
	}
	if len(active) > 0 {
		fmt.Fprintf(&b, "Your open problems: %s.\n", strings.Join(active, "; "))
	}
	if len(done) > 0 {
		fmt.Fprintf(&b, "Already sorted out (do not bring these up again): %s.\n", strings.Join(done, "; "))
	}
	b.WriteString("Do not mention any other problem than these.\n")
	if m := sc.Model; m != nil && len(m.Facts) > 0 {
		b.WriteString("What you know (state no other numbers, emails or references):\n")
		for _, f := range m.Facts {
			fmt.Fprintf(&b, "- %s: %s\n", f.Key, f.Value)
		}
	} else {
		b.WriteString("Do not make up numbers, emails or references.\n")
	}
	if m := sc.Model; m != nil && m.Instructions != "" {
		fmt.Fprintf(&b, "Style: %s\n", m.Instructions)
	}
	if len(turn.Moves) > 0 {
		var mv []string
		for _, x := range turn.Moves {
			mv = append(mv, strings.ReplaceAll(string(x), "_", " "))
		}
		fmt.Fprintf(&b, "In their last message the agent did this: %s.\n", strings.Join(mv, ", "))
	}
	fmt.Fprintf(&b, "Now %s.\n", situation(turn))
	if sc.Mode == scenarios.ModeHybrid && turn.Scripted != "" {
		fmt.Fprintf(&b, "Say exactly this, in your own words and voice, keeping its meaning and adding nothing: %q\n", turn.Scripted)
	}
	fmt.Fprintf(&b, "Write only your next message, %s.", lengthWords(sc.Channel))
	return b.String()
}

// situation says what the customer is doing in this turn.
func situation(turn Turn) string {
	switch turn.Kind {
	case TurnOpening:
		return "write your first message to support, explaining your problem"
	case TurnSilence:
		return "the agent has not answered for a while: chase them"
	case TurnMoodBelow:
		return "you are losing your patience: say so"
	case TurnWalkAway:
		return "you have had enough and are leaving the conversation: say goodbye, you will not write again"
	}
	if turn.Ending && len(turn.Active) == 0 {
		return "your problems are solved: thank the agent and end the conversation without raising anything new"
	}
	return "answer the agent's last message"
}

func channelWords(c scenarios.Channel) string {
	switch c {
	case scenarios.ChannelEmail:
		return "email"
	case scenarios.ChannelSocial:
		return "direct message on social media"
	}
	return "live chat"
}

func lengthWords(c scenarios.Channel) string {
	switch c {
	case scenarios.ChannelEmail:
		return "as a short email (a few sentences, no subject line)"
	case scenarios.ChannelSocial:
		return "as a short direct message (one or two sentences)"
	}
	return "as a short chat message (one to three sentences)"
}

func moodWords(m int) string {
	switch {
	case m <= 15:
		return "furious"
	case m <= 30:
		return "angry and upset"
	case m <= 45:
		return "frustrated"
	case m <= 60:
		return "uneasy but willing to listen"
	case m <= 80:
		return "calm and fairly satisfied"
	}
	return "happy"
}
