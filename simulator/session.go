// Package simulator plays a scenario's customer: the session state (mood, patience
// clock, issues and their reveals), the choice of reactions, and the event log. Time and
// randomness are injected: the same scenario, seed and timed agent messages always give
// the same transcript.
package simulator

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"chatdojo/grading/moves"
	"chatdojo/scenarios"
)

// MoveClassifier finds the moves of an agent message; *moves.Classifier is one.
type MoveClassifier interface {
	Classify(text string) []moves.Match
}

// Options configure a session.
type Options struct {
	// ID names the session; default "<scenario>-<seed>".
	ID string
	// Seed picks the variants of the customer's lines.
	Seed int64
	// Start is when the customer sends the opening.
	Start time.Time
	// Customer writes the customer's words; default Scripted.
	Customer Customer
	// Classifier finds the agent's moves; default moves.New().
	Classifier MoveClassifier
	// User is passed through to the transcript.
	User string
}

// Built-in lines for sections a scenario leaves out.
var (
	builtinSilence  = []string{"Hello? Are you still there?", "Hello?? Is anyone there?", "Are you still with me?"}
	builtinOther    = []string{"OK.", "Right…", "Go on."}
	builtinWalkAway = []string{"I've had enough. Goodbye.", "Forget it, I'll sort this out somewhere else."}
)

// Keys of the variant bags of built-in lines and the opening; sections use their index.
const (
	keyOpening = -1 - iota
	keySilence
	keyOther
	keyWalkAway
)

// IssueState is where one issue of the session stands.
type IssueState struct {
	ID       string
	Summary  string
	Active   bool
	Resolved bool
	// Seen are the needed moves made since the issue became active, in needs order.
	Seen []scenarios.Move
	// Missing are the needed moves not made yet.
	Missing []scenarios.Move
}

// Session is one conversation with a scenario's customer. It is not safe for concurrent
// use; the caller serialises calls (one goroutine per session, or a lock).
type Session struct {
	sc       *scenarios.Scenario
	customer Customer
	cls      MoveClassifier
	rng      *rand.Rand
	bags     map[int][]int
	last     map[int]int

	start   time.Time
	lastMsg time.Time
	mood    int
	issues  *scenarios.IssueProgress
	fired   map[int]bool // mood-below sections already fired, by index
	outcome scenarios.Outcome
	tr      scenarios.Transcript
}

// New starts a session: the customer sends the opening at opts.Start.
func New(ctx context.Context, sc *scenarios.Scenario, opts Options) (*Session, error) {
	if sc == nil {
		return nil, scenarios.Errorf(scenarios.EINVALID, "no scenario")
	}
	if opts.Customer == nil {
		opts.Customer = Scripted{}
	}
	if opts.Classifier == nil {
		opts.Classifier = moves.New()
	}
	if opts.ID == "" {
		opts.ID = fmt.Sprintf("%s-%d", sc.ID, opts.Seed)
	}
	seed := opts.Seed
	s := &Session{
		sc:       sc,
		customer: opts.Customer,
		cls:      opts.Classifier,
		rng:      rand.New(rand.NewPCG(uint64(seed), 0x63686174646f6a6f)),
		bags:     map[int][]int{},
		last:     map[int]int{},
		start:    opts.Start,
		lastMsg:  opts.Start,
		mood:     sc.Persona.Mood,
		fired:    map[int]bool{},
	}
	startMood := sc.Persona.Mood
	s.tr = scenarios.Transcript{
		ID:        opts.ID,
		Scenario:  sc.ID,
		User:      opts.User,
		StartedAt: scenarios.At(opts.Start),
		Seed:      &seed,
		Resolved:  []string{},
		StartMood: &startMood,
		Messages:  []scenarios.Message{},
		Events:    []scenarios.Event{},
	}
	s.issues = scenarios.NewIssueProgress(sc)
	for i, is := range sc.Issues {
		if s.issues.Active(i) {
			s.event(opts.Start, scenarios.Event{Type: scenarios.EventReveal, Issue: is.ID})
		}
	}
	line := s.pick(keyOpening, sc.Opening.Lines, builtinOther)
	if err := s.say(ctx, opts.Start, Turn{Kind: TurnOpening, Scripted: line, Section: &sc.Opening}); err != nil {
		return nil, err
	}
	return s, nil
}

// SetCustomer changes who writes the customer's words from now on: a session rebuilt
// from a stored conversation replays the stored words (see Recorded), then goes on with
// the live customer.
func (s *Session) SetCustomer(c Customer) {
	if c == nil {
		c = Scripted{}
	}
	s.customer = c
}

// Scenario returns the scenario being played.
func (s *Session) Scenario() *scenarios.Scenario { return s.sc }

// Mood returns the customer's current mood.
func (s *Session) Mood() int { return s.mood }

// Outcome returns how the session ended, or "" while it runs.
func (s *Session) Outcome() scenarios.Outcome { return s.outcome }

// Ended reports whether the session is over.
func (s *Session) Ended() bool { return s.outcome != "" }

// Issues returns where each issue stands, in file order.
func (s *Session) Issues() []IssueState {
	out := make([]IssueState, len(s.sc.Issues))
	for i, is := range s.sc.Issues {
		o := IssueState{ID: is.ID, Summary: is.Summary, Active: s.issues.Active(i), Resolved: s.issues.Done(i)}
		for _, m := range is.Needs {
			if s.issues.Seen(i, m) {
				o.Seen = append(o.Seen, m)
			} else {
				o.Missing = append(o.Missing, m)
			}
		}
		out[i] = o
	}
	return out
}

// NextDeadline is when the session next acts on its own (the customer chasing a silent
// agent, or the time limit); false once the session has ended.
func (s *Session) NextDeadline() (time.Time, bool) {
	if s.outcome != "" {
		return time.Time{}, false
	}
	chase := s.lastMsg.Add(s.sc.Persona.Patience)
	limit := s.start.Add(s.sc.Timing.Limit)
	if limit.Before(chase) {
		return limit, true
	}
	return chase, true
}

// Transcript returns a copy of the conversation and its event log so far.
func (s *Session) Transcript() scenarios.Transcript {
	t := s.tr
	t.Outcome = s.outcome
	t.Resolved = s.issues.Resolved()
	mood := s.mood
	t.FinalMood = &mood
	t.Messages = append([]scenarios.Message{}, s.tr.Messages...)
	t.Events = append([]scenarios.Event{}, s.tr.Events...)
	return t
}

// Advance plays what happens on its own up to now: the customer chasing a silent agent
// (each time the agent has been silent for the persona's patience), mood drops and
// walking away, and the time limit. It returns the customer messages it produced.
func (s *Session) Advance(ctx context.Context, now time.Time) ([]scenarios.Message, error) {
	n0 := len(s.tr.Messages)
	if err := s.checkTime(now); err != nil {
		return nil, err
	}
	err := s.advance(ctx, now)
	return s.since(n0), err
}

// Reply plays an agent message sent at now: first whatever happened before it (see
// Advance), then the customer's answer. It returns the customer messages produced, and
// a conflict error when the session has ended (with the messages that ended it).
func (s *Session) Reply(ctx context.Context, now time.Time, text string) ([]scenarios.Message, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, scenarios.Errorf(scenarios.EINVALID, "the message is empty, expected some text")
	}
	if err := s.checkTime(now); err != nil {
		return nil, err
	}
	n0 := len(s.tr.Messages)
	if err := s.advance(ctx, now); err != nil {
		return s.since(n0), err
	}
	if s.outcome != "" {
		return s.since(n0), scenarios.Errorf(scenarios.ECONFLICT, "the session has ended (%s), expected no more messages", s.outcome)
	}
	if err := s.reply(ctx, now, text); err != nil {
		return s.since(n0), err
	}
	// The customer messages: a chase played before the agent's message (the agent was
	// silent past the customer's patience) and the answer to it, not the agent's own.
	out := s.since(n0)
	for i, m := range out {
		if m.Role == scenarios.RoleAgent {
			return append(out[:i], out[i+1:]...), nil
		}
	}
	return out, nil
}

// End ends a running session at now as unresolved (the trainee stopped, or the script
// ran out), after playing what happened before now.
func (s *Session) End(ctx context.Context, now time.Time) ([]scenarios.Message, error) {
	n0 := len(s.tr.Messages)
	if err := s.checkTime(now); err != nil {
		return nil, err
	}
	if err := s.advance(ctx, now); err != nil {
		return s.since(n0), err
	}
	if s.outcome == "" {
		s.end(now, scenarios.OutcomeUnresolved)
	}
	return s.since(n0), nil
}

func (s *Session) checkTime(now time.Time) error {
	if now.Before(s.lastMsg) {
		return scenarios.Errorf(scenarios.EINVALID, "time %s is before the last message at %s, expected time to move forward", scenarios.At(now), scenarios.At(s.lastMsg))
	}
	return nil
}

func (s *Session) since(n0 int) []scenarios.Message {
	return append([]scenarios.Message{}, s.tr.Messages[n0:]...)
}

func (s *Session) advance(ctx context.Context, now time.Time) error {
	for s.outcome == "" {
		limit := s.start.Add(s.sc.Timing.Limit)
		chase := s.lastMsg.Add(s.sc.Persona.Patience)
		if !limit.After(chase) {
			if limit.After(now) {
				return nil
			}
			s.end(limit, scenarios.OutcomeTimedOut)
			return nil
		}
		if chase.After(now) {
			return nil
		}
		if err := s.silence(ctx, chase); err != nil {
			return err
		}
	}
	return nil
}

// silence plays the customer chasing an agent who has been silent for its patience.
func (s *Session) silence(ctx context.Context, at time.Time) error {
	s.event(at, scenarios.Event{Type: scenarios.EventSilence})
	r := s.sc.Reaction(scenarios.TriggerSilence, "")
	delta, name, key := scenarios.DefaultSilenceDelta, "On silence (built-in)", keySilence
	var lines []string
	if r != nil {
		name, key, lines = r.Heading, s.index(r), r.Lines
		if r.HasMood {
			delta = r.Mood
		}
	}
	prev := s.mood
	s.applyMood(at, delta, []string{name})
	line := s.pick(key, lines, builtinSilence)
	if err := s.say(ctx, at, Turn{Kind: TurnSilence, Scripted: line, Section: r}); err != nil {
		return err
	}
	return s.afterMood(ctx, at, prev)
}

// reply plays the customer's answer to an agent message.
func (s *Session) reply(ctx context.Context, at time.Time, text string) error {
	idx := s.message(at, scenarios.Message{Role: scenarios.RoleAgent, Text: text, At: scenarios.At(at)}, "", "")
	matches := s.cls.Classify(text)
	mv := make([]scenarios.Move, len(matches))
	evidence := map[string][]string{}
	for i, m := range matches {
		mv[i] = m.Move
		if len(m.Evidence) > 0 {
			evidence[string(m.Move)] = m.Evidence
		}
	}
	if len(evidence) == 0 {
		evidence = nil
	}
	s.event(at, scenarios.Event{Type: scenarios.EventMoves, Message: &idx, Moves: mv, Evidence: evidence})

	// Needs accumulate on the issues active before this message; an issue revealed by
	// this message starts counting from the next one.
	var newly []string
	for _, ch := range s.issues.Step(mv) {
		switch ch.Kind {
		case scenarios.IssueNeedMet:
			s.event(at, scenarios.Event{Type: scenarios.EventNeed, Issue: ch.Issue, Moves: []scenarios.Move{ch.Move}})
		case scenarios.IssueResolved:
			newly = append(newly, ch.Issue)
			s.event(at, scenarios.Event{Type: scenarios.EventResolved, Issue: ch.Issue})
		case scenarios.IssueRevealed:
			s.event(at, scenarios.Event{Type: scenarios.EventReveal, Issue: ch.Issue})
		}
	}

	// Every matching section adds its delta once; the line comes from the first
	// resolved section, else the first matching moves section, else On other.
	var fired []*scenarios.Reaction
	var line *scenarios.Reaction
	for _, id := range newly {
		if r := s.sc.Reaction(scenarios.TriggerResolved, id); r != nil {
			fired = append(fired, r)
			if line == nil && len(r.Lines) > 0 {
				line = r
			}
		}
	}
	movesMatched := false
	for i := range s.sc.Reactions {
		r := &s.sc.Reactions[i]
		if r.Matches(mv) {
			fired = append(fired, r)
			movesMatched = true
			if line == nil && len(r.Lines) > 0 {
				line = r
			}
		}
	}
	other := s.sc.Reaction(scenarios.TriggerOther, "")
	if !movesMatched && len(newly) == 0 && other != nil {
		fired = append(fired, other)
	}
	if line == nil && other != nil && len(other.Lines) > 0 {
		line = other
	}
	delta := 0
	var names []string
	for _, r := range fired {
		if r.HasMood {
			delta += r.Mood
			names = append(names, r.Heading)
		}
	}
	prev := s.mood
	if len(names) > 0 {
		s.applyMood(at, delta, names)
	}

	allResolved := s.issues.AllResolved()
	var text2 string
	if line != nil {
		text2 = s.pick(s.index(line), line.Lines, nil)
	} else {
		text2 = s.pick(keyOther, nil, builtinOther)
	}
	turn := Turn{Kind: TurnReply, Scripted: text2, Section: line, Agent: text, Moves: mv,
		Ending: allResolved || s.mood <= s.sc.Persona.WalkAway}
	if err := s.say(ctx, at, turn); err != nil {
		return err
	}
	if allResolved {
		s.end(at, scenarios.OutcomeResolved)
		return nil
	}
	return s.afterMood(ctx, at, prev)
}

// afterMood fires the mood-below sections the mood just crossed, and walks away when the
// mood is at or below the persona's walk-away mood.
func (s *Session) afterMood(ctx context.Context, at time.Time, prev int) error {
	walking := s.mood <= s.sc.Persona.WalkAway
	for i := range s.sc.Reactions {
		r := &s.sc.Reactions[i]
		if r.Kind != scenarios.TriggerMoodBelow || s.fired[i] || !(prev >= r.Below && s.mood < r.Below) {
			continue
		}
		s.fired[i] = true
		if walking {
			continue // a customer who is leaving does not warn first
		}
		line := s.pick(i, r.Lines, builtinOther)
		if err := s.say(ctx, at, Turn{Kind: TurnMoodBelow, Scripted: line, Section: r}); err != nil {
			return err
		}
	}
	if !walking {
		return nil
	}
	r := s.sc.Reaction(scenarios.TriggerWalkAway, "")
	key, lines := keyWalkAway, []string(nil)
	if r != nil && len(r.Lines) > 0 {
		key, lines = s.index(r), r.Lines
	}
	line := s.pick(key, lines, builtinWalkAway)
	if err := s.say(ctx, at, Turn{Kind: TurnWalkAway, Scripted: line, Section: r, Ending: true}); err != nil {
		return err
	}
	s.end(at, scenarios.OutcomeWalkedAway)
	return nil
}

func (s *Session) applyMood(at time.Time, delta int, sections []string) {
	from := s.mood
	to := min(max(from+delta, 0), 100)
	s.mood = to
	s.event(at, scenarios.Event{Type: scenarios.EventMood, From: &from, To: &to, Delta: &delta, Sections: sections})
}

// say asks the customer for the words of a turn and records the message.
func (s *Session) say(ctx context.Context, at time.Time, turn Turn) error {
	turn.Scenario = s.sc
	turn.Mood = s.mood
	for i, is := range s.sc.Issues {
		if s.issues.Done(i) {
			turn.Resolved = append(turn.Resolved, is.ID)
		} else if s.issues.Active(i) {
			turn.Active = append(turn.Active, is.ID)
		}
	}
	turn.History = s.tr.Messages[:len(s.tr.Messages):len(s.tr.Messages)]
	u, err := s.customer.Say(ctx, turn)
	if err != nil {
		return fmt.Errorf("customer: %w", err)
	}
	if u.Text == "" {
		u = Utterance{Text: turn.Scripted, Source: scenarios.SourceFallback, Original: turn.Scripted, Note: "empty reply"}
	}
	if u.Source == "" {
		u.Source = scenarios.SourceScript
	}
	mood := s.mood
	s.message(at, scenarios.Message{Role: scenarios.RoleCustomer, Text: u.Text, At: scenarios.At(at), Source: u.Source, Mood: &mood}, u.Original, u.Note)
	if u.Model != "" {
		s.tr.Events[len(s.tr.Events)-1].Model = u.Model
	}
	return nil
}

func (s *Session) message(at time.Time, m scenarios.Message, original, note string) int {
	s.tr.Messages = append(s.tr.Messages, m)
	idx := len(s.tr.Messages) - 1
	s.lastMsg = at
	s.event(at, scenarios.Event{Type: scenarios.EventMessage, Message: &idx, Role: m.Role, Original: original, Note: note})
	return idx
}

func (s *Session) end(at time.Time, o scenarios.Outcome) {
	s.outcome = o
	s.event(at, scenarios.Event{Type: scenarios.EventOutcome, Outcome: o})
}

func (s *Session) event(at time.Time, e scenarios.Event) {
	e.At = scenarios.At(at)
	s.tr.Events = append(s.tr.Events, e)
}

// index is the bag key of a section of the scenario.
func (s *Session) index(r *scenarios.Reaction) int {
	for i := range s.sc.Reactions {
		if &s.sc.Reactions[i] == r {
			return i
		}
	}
	return keyOpening
}

// pick chooses a variant with the session's seed. Variants come out of a shuffled bag,
// so a customer repeats a line only after using all the others, and never twice in a row.
func (s *Session) pick(key int, lines, builtin []string) string {
	if len(lines) == 0 {
		lines = builtin
	}
	if len(lines) == 0 {
		return ""
	}
	if len(lines) == 1 {
		return lines[0]
	}
	bag := s.bags[key]
	if len(bag) == 0 {
		bag = make([]int, len(lines))
		for i := range bag {
			bag[i] = i
		}
		// Fisher-Yates on the PCG stream, whose values are fixed for a seed across
		// Go releases (rand.Perm's algorithm is not promised to be).
		for i := len(bag) - 1; i > 0; i-- {
			j := int(s.rng.Uint64() % uint64(i+1))
			bag[i], bag[j] = bag[j], bag[i]
		}
		if last, ok := s.last[key]; ok && bag[0] == last {
			bag[0], bag[len(bag)-1] = bag[len(bag)-1], bag[0]
		}
	}
	i := bag[0]
	s.bags[key] = bag[1:]
	s.last[key] = i
	return lines[i]
}
