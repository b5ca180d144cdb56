package scenarios

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Role says who wrote a message.
type Role string

// The roles of a conversation.
const (
	RoleCustomer Role = "customer"
	RoleAgent    Role = "agent"
)

// Source says what wrote a customer message: the scenario's script, a model, or the
// scripted line that replaced a rejected model reply.
type Source string

// The sources of a customer message.
const (
	SourceScript   Source = "script"
	SourceModel    Source = "model"
	SourceFallback Source = "fallback"
)

// Outcome is how a session ended; "" while it runs.
type Outcome string

// The outcomes of a session.
const (
	OutcomeResolved   Outcome = "resolved"
	OutcomeWalkedAway Outcome = "walked_away"
	OutcomeTimedOut   Outcome = "timed_out"
	OutcomeUnresolved Outcome = "unresolved"
)

// Time is a point in time that is written in UTC with milliseconds and read from any
// RFC 3339 form. Its zero value is "no time".
type Time struct {
	time.Time
}

// TimeLayout is how chatdojo writes times: RFC 3339, UTC, milliseconds.
const TimeLayout = "2006-01-02T15:04:05.000Z07:00"

// At returns t as a Time.
func At(t time.Time) Time {
	return Time{t}
}

// MarshalJSON writes the time in UTC with milliseconds, or null for the zero time.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.UTC().Format(TimeLayout) + `"`), nil
}

// UnmarshalJSON reads any RFC 3339 time, or null.
func (t *Time) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*t = Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("time must be an RFC 3339 string")
	}
	if s == "" {
		*t = Time{}
		return nil
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("time %q is not RFC 3339, expected like 2026-01-01T09:00:00Z", s)
	}
	*t = Time{v}
	return nil
}

// String formats the time as it is written in JSON.
func (t Time) String() string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(TimeLayout)
}

// Message is one message of a conversation.
type Message struct {
	Role Role   `json:"role"`
	Text string `json:"text"`
	At   Time   `json:"at,omitzero"`
	// Source is set on customer messages.
	Source Source `json:"source,omitempty"`
	// Mood is the customer's mood right after a simulated customer message.
	Mood *int `json:"mood,omitempty"`
}

// EventType names an entry of a session's event log.
type EventType string

// The event types of the log.
const (
	// EventMessage: a message was sent (Message is its index).
	EventMessage EventType = "message"
	// EventMoves: the agent message Message was classified into Moves, with Evidence.
	EventMoves EventType = "moves"
	// EventMood: the mood changed From -> To by Delta, because of Sections.
	EventMood EventType = "mood"
	// EventSilence: the agent was silent for the persona's patience.
	EventSilence EventType = "silence"
	// EventNeed: the agent message made a move that Issue needs.
	EventNeed EventType = "need"
	// EventReveal: Issue became active.
	EventReveal EventType = "reveal"
	// EventResolved: Issue was resolved.
	EventResolved EventType = "resolved"
	// EventOutcome: the session ended with Outcome.
	EventOutcome EventType = "outcome"
)

// Event is one entry of a session's event log. Only the fields of its type are set.
type Event struct {
	At       Time                `json:"at"`
	Type     EventType           `json:"type"`
	Message  *int                `json:"message,omitempty"`
	Role     Role                `json:"role,omitempty"`
	Moves    []Move              `json:"moves,omitempty"`
	Evidence map[string][]string `json:"evidence,omitempty"`
	From     *int                `json:"from,omitempty"`
	To       *int                `json:"to,omitempty"`
	Delta    *int                `json:"delta,omitempty"`
	Sections []string            `json:"sections,omitempty"`
	Issue    string              `json:"issue,omitempty"`
	Outcome  Outcome             `json:"outcome,omitempty"`
	// Original is the scripted line a model rewrote or replaced, and Note why it was
	// replaced; both only on customer message events.
	Original string `json:"original,omitempty"`
	Note     string `json:"note,omitempty"`
	// Model is the model asked for a customer message and its parameters
	// ("llama3.2:3b temperature=0.7 seed=12"), so that a session can be replayed.
	Model string `json:"model,omitempty"`
}

// Transcript is a conversation with its event log: what a simulator session produces
// and what the grader reads. A bare transcript (an exported chat) has only messages.
type Transcript struct {
	ID        string    `json:"id"`
	Scenario  string    `json:"scenario,omitempty"`
	User      string    `json:"user,omitempty"`
	StartedAt Time      `json:"started_at,omitzero"`
	Seed      *int64    `json:"seed,omitempty"`
	Outcome   Outcome   `json:"outcome,omitempty"`
	Resolved  []string  `json:"resolved"`
	StartMood *int      `json:"start_mood,omitempty"`
	FinalMood *int      `json:"final_mood,omitempty"`
	Messages  []Message `json:"messages"`
	Events    []Event   `json:"events"`
}
