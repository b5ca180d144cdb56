package web

import (
	"context"
	"time"

	"chatdojo/scenarios"
)

// Role is what a user may do: a trainee practises and sees their own sessions; a trainer
// and an admin see everyone's; an admin also invites users.
type Role string

// The roles.
const (
	RoleAdmin   Role = "admin"
	RoleTrainer Role = "trainer"
	RoleTrainee Role = "trainee"
)

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool {
	return r == RoleAdmin || r == RoleTrainer || r == RoleTrainee
}

// SeesEveryone reports whether the role may read every user's sessions.
func (r Role) SeesEveryone() bool {
	return r == RoleAdmin || r == RoleTrainer
}

// User is a person with an account.
type User struct {
	ID    string
	Email string
	Name  string
	Role  Role
	// PasswordHash is the bcrypt hash of the password, "" until one is set.
	PasswordHash string
	CreatedAt    time.Time
}

// LoginLink is a one-time sign-in link: the first admin's, an invitation, or one printed
// by `chatdojo user add`. Only the hash of its token is stored.
type LoginLink struct {
	TokenHash string
	UserID    string
	ExpiresAt time.Time
}

// WebSession is a signed-in browser: the cookie holds the token, the store its hash.
type WebSession struct {
	TokenHash string
	UserID    string
	ExpiresAt time.Time
}

// Token is a user's API token; only its hash is stored.
type Token struct {
	ID         string
	UserID     string
	Name       string
	Hash       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

// PracticeSession is one practice conversation: the inputs that replay it exactly (the
// scenario version, seed, start, the agent's messages in Messages, and Clock, the
// latest time the engine was advanced to) and its outputs so far.
type PracticeSession struct {
	ID           string
	UserID       string
	ScenarioID   string
	ScenarioHash string
	Seed         int64
	StartedAt    time.Time
	// Clock is the latest time the engine was played to.
	Clock time.Time
	// EndedBy is "trainee" when the trainee ended the session, else "".
	EndedBy string
	Outcome scenarios.Outcome
	Mood    int
	// NextDeadline is when the engine next acts on its own (a chase, the time limit);
	// nil once the session has ended.
	NextDeadline *time.Time
	// Version counts the changes; an update names the version it read.
	Version  int
	Messages []scenarios.Message
	Events   []scenarios.Event
}

// SessionSummary is a practice session in a list, without its messages.
type SessionSummary struct {
	ID         string
	UserID     string
	UserEmail  string
	ScenarioID string
	StartedAt  time.Time
	Outcome    scenarios.Outcome
	Mood       int
	// Overall is the grade's overall score, nil until graded.
	Overall *int
}

// SessionFilter selects practice sessions; zero fields match everything.
type SessionFilter struct {
	UserID string
	// Active selects the sessions that have not ended; Due those whose next deadline is
	// at or before it.
	Active bool
	Due    time.Time
	Limit  int
}

// Store is what the web app keeps. Methods return scenarios.Error codes: ENOTFOUND for a
// missing row, ECONFLICT for a duplicate or a stale version, EINTERNAL otherwise.
type Store interface {
	CountUsers(ctx context.Context) (int, error)
	// CreateUser fails with ECONFLICT when the email is taken.
	CreateUser(ctx context.Context, u *User) error
	FindUserByID(ctx context.Context, id string) (*User, error)
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	FindUsers(ctx context.Context) ([]User, error)
	SetPassword(ctx context.Context, userID, hash string) error

	CreateLoginLink(ctx context.Context, l LoginLink) error
	// ConsumeLoginLink returns the link's user and deletes it; ENOTFOUND when it is
	// unknown, used or expired at now.
	ConsumeLoginLink(ctx context.Context, tokenHash string, now time.Time) (*User, error)

	CreateWebSession(ctx context.Context, s WebSession) error
	// FindWebSession returns the session's user; ENOTFOUND when unknown or expired.
	FindWebSession(ctx context.Context, tokenHash string, now time.Time) (*User, error)
	DeleteWebSession(ctx context.Context, tokenHash string) error

	CreateToken(ctx context.Context, t Token) error
	// FindUserByToken returns the token's user and notes its use.
	FindUserByToken(ctx context.Context, hash string, now time.Time) (*User, error)
	FindTokens(ctx context.Context, userID string) ([]Token, error)
	// DeleteToken deletes a user's token; ENOTFOUND when the user has no such token.
	DeleteToken(ctx context.Context, userID, id string) error

	// SaveScenarioVersion keeps a scenario file's source under its hash (once).
	SaveScenarioVersion(ctx context.Context, id, hash string, source []byte) error
	FindScenarioSource(ctx context.Context, hash string) ([]byte, error)

	// CreateSession stores a new practice session with its messages and events.
	CreateSession(ctx context.Context, s *PracticeSession) error
	// FindSessionByID returns a session with all its messages and events.
	FindSessionByID(ctx context.Context, id string) (*PracticeSession, error)
	// FindSessionSummary returns a session without its messages and events.
	FindSessionSummary(ctx context.Context, id string) (*SessionSummary, error)
	FindSessions(ctx context.Context, f SessionFilter) ([]SessionSummary, error)
	// UpdateSession stores s's new state and appends its messages and events beyond
	// the first oldMessages and oldEvents, if the stored version is still s.Version
	// (ECONFLICT otherwise); s.Version is then incremented.
	UpdateSession(ctx context.Context, s *PracticeSession, oldMessages, oldEvents int) error
	// SessionVersion returns the stored version of a session, to notice changes made
	// through another instance.
	SessionVersion(ctx context.Context, id string) (int, error)

	// SaveGrade stores the grade of a session (JSON, one line of `chatdojo grade`),
	// replacing an earlier one.
	SaveGrade(ctx context.Context, sessionID string, overall *int, grade []byte) error
	// FindGrade returns a session's grade; ENOTFOUND before it is graded.
	FindGrade(ctx context.Context, sessionID string) ([]byte, error)
	// FindGrades returns the grades of a user's sessions (all users' when userID is
	// ""), oldest first.
	FindGrades(ctx context.Context, userID string) ([][]byte, error)

	// Secret returns a setting shared by every instance, creating it with value make()
	// the first time.
	Secret(ctx context.Context, name string, make func() string) (string, error)
}
