// Package grading scores a conversation: every agent turn on empathy (the three
// mechanisms of EPITOME), de-escalation and timing, with one line of feedback that quotes
// the agent; the session on empathy, de-escalation, timing, resolution and overall, with
// the contact-centre KPIs; and a person's sessions into a readiness report. It reads a
// scenarios.Transcript and never imports the simulator.
package grading

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"

	"chatdojo/scenarios"
)

// Grade is the result of grading one conversation: one line of `chatdojo grade`.
type Grade struct {
	ID        string         `json:"id"`
	Scenario  string         `json:"scenario"`
	User      string         `json:"user"`
	StartedAt scenarios.Time `json:"started_at"`
	// Judge names what produced the turn judgements: "rules" or "ollama:MODEL".
	Judge  string `json:"judge"`
	Scores Scores `json:"scores"`
	KPIs   KPIs   `json:"kpis"`
	Turns  []Turn `json:"turns"`
	// Outcome is the simulator's outcome when the transcript has one.
	Outcome scenarios.Outcome `json:"outcome,omitempty"`
	// Resolved are the issues resolved, when known.
	Resolved []string `json:"resolved"`
	// MoodSource says where the customer's mood came from: "simulator" (the event
	// log) or "estimated" (from the customer's own messages).
	MoodSource string `json:"mood_source"`
}

// Scores are the five session scores, 0–100; nil when they cannot be computed.
type Scores struct {
	Empathy      *int `json:"empathy"`
	DeEscalation *int `json:"de_escalation"`
	Timing       *int `json:"timing"`
	Resolution   *int `json:"resolution"`
	Overall      *int `json:"overall"`
}

// KPIs are the contact-centre measures of a conversation; nil when they cannot be
// computed.
type KPIs struct {
	FirstResponseS *float64 `json:"first_response_s"`
	AvgResponseS   *float64 `json:"avg_response_s"`
	ResolutionS    *float64 `json:"resolution_s"`
	// CSAT is the customer's satisfaction, 1–5, from the end mood.
	CSAT *int `json:"csat"`
	// CES is the customer's effort, 1–5, lower is better.
	CES *int `json:"ces"`
}

// Turn is the grade of one agent message.
type Turn struct {
	// Index is the message's position in the conversation, from 0.
	Index int              `json:"index"`
	Text  string           `json:"text"`
	Moves []scenarios.Move `json:"moves"`
	// Evidence maps a move or mechanism to the words that earned it.
	Evidence Evidence   `json:"evidence"`
	Empathy  Mechanisms `json:"empathy"`
	Scores   TurnScores `json:"scores"`
	Feedback string     `json:"feedback"`
}

// Mechanisms are the three empathy mechanisms of EPITOME, each 0 (none), 1 (weak) or 2
// (strong).
type Mechanisms struct {
	EmotionalReaction int `json:"emotional_reaction"`
	Interpretation    int `json:"interpretation"`
	Exploration       int `json:"exploration"`
}

// TurnScores are a turn's scores, 0–100; timing is nil without timestamps.
type TurnScores struct {
	Empathy      int  `json:"empathy"`
	DeEscalation int  `json:"de_escalation"`
	Timing       *int `json:"timing"`
}

// The mood sources of a grade.
const (
	MoodSimulator = "simulator"
	MoodEstimated = "estimated"
)

// Evidence maps a move or mechanism name to the words that earned it, as entries sorted
// by name: a turn has a handful, and a sorted slice costs one allocation where a map
// costs several. In JSON it is an object, as a map would be.
type Evidence []EvidenceEntry

// EvidenceEntry is one move's or mechanism's evidence.
type EvidenceEntry struct {
	Name  string
	Words []string
}

// Get returns the words that earned name, or nil.
func (e Evidence) Get(name string) []string {
	for _, x := range e {
		if x.Name == name {
			return x.Words
		}
	}
	return nil
}

// insert adds or replaces name's entry, keeping e sorted: an insertion sort, for the
// handful of entries a turn has.
func (e Evidence) insert(name string, words []string) Evidence {
	i := len(e)
	for i > 0 && e[i-1].Name >= name {
		if e[i-1].Name == name {
			e[i-1].Words = words
			return e
		}
		i--
	}
	e = append(e, EvidenceEntry{})
	copy(e[i+1:], e[i:])
	e[i] = EvidenceEntry{Name: name, Words: words}
	return e
}

// MarshalJSON writes e as a JSON object with its names in order.
func (e Evidence) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, x := range e {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(x.Name)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(x.Words)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads a JSON object of names to word lists.
func (e *Evidence) UnmarshalJSON(data []byte) error {
	var m map[string][]string
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	out := make(Evidence, 0, len(m))
	for k, v := range m {
		out = append(out, EvidenceEntry{Name: k, Words: v})
	}
	slices.SortFunc(out, func(a, b EvidenceEntry) int { return strings.Compare(a.Name, b.Name) })
	*e = out
	return nil
}
