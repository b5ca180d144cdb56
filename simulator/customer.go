package simulator

import (
	"context"

	"chatdojo/scenarios"
)

// TurnKind says why the customer speaks.
type TurnKind string

// The kinds of customer turn.
const (
	TurnOpening   TurnKind = "opening"
	TurnReply     TurnKind = "reply"
	TurnSilence   TurnKind = "silence"
	TurnMoodBelow TurnKind = "mood_below"
	TurnWalkAway  TurnKind = "walk_away"
)

// Turn is what the engine decided the customer does next: the engine owns mood, issues
// and the end of the session; a Customer only writes the words.
type Turn struct {
	Kind     TurnKind
	Scenario *scenarios.Scenario
	// Scripted is the scripted line the engine picked with the session's seed; a
	// scripted customer says it, a model customer may rewrite it or fall back to it.
	Scripted string
	// Section is the scenario section the line came from; nil for a built-in line.
	Section *scenarios.Reaction
	// Agent is the agent message being answered (TurnReply only), and Moves its moves.
	Agent string
	Moves []scenarios.Move
	// Mood is the customer's mood after the turn's deltas.
	Mood int
	// Active are the issues raised and not yet resolved; Resolved those fixed so far.
	Active   []string
	Resolved []string
	// History is the conversation before this customer message.
	History []scenarios.Message
	// Ending is true when the session ends with this message.
	Ending bool
}

// Utterance is what the customer says for a turn.
type Utterance struct {
	Text   string
	Source scenarios.Source
	// Original is the scripted line when a model rewrote or replaced it.
	Original string
	// Note says why a model reply was replaced, for trainers.
	Note string
	// Model is the model asked and its parameters, when one was.
	Model string
}

// Customer writes the customer's messages. The scripted customer says the engine's line;
// the model-driven customers of a later issue plug in here. Say returns an error only
// when the context is done; a customer that cannot write falls back to Turn.Scripted.
type Customer interface {
	Say(ctx context.Context, turn Turn) (Utterance, error)
}

// Scripted is the customer that says exactly the scenario's lines.
type Scripted struct{}

// Say returns the scripted line.
func (Scripted) Say(ctx context.Context, turn Turn) (Utterance, error) {
	if err := ctx.Err(); err != nil {
		return Utterance{}, err
	}
	return Utterance{Text: turn.Scripted, Source: scenarios.SourceScript}, nil
}

// Recorded says the customer messages of a stored conversation again, in order, with
// their sources, so that replaying a session's agent messages rebuilds it exactly even
// when a model wrote the customer's words. Past the recording it says the scripted
// line.
type Recorded struct {
	Messages []scenarios.Message
	// Notes are the event-log notes and originals of the recorded messages, by index
	// into Messages; optional.
	Notes, Originals, Models map[int]string
	next                     int
}

// Say returns the next recorded customer message.
func (r *Recorded) Say(ctx context.Context, turn Turn) (Utterance, error) {
	if err := ctx.Err(); err != nil {
		return Utterance{}, err
	}
	for r.next < len(r.Messages) && r.Messages[r.next].Role != scenarios.RoleCustomer {
		r.next++
	}
	if r.next >= len(r.Messages) {
		return Utterance{Text: turn.Scripted, Source: scenarios.SourceScript}, nil
	}
	i := r.next
	m := r.Messages[i]
	r.next++
	return Utterance{Text: m.Text, Source: m.Source, Original: r.Originals[i], Note: r.Notes[i], Model: r.Models[i]}, nil
}
