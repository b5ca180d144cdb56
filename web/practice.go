package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"chatdojo/grading"
	"chatdojo/grading/moves"
	"chatdojo/scenarios"
	"chatdojo/simulator"
)

// Practice runs practice sessions. A session's state is a pure function of its inputs —
// the scenario version, the seed, the start, the agent's timed messages and the time
// the engine was last played to — so any instance can rebuild it from the database by
// replaying them: that is how a session survives a crash and moves between instances.
// Each instance keeps the sessions it served in memory and checks the stored version
// before using them; a change goes to the database (optimistically, on the version it
// read) before anyone is told of it.
type Practice struct {
	store   Store
	catalog *scenarios.Catalog
	sources map[string][]byte // the catalogue's files by scenario id
	cls     *moves.Classifier
	grader  *grading.Grader
	now     func() time.Time
	log     *slog.Logger
	broker  *broker
	// customer makes the customer of a scenario; models says whether a model host
	// answers (see PracticeConfig).
	customer func(sc *scenarios.Scenario, seed int64) simulator.Customer
	models   func(ctx context.Context) bool
	modelsMu sync.Mutex
	modelsAt time.Time
	modelsOK bool

	mu     sync.Mutex
	live   map[string]*liveSession
	parsed map[string]*scenarios.Scenario // stored scenario versions by hash
}

// liveSession is a session's engine in memory; mu serialises its changes within this
// instance.
type liveSession struct {
	mu   sync.Mutex
	sim  *simulator.Session
	sess *PracticeSession
	used time.Time
}

// PracticeConfig builds a Practice.
type PracticeConfig struct {
	Store   Store
	Catalog *scenarios.Catalog
	// Sources are the catalogue's scenario files by id, kept in the database by hash so
	// a session can be replayed on the version it started with.
	Sources    map[string][]byte
	Classifier *moves.Classifier
	Grader     *grading.Grader
	Now        func() time.Time
	Log        *slog.Logger
	// Customer makes the customer of a scenario and seed; nil means scripted. serve
	// gives model and hybrid scenarios a simulator.ModelCustomer when Ollama hosts are
	// set.
	Customer func(sc *scenarios.Scenario, seed int64) simulator.Customer
	// Models reports whether a model host answers, for the catalogue; nil means no
	// model host is configured.
	Models func(ctx context.Context) bool
}

// NewPractice builds the practice service and saves the catalogue's scenario versions.
func NewPractice(ctx context.Context, cfg PracticeConfig) (*Practice, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	p := &Practice{
		store: cfg.Store, catalog: cfg.Catalog, sources: cfg.Sources, cls: cfg.Classifier, grader: cfg.Grader,
		now: cfg.Now, log: cfg.Log, broker: newBroker(), customer: cfg.Customer, models: cfg.Models,
		live: map[string]*liveSession{}, parsed: map[string]*scenarios.Scenario{},
	}
	for _, sc := range cfg.Catalog.All() {
		src, ok := cfg.Sources[sc.ID]
		if !ok {
			return nil, fmt.Errorf("scenario %s: no source file", sc.ID)
		}
		if err := cfg.Store.SaveScenarioVersion(ctx, sc.ID, sc.Hash, src); err != nil {
			return nil, err
		}
		p.parsed[sc.Hash] = sc
	}
	return p, nil
}

// customerFor is the customer of a scenario: a model customer for model and hybrid
// scenarios when one is configured, else scripted.
func (p *Practice) customerFor(sc *scenarios.Scenario, seed int64) simulator.Customer {
	if p.customer == nil {
		return simulator.Scripted{}
	}
	return p.customer(sc, seed)
}

// ModelsReachable reports whether model-driven customers can be played now: a model
// host is configured and answers. It asks at most every 15 seconds.
func (p *Practice) ModelsReachable(ctx context.Context) bool {
	if p.models == nil {
		return false
	}
	p.modelsMu.Lock()
	defer p.modelsMu.Unlock()
	if now := p.now(); now.Sub(p.modelsAt) > 15*time.Second || now.Before(p.modelsAt) {
		p.modelsOK, p.modelsAt = p.models(ctx), now
	}
	return p.modelsOK
}

// Catalog returns the scenarios trainees can start.
func (p *Practice) Catalog() *scenarios.Catalog { return p.catalog }

// newID returns a random id with a prefix.
func newID(prefix string) string {
	b := make([]byte, 10)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// Start starts a session of scenario scenarioID for user; seed < 0 picks one.
func (p *Practice) Start(ctx context.Context, user *User, scenarioID string, seed int64) (*PracticeSession, error) {
	sc, err := p.catalog.FindScenarioByID(scenarioID)
	if err != nil {
		return nil, err
	}
	if seed < 0 {
		var b [4]byte
		rand.Read(b[:])
		seed = int64(b[0])<<16 | int64(b[1])<<8 | int64(b[2])
	}
	now := p.now().UTC().Truncate(time.Millisecond)
	id := newID("s_")
	sim, err := simulator.New(ctx, sc, simulator.Options{ID: id, Seed: seed, Start: now, Classifier: p.cls, User: user.ID, Customer: p.customerFor(sc, seed)})
	if err != nil {
		return nil, err
	}
	sess := &PracticeSession{ID: id, UserID: user.ID, ScenarioID: sc.ID, ScenarioHash: sc.Hash, Seed: seed, StartedAt: now, Clock: now}
	syncSession(sess, sim, now)
	if err := p.store.CreateSession(ctx, sess); err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.live[id] = &liveSession{sim: sim, sess: sess, used: now}
	p.mu.Unlock()
	p.broker.publish(id)
	return copySession(sess), nil
}

// Reply plays an agent message in a session and returns the customer messages it
// produced; ECONFLICT when the session has ended.
func (p *Practice) Reply(ctx context.Context, id, text string) ([]scenarios.Message, *PracticeSession, error) {
	if p.customer != nil {
		// A model may take a while: the customer is typing meanwhile.
		p.broker.setTyping(id, true)
		defer p.broker.setTyping(id, false)
	}
	var out []scenarios.Message
	sess, err := p.change(ctx, id, func(sim *simulator.Session, now time.Time) (string, error) {
		msgs, err := sim.Reply(ctx, now, text)
		out = msgs
		return "", err
	})
	return out, sess, err
}

// End ends a session as the trainee asked; ending an ended session changes nothing.
func (p *Practice) End(ctx context.Context, id string) (*PracticeSession, error) {
	return p.change(ctx, id, func(sim *simulator.Session, now time.Time) (string, error) {
		if sim.Ended() {
			return "", nil
		}
		_, err := sim.End(ctx, now)
		return "trainee", err
	})
}

// Advance plays what happened on its own in a session up to now (chases, walking away,
// the time limit).
func (p *Practice) Advance(ctx context.Context, id string) (*PracticeSession, error) {
	return p.change(ctx, id, func(sim *simulator.Session, now time.Time) (string, error) {
		if sim.Ended() {
			return "", nil
		}
		_, err := sim.Advance(ctx, now)
		return "", err
	})
}

// Tick advances every session whose next deadline has passed. Every instance may run
// it: the version check lets one of them win each change.
func (p *Practice) Tick(ctx context.Context) error {
	due, err := p.store.FindSessions(ctx, SessionFilter{Due: p.now(), Limit: 500})
	if err != nil {
		return err
	}
	for _, s := range due {
		if _, err := p.Advance(ctx, s.ID); err != nil && scenarios.ErrorCode(err) != scenarios.ECONFLICT {
			p.log.Error("advance session", "session", s.ID, "err", err)
		}
	}
	p.evict()
	return nil
}

// Run ticks every interval until ctx is done.
func (p *Practice) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := p.Tick(ctx); err != nil && ctx.Err() == nil {
				p.log.Error("tick", "err", err)
			}
		}
	}
}

// evict drops sessions not used for a while from memory; the database has them.
func (p *Practice) evict() {
	p.mu.Lock()
	defer p.mu.Unlock()
	cutoff := p.now().Add(-15 * time.Minute)
	for id, l := range p.live {
		if l.mu.TryLock() {
			if l.used.Before(cutoff) || l.sess != nil && l.sess.Outcome != "" && l.used.Before(p.now().Add(-time.Minute)) {
				delete(p.live, id)
			}
			l.mu.Unlock()
		}
	}
}

// change applies fn to a session's engine at the current time and stores the result
// before returning it. fn returns who ended the session, when it did. A change that
// lost a race with another instance is replayed on the newer state.
func (p *Practice) change(ctx context.Context, id string, fn func(sim *simulator.Session, now time.Time) (string, error)) (*PracticeSession, error) {
	p.mu.Lock()
	l := p.live[id]
	if l == nil {
		l = &liveSession{}
		p.live[id] = l
	}
	p.mu.Unlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	for attempt := 0; ; attempt++ {
		if err := p.load(ctx, l, id); err != nil {
			return nil, err
		}
		now := p.now().UTC().Truncate(time.Millisecond)
		if now.Before(l.sess.Clock) {
			now = l.sess.Clock // another instance's clock ran ahead of ours
		}
		oldM, oldE, wasOutcome := len(l.sess.Messages), len(l.sess.Events), l.sess.Outcome
		endedBy, fnErr := fn(l.sim, now)
		next := *l.sess
		next.Messages, next.Events = l.sess.Messages, l.sess.Events
		if endedBy != "" {
			next.EndedBy = endedBy
		}
		if ce := scenarios.ErrorCode(fnErr); fnErr != nil && ce != scenarios.ECONFLICT && ce != scenarios.EINVALID {
			l.sim = nil // the engine may be half-way through a change: rebuild it
			return nil, fnErr
		}
		syncSession(&next, l.sim, now)
		if len(next.Messages) == oldM && len(next.Events) == oldE && next.Outcome == wasOutcome && next.EndedBy == l.sess.EndedBy {
			// Nothing happened (a rejected message, an early tick): nothing to store,
			// and the clock stays where it was so a replay needs no extra step.
			if fnErr != nil {
				return copySession(l.sess), fnErr
			}
			return copySession(l.sess), nil
		}
		err := p.store.UpdateSession(ctx, &next, oldM, oldE)
		if scenarios.ErrorCode(err) == scenarios.ECONFLICT && attempt < 5 {
			l.sim, l.sess = nil, nil // another instance changed it: replay its state
			continue
		}
		if err != nil {
			l.sim, l.sess = nil, nil
			return nil, err
		}
		l.sess, l.used = &next, now
		p.broker.publish(id)
		if next.Outcome != "" && wasOutcome == "" {
			if err := p.gradeSession(ctx, l); err != nil {
				p.log.Error("grade session", "session", id, "err", err)
			}
		}
		return copySession(&next), fnErr
	}
}

// load makes sure l holds the stored state of session id, replaying it when this
// instance has none or an older one.
func (p *Practice) load(ctx context.Context, l *liveSession, id string) error {
	if l.sess != nil && l.sim != nil {
		v, err := p.store.SessionVersion(ctx, id)
		if err != nil {
			return err
		}
		if v == l.sess.Version {
			return nil
		}
	}
	sess, err := p.store.FindSessionByID(ctx, id)
	if err != nil {
		return err
	}
	sim, err := p.replay(ctx, sess)
	if err != nil {
		return err
	}
	l.sess, l.sim, l.used = sess, sim, p.now()
	return nil
}

// scenarioVersion returns the scenario a session was started on.
func (p *Practice) scenarioVersion(ctx context.Context, hash string) (*scenarios.Scenario, error) {
	p.mu.Lock()
	sc := p.parsed[hash]
	p.mu.Unlock()
	if sc != nil {
		return sc, nil
	}
	src, err := p.store.FindScenarioSource(ctx, hash)
	if err != nil {
		return nil, err
	}
	sc, diags := scenarios.Parse("stored:"+hash[:12], src)
	if diags.HasErrors() {
		return nil, fmt.Errorf("stored scenario %s no longer parses: %w", hash[:12], diags.Err())
	}
	p.mu.Lock()
	p.parsed[hash] = sc
	p.mu.Unlock()
	return sc, nil
}

// replay rebuilds a session's engine from its stored inputs and checks that it
// reproduces the stored messages.
func (p *Practice) replay(ctx context.Context, sess *PracticeSession) (*simulator.Session, error) {
	sc, err := p.scenarioVersion(ctx, sess.ScenarioHash)
	if err != nil {
		return nil, err
	}
	// The stored customer messages are said again (a model would not write the same
	// words twice); the live customer takes over after the replay.
	rec := &simulator.Recorded{Messages: sess.Messages, Notes: map[int]string{}, Originals: map[int]string{}, Models: map[int]string{}}
	for _, ev := range sess.Events {
		if ev.Type == scenarios.EventMessage && ev.Message != nil {
			rec.Notes[*ev.Message], rec.Originals[*ev.Message], rec.Models[*ev.Message] = ev.Note, ev.Original, ev.Model
		}
	}
	sim, err := simulator.New(ctx, sc, simulator.Options{ID: sess.ID, Seed: sess.Seed, Start: sess.StartedAt, Classifier: p.cls, User: sess.UserID, Customer: rec})
	if err != nil {
		return nil, err
	}
	defer sim.SetCustomer(p.customerFor(sc, sess.Seed))
	for _, m := range sess.Messages {
		if m.Role != scenarios.RoleAgent {
			continue
		}
		if _, err := sim.Reply(ctx, m.At.Time, m.Text); err != nil {
			return nil, fmt.Errorf("replay session %s: %w", sess.ID, err)
		}
	}
	if sess.EndedBy == "trainee" {
		_, err = sim.End(ctx, sess.Clock)
	} else {
		_, err = sim.Advance(ctx, sess.Clock)
	}
	if err != nil {
		return nil, fmt.Errorf("replay session %s: %w", sess.ID, err)
	}
	tr := sim.Transcript()
	if len(tr.Messages) != len(sess.Messages) || len(tr.Events) != len(sess.Events) || tr.Outcome != sess.Outcome {
		return nil, fmt.Errorf("replay session %s: %d messages, %d events, outcome %q; stored %d, %d, %q", sess.ID, len(tr.Messages), len(tr.Events), tr.Outcome, len(sess.Messages), len(sess.Events), sess.Outcome)
	}
	return sim, nil
}

// syncSession copies the engine's state into sess, played to now.
func syncSession(sess *PracticeSession, sim *simulator.Session, now time.Time) {
	tr := sim.Transcript()
	sess.Messages, sess.Events = tr.Messages, tr.Events
	sess.Outcome, sess.Mood = tr.Outcome, sim.Mood()
	sess.Clock = now
	if d, ok := sim.NextDeadline(); ok {
		sess.NextDeadline = &d
	} else {
		sess.NextDeadline = nil
	}
}

func copySession(s *PracticeSession) *PracticeSession {
	c := *s
	c.Messages = append([]scenarios.Message{}, s.Messages...)
	c.Events = append([]scenarios.Event{}, s.Events...)
	return &c
}

// Transcript is a stored session as the grader reads it.
func (p *Practice) Transcript(ctx context.Context, sess *PracticeSession) (scenarios.Transcript, error) {
	sim, err := p.replay(ctx, sess)
	if err != nil {
		return scenarios.Transcript{}, err
	}
	return sim.Transcript(), nil
}

// gradeSession grades an ended session and stores the grade.
func (p *Practice) gradeSession(ctx context.Context, l *liveSession) error {
	_, err := p.GradeAndSave(ctx, l.sim.Transcript(), l.sess.ID)
	return err
}

// GradeAndSave grades a transcript and stores the grade under sessionID.
func (p *Practice) GradeAndSave(ctx context.Context, tr scenarios.Transcript, sessionID string) (*grading.Grade, error) {
	g, err := p.grader.Grade(ctx, tr)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(g)
	if err != nil {
		return nil, err
	}
	if err := p.store.SaveGrade(ctx, sessionID, g.Scores.Overall, data); err != nil {
		return nil, err
	}
	return &g, nil
}

// Grade returns a session's grade: the stored one, or one made now (stored when the
// session has ended).
func (p *Practice) Grade(ctx context.Context, sess *PracticeSession) (*grading.Grade, error) {
	if data, err := p.store.FindGrade(ctx, sess.ID); err == nil {
		var g grading.Grade
		if err := json.Unmarshal(data, &g); err != nil {
			return nil, fmt.Errorf("decode grade of %s: %w", sess.ID, err)
		}
		return &g, nil
	} else if scenarios.ErrorCode(err) != scenarios.ENOTFOUND {
		return nil, err
	}
	tr, err := p.Transcript(ctx, sess)
	if err != nil {
		return nil, err
	}
	if sess.Outcome != "" {
		return p.GradeAndSave(ctx, tr, sess.ID)
	}
	g, err := p.grader.Grade(ctx, tr)
	return &g, err
}

// Subscribe returns a channel that receives a value whenever this instance changes
// session id (or its customer starts or stops typing), and a function to stop.
func (p *Practice) Subscribe(id string) (<-chan struct{}, func()) {
	return p.broker.subscribe(id)
}

// Typing reports whether a model is writing the customer's next message in session id
// on this instance.
func (p *Practice) Typing(id string) bool {
	p.broker.mu.Lock()
	defer p.broker.mu.Unlock()
	return p.broker.typing[id] > 0
}

// broker tells this instance's listeners that a session changed, or that its customer
// is typing.
type broker struct {
	mu     sync.Mutex
	subs   map[string]map[chan struct{}]bool
	typing map[string]int
}

func newBroker() *broker {
	return &broker{subs: map[string]map[chan struct{}]bool{}, typing: map[string]int{}}
}

// setTyping counts a reply being written (on) or done (off) and wakes the listeners.
func (b *broker) setTyping(id string, on bool) {
	b.mu.Lock()
	if on {
		b.typing[id]++
	} else if b.typing[id]--; b.typing[id] <= 0 {
		delete(b.typing, id)
	}
	b.mu.Unlock()
	b.publish(id)
}

func (b *broker) subscribe(id string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	b.mu.Lock()
	if b.subs[id] == nil {
		b.subs[id] = map[chan struct{}]bool{}
	}
	b.subs[id][ch] = true
	b.mu.Unlock()
	return ch, func() {
		b.mu.Lock()
		delete(b.subs[id], ch)
		if len(b.subs[id]) == 0 {
			delete(b.subs, id)
		}
		b.mu.Unlock()
	}
}

func (b *broker) publish(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs[id] {
		select {
		case ch <- struct{}{}:
		default: // a wake-up is already pending
		}
	}
}
