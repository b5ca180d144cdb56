// Package scenarios holds chatdojo's domain: a scenario (the customer a trainer wrote),
// the agent moves, and the transcript of a conversation with its event log. It parses and
// lints scenario files (YAML front matter and a Markdown body).
package scenarios

import (
	"time"
)

// Channel is where a conversation happens; it sets how the customer writes and how the
// conversation looks.
type Channel string

// The channels.
const (
	ChannelChat   Channel = "chat"
	ChannelEmail  Channel = "email"
	ChannelSocial Channel = "social"
)

// Mode says who writes the customer's words.
type Mode string

// The modes. In model and hybrid scenarios a model writes the customer's words (see
// simulator.ModelCustomer); with no model host they play scripted.
const (
	ModeScripted Mode = "scripted"
	ModeModel    Mode = "model"
	ModeHybrid   Mode = "hybrid"
)

// Defaults applied when a scenario file leaves a field out. They are documented in
// docs/scenarios.md.
const (
	DefaultMood          = 50
	DefaultWalkAway      = 10
	DefaultPatience      = 90 * time.Second
	DefaultFirstResponse = 60 * time.Second
	DefaultReply         = 120 * time.Second
	DefaultLimit         = 15 * time.Minute
	DefaultSilenceDelta  = -10
)

// DefaultRubric is the weighting of the four scores when a scenario gives none.
var DefaultRubric = Rubric{Empathy: 30, DeEscalation: 30, Timing: 15, Resolution: 25}

// Scenario is one simulated customer: who they are, what they need, and how they react.
type Scenario struct {
	ID          string
	Title       string
	Description string
	Channel     Channel
	Difficulty  int
	Mode        Mode
	Persona     Persona
	Timing      Timing
	Rubric      Rubric
	Issues      []Issue
	// Model is the model block; nil when the file has none.
	Model *Model
	// Opening is the customer's first message.
	Opening Reaction
	// Reactions are the "## On …" sections in file order.
	Reactions []Reaction
	// File is the name the scenario was parsed from, for messages.
	File string
	// Hash is the hex SHA-256 of the file's bytes; it versions a scenario.
	Hash string
}

// Persona is the customer's character and temper.
type Persona struct {
	Name   string
	Traits []string
	// Mood is the start mood, 0 (furious) to 100 (delighted).
	Mood int
	// Patience is the silence after which the customer chases the agent.
	Patience time.Duration
	// WalkAway is the mood at or below which the customer leaves.
	WalkAway int
}

// HasTrait reports whether the persona has the trait t.
func (p Persona) HasTrait(t string) bool {
	for _, x := range p.Traits {
		if x == t {
			return true
		}
	}
	return false
}

// Timing holds the acceptable response times and the session's time limit.
type Timing struct {
	FirstResponse time.Duration
	Reply         time.Duration
	Limit         time.Duration
}

// Rubric weights the four scores of a session.
type Rubric struct {
	Empathy      int
	DeEscalation int
	Timing       int
	Resolution   int
}

// Issue is one thing the customer wants fixed.
type Issue struct {
	ID      string
	Summary string
	// Needs are the moves the agent must make, in any order, once the issue is active.
	Needs []Move
	// RevealAfter is the issue whose resolution makes this one active; "" when it is
	// active from the opening.
	RevealAfter string
	// Line is the line of the issue in the file.
	Line int
}

// Model configures the model that writes the customer's words in model and hybrid modes.
type Model struct {
	Name         string
	Temperature  *float64
	TopP         *float64
	MaxChars     int
	Instructions string
	// Facts are what the customer knows, in file order; nothing else may be stated.
	Facts []Fact
}

// Fact is one thing the model-driven customer knows.
type Fact struct {
	Key   string
	Value string
}

// TriggerKind says what makes a reaction fire.
type TriggerKind string

// The trigger kinds, one per kind of "## On …" heading.
const (
	TriggerOpening   TriggerKind = "opening"
	TriggerMoves     TriggerKind = "moves"
	TriggerSilence   TriggerKind = "silence"
	TriggerResolved  TriggerKind = "resolved"
	TriggerMoodBelow TriggerKind = "mood_below"
	TriggerWalkAway  TriggerKind = "walk_away"
	TriggerOther     TriggerKind = "other"
)

// Reaction is one section of the body: what fires it, the mood delta, and the variants of
// the customer's line.
type Reaction struct {
	Kind TriggerKind
	// Moves are the moves of a TriggerMoves section.
	Moves []Move
	// Issue is the issue of a TriggerResolved section.
	Issue string
	// Below is the threshold of a TriggerMoodBelow section.
	Below int
	// Mood is the delta applied when the section fires.
	Mood int
	// HasMood reports whether the file gave a delta (silence defaults to -10 otherwise).
	HasMood bool
	// MoodLine is the line of the "mood:" paragraph.
	MoodLine int
	// Lines are the variants of the customer's line; the seed picks one.
	Lines []string
	// Heading is the heading text, as written, without the leading "## ".
	Heading string
	// Line is the heading's line in the file.
	Line int
}

// Matches reports whether a moves section fires for a message with the given moves.
func (r *Reaction) Matches(moves []Move) bool {
	if r.Kind != TriggerMoves {
		return false
	}
	for _, m := range r.Moves {
		for _, n := range moves {
			if m == n {
				return true
			}
		}
	}
	return false
}

// Issue returns the issue with the given id.
func (s *Scenario) Issue(id string) (Issue, bool) {
	for _, is := range s.Issues {
		if is.ID == id {
			return is, true
		}
	}
	return Issue{}, false
}

// Reaction returns the first section of the given kind (and, for resolved sections, issue),
// or nil.
func (s *Scenario) Reaction(kind TriggerKind, issue string) *Reaction {
	for i := range s.Reactions {
		r := &s.Reactions[i]
		if r.Kind == kind && (kind != TriggerResolved || r.Issue == issue) {
			return r
		}
	}
	return nil
}

// MultiIssue reports whether the scenario has two or more issues.
func (s *Scenario) MultiIssue() bool {
	return len(s.Issues) >= 2
}
