package store_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"chatdojo/internal/testenv"
	"chatdojo/scenarios"
	"chatdojo/store"
	"chatdojo/web"
)

// t0 is the tests' reference time: UTC, with milliseconds, as the store keeps times.
var t0 = time.Date(2026, 11, 26, 9, 30, 15, 123_000_000, time.UTC)

// forEachDSN runs test in parallel subtests on a fresh, unmigrated database of each
// kind: "sqlite" (a file in t.TempDir()) and "postgres" (a fresh database on the
// server of TEST_POSTGRES_DSN; skipped without it, except under CI=true).
func forEachDSN(t *testing.T, test func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		test(t, filepath.Join(t.TempDir(), "chatdojo.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		test(t, testenv.FreshPostgresDB(t))
	})
}

// forEachDB runs test in parallel subtests "sqlite" and "postgres", each on a fresh,
// migrated store.
func forEachDB(t *testing.T, test func(t *testing.T, s *store.Store)) {
	t.Helper()
	forEachDSN(t, func(t *testing.T, dsn string) {
		s := openStore(t, dsn)
		if _, err := s.Migrate(context.Background()); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		test(t, s)
	})
}

// openStore opens dsn and closes the store when the test ends.
func openStore(tb testing.TB, dsn string) *store.Store {
	tb.Helper()
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return s
}

// wantCode fails the test unless err carries the error code want ("" for no error).
func wantCode(tb testing.TB, what string, err error, want string) {
	tb.Helper()
	if got := scenarios.ErrorCode(err); got != want {
		tb.Fatalf("%s: error code %q (error %v), want %q", what, got, err, want)
	}
}

// mustNot fails the test when err is not nil.
func mustNot(tb testing.TB, what string, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
}

// createUser stores a trainee with the given id and email.
func createUser(tb testing.TB, s *store.Store, id, email string) *web.User {
	tb.Helper()
	u := &web.User{ID: id, Email: email, Name: "User " + id, Role: web.RoleTrainee, CreatedAt: t0}
	mustNot(tb, "CreateUser "+id, s.CreateUser(context.Background(), u))
	return u
}

// saveScenario stores a scenario version and returns its hash.
func saveScenario(tb testing.TB, s *store.Store, id string) string {
	tb.Helper()
	hash := "sha256-" + id
	mustNot(tb, "SaveScenarioVersion", s.SaveScenarioVersion(context.Background(), id, hash, []byte("# "+id+"\n")))
	return hash
}

// newSession returns a running session of user on a stored scenario version, without
// messages or events, started at start.
func newSession(tb testing.TB, s *store.Store, id, userID string, start time.Time) *web.PracticeSession {
	tb.Helper()
	deadline := start.Add(2 * time.Minute)
	return &web.PracticeSession{
		ID: id, UserID: userID, ScenarioID: "refund", ScenarioHash: saveScenario(tb, s, "refund"),
		Seed: 42, StartedAt: start, Clock: start, Mood: 40, NextDeadline: &deadline,
		Messages: []scenarios.Message{}, Events: []scenarios.Event{},
	}
}

// agentMessage and customerMessage return messages as the simulator writes them.
func agentMessage(text string, at time.Time) scenarios.Message {
	return scenarios.Message{Role: scenarios.RoleAgent, Text: text, At: scenarios.At(at)}
}

func customerMessage(text string, at time.Time, src scenarios.Source, mood int) scenarios.Message {
	return scenarios.Message{Role: scenarios.RoleCustomer, Text: text, At: scenarios.At(at), Source: src, Mood: &mood}
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }

// copySession returns a deep enough copy of p that appending to its log or changing
// its fields leaves p alone.
func copySession(p *web.PracticeSession) *web.PracticeSession {
	c := *p
	c.Messages = slices.Clone(p.Messages)
	c.Events = slices.Clone(p.Events)
	return &c
}

// contains fails the test unless err's message contains sub.
func contains(tb testing.TB, err error, sub string) {
	tb.Helper()
	if err == nil || !strings.Contains(err.Error(), sub) {
		tb.Fatalf("error %v, want one that says %q", err, sub)
	}
}
