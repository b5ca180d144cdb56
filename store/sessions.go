package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"chatdojo/scenarios"
	"chatdojo/web"
)

type scenarioVersionRow struct {
	bun.BaseModel `bun:"table:scenario_versions"`
	Hash          string `bun:"hash,pk"`
	ScenarioID    string `bun:"scenario_id"`
	Source        string `bun:"source"`
	CreatedAt     int64  `bun:"created_at"`
}

// SaveScenarioVersion keeps a scenario file's source under its hash; a version already
// kept is left alone.
func (s *Store) SaveScenarioVersion(ctx context.Context, id, hash string, source []byte) error {
	row := &scenarioVersionRow{Hash: hash, ScenarioID: id, Source: string(source), CreatedAt: ms(time.Now())}
	if _, err := s.db.NewInsert().Model(row).On("CONFLICT (hash) DO NOTHING").Exec(ctx); err != nil {
		return fmt.Errorf("save scenario %s: %w", id, err)
	}
	return nil
}

// FindScenarioSource returns the source of a scenario version.
func (s *Store) FindScenarioSource(ctx context.Context, hash string) ([]byte, error) {
	var row scenarioVersionRow
	if err := s.db.NewSelect().Model(&row).Where("hash = ?", hash).Scan(ctx); err != nil {
		return nil, notFound(err, "scenario version")
	}
	return []byte(row.Source), nil
}

type sessionRow struct {
	bun.BaseModel `bun:"table:sessions"`
	ID            string `bun:"id,pk"`
	UserID        string `bun:"user_id"`
	ScenarioID    string `bun:"scenario_id"`
	ScenarioHash  string `bun:"scenario_hash"`
	Seed          int64  `bun:"seed"`
	StartedAt     int64  `bun:"started_at"`
	Clock         int64  `bun:"clock"`
	EndedBy       string `bun:"ended_by"`
	Outcome       string `bun:"outcome"`
	Mood          int    `bun:"mood"`
	NextDeadline  *int64 `bun:"next_deadline"`
	Version       int    `bun:"version"`
	NMessages     int    `bun:"n_messages"`
	NEvents       int    `bun:"n_events"`
}

type messageRow struct {
	bun.BaseModel `bun:"table:messages"`
	SessionID     string `bun:"session_id,pk"`
	Seq           int    `bun:"seq,pk"`
	Role          string `bun:"role"`
	Text          string `bun:"text"`
	At            int64  `bun:"at"`
	Source        string `bun:"source"`
	Mood          *int   `bun:"mood"`
}

type eventRow struct {
	bun.BaseModel `bun:"table:events"`
	SessionID     string `bun:"session_id,pk"`
	Seq           int    `bun:"seq,pk"`
	Type          string `bun:"type"`
	At            int64  `bun:"at"`
	Data          string `bun:"data"`
}

func sessionToRow(p *web.PracticeSession) *sessionRow {
	r := &sessionRow{
		ID: p.ID, UserID: p.UserID, ScenarioID: p.ScenarioID, ScenarioHash: p.ScenarioHash, Seed: p.Seed,
		StartedAt: ms(p.StartedAt), Clock: ms(p.Clock), EndedBy: p.EndedBy, Outcome: string(p.Outcome), Mood: p.Mood,
		Version: p.Version, NMessages: len(p.Messages), NEvents: len(p.Events),
	}
	if p.NextDeadline != nil {
		d := ms(*p.NextDeadline)
		r.NextDeadline = &d
	}
	return r
}

func messageRows(id string, msgs []scenarios.Message, from int) []messageRow {
	rows := make([]messageRow, 0, len(msgs)-from)
	for i := from; i < len(msgs); i++ {
		m := msgs[i]
		rows = append(rows, messageRow{SessionID: id, Seq: i, Role: string(m.Role), Text: m.Text, At: ms(m.At.Time), Source: string(m.Source), Mood: m.Mood})
	}
	return rows
}

func eventRows(id string, evs []scenarios.Event, from int) ([]eventRow, error) {
	rows := make([]eventRow, 0, len(evs)-from)
	for i := from; i < len(evs); i++ {
		data, err := json.Marshal(evs[i])
		if err != nil {
			return nil, fmt.Errorf("encode event: %w", err)
		}
		rows = append(rows, eventRow{SessionID: id, Seq: i, Type: string(evs[i].Type), At: ms(evs[i].At.Time), Data: string(data)})
	}
	return rows, nil
}

// CreateSession stores a new practice session with its messages and events.
func (s *Store) CreateSession(ctx context.Context, p *web.PracticeSession) error {
	evs, err := eventRows(p.ID, p.Events, 0)
	if err != nil {
		return err
	}
	msgs := messageRows(p.ID, p.Messages, 0)
	unlock, err := s.lockWrite(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(sessionToRow(p)).Exec(ctx); err != nil {
			if duplicate(err) {
				return scenarios.Errorf(scenarios.ECONFLICT, "a session with the id %s already exists", p.ID)
			}
			return err
		}
		return insertLog(ctx, tx, msgs, evs)
	})
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

func insertLog(ctx context.Context, tx bun.Tx, msgs []messageRow, evs []eventRow) error {
	if len(msgs) > 0 {
		if _, err := tx.NewInsert().Model(&msgs).Exec(ctx); err != nil {
			return err
		}
	}
	if len(evs) > 0 {
		if _, err := tx.NewInsert().Model(&evs).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// UpdateSession stores a session's new state and appends its new messages and events,
// if nobody changed it since it was read at s.Version.
func (s *Store) UpdateSession(ctx context.Context, p *web.PracticeSession, oldMessages, oldEvents int) error {
	evs, err := eventRows(p.ID, p.Events, oldEvents)
	if err != nil {
		return err
	}
	msgs := messageRows(p.ID, p.Messages, oldMessages)
	row := sessionToRow(p)
	row.Version = p.Version + 1
	unlock, err := s.lockWrite(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// The version check comes first: it takes the row (and, on SQLite, the write
		// lock) before anything is written.
		res, err := tx.NewUpdate().Model(row).
			Column("clock", "ended_by", "outcome", "mood", "next_deadline", "version", "n_messages", "n_events").
			Where("id = ?", p.ID).Where("version = ?", p.Version).Exec(ctx)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			if exists, err := tx.NewSelect().Model((*sessionRow)(nil)).Where("id = ?", p.ID).Exists(ctx); err == nil && !exists {
				return scenarios.Errorf(scenarios.ENOTFOUND, "session %s not found", p.ID)
			}
			return scenarios.Errorf(scenarios.ECONFLICT, "session %s was changed meanwhile", p.ID)
		}
		return insertLog(ctx, tx, msgs, evs)
	})
	if err != nil {
		if c := scenarios.ErrorCode(err); c == scenarios.ECONFLICT || c == scenarios.ENOTFOUND {
			return err
		}
		return fmt.Errorf("update session: %w", err)
	}
	p.Version++
	return nil
}

// SessionVersion returns the stored version of a session.
func (s *Store) SessionVersion(ctx context.Context, id string) (int, error) {
	var v int
	if err := s.db.NewSelect().Model((*sessionRow)(nil)).Column("version").Where("id = ?", id).Scan(ctx, &v); err != nil {
		return 0, notFound(err, "session")
	}
	return v, nil
}

// FindSessionByID returns a session with all its messages and events.
func (s *Store) FindSessionByID(ctx context.Context, id string) (*web.PracticeSession, error) {
	var row sessionRow
	if err := s.db.NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "session")
	}
	// The log is append-only and a change commits the row and its log together, so
	// the first n_messages and n_events entries are the log as of the row read above;
	// entries a change committed since then are left out.
	var msgs []messageRow
	if err := s.db.NewSelect().Model(&msgs).Where("session_id = ?", id).Where("seq < ?", row.NMessages).Order("seq").Scan(ctx); err != nil {
		return nil, fmt.Errorf("find messages: %w", err)
	}
	var evs []eventRow
	if err := s.db.NewSelect().Model(&evs).Where("session_id = ?", id).Where("seq < ?", row.NEvents).Order("seq").Scan(ctx); err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	p := &web.PracticeSession{
		ID: row.ID, UserID: row.UserID, ScenarioID: row.ScenarioID, ScenarioHash: row.ScenarioHash, Seed: row.Seed,
		StartedAt: fromMS(row.StartedAt), Clock: fromMS(row.Clock), EndedBy: row.EndedBy,
		Outcome: scenarios.Outcome(row.Outcome), Mood: row.Mood, Version: row.Version,
		Messages: make([]scenarios.Message, 0, len(msgs)), Events: make([]scenarios.Event, 0, len(evs)),
	}
	if row.NextDeadline != nil {
		d := fromMS(*row.NextDeadline)
		p.NextDeadline = &d
	}
	for _, m := range msgs {
		p.Messages = append(p.Messages, scenarios.Message{Role: scenarios.Role(m.Role), Text: m.Text, At: scenarios.At(fromMS(m.At)), Source: scenarios.Source(m.Source), Mood: m.Mood})
	}
	for _, e := range evs {
		var ev scenarios.Event
		if err := json.Unmarshal([]byte(e.Data), &ev); err != nil {
			return nil, fmt.Errorf("decode event %d of session %s: %w", e.Seq, id, err)
		}
		p.Events = append(p.Events, ev)
	}
	if len(p.Messages) != row.NMessages || len(p.Events) != row.NEvents {
		return nil, fmt.Errorf("session %s: %d messages and %d events stored, the session row says %d and %d", id, len(p.Messages), len(p.Events), row.NMessages, row.NEvents)
	}
	return p, nil
}

// FindSessionSummary returns a session's row without its messages: enough to check
// who owns it and whether it has ended.
func (s *Store) FindSessionSummary(ctx context.Context, id string) (*web.SessionSummary, error) {
	var row sessionRow
	if err := s.db.NewSelect().Model(&row).Column("id", "user_id", "scenario_id", "started_at", "outcome", "mood").Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "session")
	}
	return &web.SessionSummary{ID: row.ID, UserID: row.UserID, ScenarioID: row.ScenarioID, StartedAt: fromMS(row.StartedAt), Outcome: scenarios.Outcome(row.Outcome), Mood: row.Mood}, nil
}

// FindSessions lists sessions, newest first, with their overall grade when graded.
func (s *Store) FindSessions(ctx context.Context, f web.SessionFilter) ([]web.SessionSummary, error) {
	var rows []struct {
		sessionRow `bun:",extend"`
		Email      string `bun:"email"`
		Overall    *int   `bun:"overall"`
	}
	q := s.db.NewSelect().Model(&rows).
		ColumnExpr("session_row.*").ColumnExpr("u.email AS email").ColumnExpr("g.overall AS overall").
		Join("JOIN users AS u ON u.id = session_row.user_id").
		Join("LEFT JOIN grades AS g ON g.session_id = session_row.id")
	if f.UserID != "" {
		q = q.Where("session_row.user_id = ?", f.UserID)
	}
	if f.Active {
		q = q.Where("session_row.outcome = ''")
	}
	if !f.Due.IsZero() {
		q = q.Where("session_row.outcome = ''").Where("session_row.next_deadline <= ?", ms(f.Due))
	}
	q = q.Order("session_row.started_at DESC")
	if f.Limit > 0 {
		q = q.Limit(int64(f.Limit))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("find sessions: %w", err)
	}
	out := make([]web.SessionSummary, len(rows))
	for i, r := range rows {
		out[i] = web.SessionSummary{ID: r.ID, UserID: r.UserID, UserEmail: r.Email, ScenarioID: r.ScenarioID, StartedAt: fromMS(r.StartedAt), Outcome: scenarios.Outcome(r.Outcome), Mood: r.Mood, Overall: r.Overall}
	}
	return out, nil
}

type gradeRow struct {
	bun.BaseModel `bun:"table:grades"`
	SessionID     string `bun:"session_id,pk"`
	Overall       *int   `bun:"overall"`
	Data          string `bun:"data"`
	CreatedAt     int64  `bun:"created_at"`
}

// SaveGrade stores a session's grade, replacing an earlier one.
func (s *Store) SaveGrade(ctx context.Context, sessionID string, overall *int, grade []byte) error {
	row := &gradeRow{SessionID: sessionID, Overall: overall, Data: string(grade), CreatedAt: ms(time.Now())}
	unlock, err := s.lockWrite(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = s.db.NewInsert().Model(row).
		On("CONFLICT (session_id) DO UPDATE").Set("overall = EXCLUDED.overall").Set("data = EXCLUDED.data").Set("created_at = EXCLUDED.created_at").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("save grade: %w", err)
	}
	return nil
}

// FindGrade returns a session's grade.
func (s *Store) FindGrade(ctx context.Context, sessionID string) ([]byte, error) {
	var row gradeRow
	if err := s.db.NewSelect().Model(&row).Where("session_id = ?", sessionID).Scan(ctx); err != nil {
		return nil, notFound(err, "grade")
	}
	return []byte(row.Data), nil
}

// FindGrades returns the grades of a user's sessions (everyone's for ""), oldest
// session first.
func (s *Store) FindGrades(ctx context.Context, userID string) ([][]byte, error) {
	var rows []gradeRow
	q := s.db.NewSelect().Model(&rows).Join("JOIN sessions AS s ON s.id = grade_row.session_id").Order("s.started_at")
	if userID != "" {
		q = q.Where("s.user_id = ?", userID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("find grades: %w", err)
	}
	out := make([][]byte, len(rows))
	for i, r := range rows {
		out[i] = []byte(r.Data)
	}
	return out, nil
}
