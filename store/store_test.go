package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"chatdojo/scenarios"
	"chatdojo/store"
	"chatdojo/web"
)

func TestOpenRefusesBadDSN(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name string
		dsn  string
		want string
	}{
		{"empty", "", scenarios.EINVALID},
		{"path with options", filepath.Join(dir, "a.db") + "?_pragma=foreign_keys(0)", scenarios.EINVALID},
		{"file URI with options", "file:" + filepath.Join(dir, "b.db") + "?mode=ro", scenarios.EINVALID},
		{"sqlite URL with options", "sqlite://" + filepath.Join(dir, "c.db") + "?cache=shared", scenarios.EINVALID},
		// Nothing listens on port 1: Open pings, so it fails now rather than on first use.
		{"unreachable postgres", "postgres://nobody@127.0.0.1:1/chatdojo?sslmode=disable&connect_timeout=5", scenarios.EINTERNAL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := store.Open(context.Background(), tt.dsn)
			if err == nil {
				s.Close()
			}
			wantCode(t, "Open("+tt.dsn+")", err, tt.want)
		})
	}
}

func TestOpenSQLiteForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		prefix string
	}{
		{"path", ""},
		{"file URI", "file:"},
		{"sqlite URL", "sqlite://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "chatdojo.db")
			s := openStore(t, tt.prefix+path)
			if s.Postgres() {
				t.Error("Postgres() = true for a SQLite file")
			}
			if _, err := s.Migrate(context.Background()); err != nil {
				t.Fatalf("Migrate: %v", err)
			}
			// The same file opened by its plain path sees the migrations: the prefix was
			// stripped, not made part of the file name.
			again := openStore(t, path)
			names, err := again.Migrate(context.Background())
			mustNot(t, "Migrate again", err)
			if diff := cmp.Diff([]string(nil), names, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("second Migrate applied (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn)
		if got, want := s.Postgres(), store.IsPostgres(dsn); got != want {
			t.Errorf("Postgres() = %v, want %v", got, want)
		}
		names, err := s.Migrate(ctx)
		mustNot(t, "first Migrate", err)
		if diff := cmp.Diff([]string{"20261126000000", "20261126000100"}, names); diff != "" {
			t.Errorf("first Migrate applied (-want +got):\n%s", diff)
		}
		names, err = s.Migrate(ctx)
		mustNot(t, "second Migrate", err)
		if len(names) != 0 {
			t.Errorf("second Migrate applied %q, want nothing", names)
		}
		// Both migrations' tables are there.
		n, err := s.CountUsers(ctx)
		mustNot(t, "CountUsers", err)
		if n != 0 {
			t.Errorf("CountUsers = %d on a fresh database, want 0", n)
		}
		if _, err := s.Secret(ctx, "csrf", func() string { return "k" }); err != nil {
			t.Errorf("Secret after Migrate: %v", err)
		}
	})
}

func TestMigrateConcurrently(t *testing.T) {
	t.Parallel()
	// Instances starting at once on one database: one migrates, the others find
	// nothing left to do, and none fails.
	forEachDSN(t, func(t *testing.T, dsn string) {
		var (
			stores [3]*store.Store
			names  [3][]string
			errs   [3]error
			wg     sync.WaitGroup
			start  = make(chan struct{})
		)
		for i := range stores {
			stores[i] = openStore(t, dsn)
		}
		for i, s := range stores {
			wg.Go(func() {
				<-start
				names[i], errs[i] = s.Migrate(context.Background())
			})
		}
		close(start)
		wg.Wait()
		var applied []string
		for i, err := range errs {
			mustNot(t, fmt.Sprintf("Migrate of instance %d", i), err)
			applied = append(applied, names[i]...)
		}
		if diff := cmp.Diff([]string{"20261126000000", "20261126000100"}, applied); diff != "" {
			t.Errorf("migrations applied by all instances together (-want +got):\n%s", diff)
		}
	})
}

func TestCreateUserAndFind(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := &web.User{ID: "u1", Email: "  Ada.Lovelace@Example.COM ", Name: "Ada", Role: web.RoleAdmin, PasswordHash: "$2a$10$hash", CreatedAt: t0}
		mustNot(t, "CreateUser", s.CreateUser(ctx, u))
		want := &web.User{ID: "u1", Email: "ada.lovelace@example.com", Name: "Ada", Role: web.RoleAdmin, PasswordHash: "$2a$10$hash", CreatedAt: t0}
		if diff := cmp.Diff(want, u); diff != "" {
			t.Errorf("CreateUser left the user (-want +got):\n%s", diff)
		}

		got, err := s.FindUserByID(ctx, "u1")
		mustNot(t, "FindUserByID", err)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("FindUserByID (-want +got):\n%s", diff)
		}
		for _, email := range []string{"ada.lovelace@example.com", "ADA.LOVELACE@EXAMPLE.COM", " Ada.Lovelace@example.com\t"} {
			t.Run(email, func(t *testing.T) {
				got, err := s.FindUserByEmail(ctx, email)
				mustNot(t, "FindUserByEmail", err)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("FindUserByEmail(%q) (-want +got):\n%s", email, diff)
				}
			})
		}
	})
}

func TestCreateUserDuplicateEmail(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		first := createUser(t, s, "u1", "grace@example.com")
		tests := []struct {
			name string
			user web.User
			want string
		}{
			{"same email", web.User{ID: "u2", Email: "grace@example.com", Role: web.RoleTrainee, CreatedAt: t0}, scenarios.ECONFLICT},
			{"other case and spaces", web.User{ID: "u3", Email: " GRACE@example.com ", Role: web.RoleTrainee, CreatedAt: t0}, scenarios.ECONFLICT},
			{"same id", web.User{ID: "u1", Email: "other@example.com", Role: web.RoleTrainee, CreatedAt: t0}, scenarios.ECONFLICT},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantCode(t, "CreateUser", s.CreateUser(ctx, &tt.user), tt.want)
			})
		}
		n, err := s.CountUsers(ctx)
		mustNot(t, "CountUsers", err)
		if n != 1 {
			t.Errorf("CountUsers = %d after refused duplicates, want 1", n)
		}
		got, err := s.FindUserByID(ctx, "u1")
		mustNot(t, "FindUserByID", err)
		if diff := cmp.Diff(first, got); diff != "" {
			t.Errorf("the first user changed (-want +got):\n%s", diff)
		}
	})
}

func TestFindUserNotFound(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		createUser(t, s, "u1", "known@example.com")
		tests := []struct {
			name string
			find func() (*web.User, error)
		}{
			{"unknown id", func() (*web.User, error) { return s.FindUserByID(ctx, "u2") }},
			{"unknown email", func() (*web.User, error) { return s.FindUserByEmail(ctx, "unknown@example.com") }},
			{"empty email", func() (*web.User, error) { return s.FindUserByEmail(ctx, "") }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				u, err := tt.find()
				wantCode(t, tt.name, err, scenarios.ENOTFOUND)
				if u != nil {
					t.Errorf("got user %+v with the error", u)
				}
			})
		}
	})
}

func TestCountAndFindUsers(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		users, err := s.FindUsers(ctx)
		mustNot(t, "FindUsers", err)
		if len(users) != 0 {
			t.Errorf("FindUsers on an empty database = %v", users)
		}
		var want []web.User
		// Created out of email order, and ids in reverse order, so that neither
		// insertion nor id order passes for email order.
		for _, c := range []struct{ id, email string }{{"3", "carol@example.com"}, {"2", "Alice@example.com"}, {"1", "bob@example.com"}} {
			createUser(t, s, c.id, c.email)
		}
		for _, c := range []struct{ id, email string }{{"2", "alice@example.com"}, {"1", "bob@example.com"}, {"3", "carol@example.com"}} {
			want = append(want, web.User{ID: c.id, Email: c.email, Name: "User " + c.id, Role: web.RoleTrainee, CreatedAt: t0})
		}
		n, err := s.CountUsers(ctx)
		mustNot(t, "CountUsers", err)
		if n != 3 {
			t.Errorf("CountUsers = %d, want 3", n)
		}
		users, err = s.FindUsers(ctx)
		mustNot(t, "FindUsers", err)
		if diff := cmp.Diff(want, users); diff != "" {
			t.Errorf("FindUsers (-want +got):\n%s", diff)
		}
	})
}

func TestSetPassword(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		createUser(t, s, "u1", "one@example.com")
		createUser(t, s, "u2", "two@example.com")
		for _, hash := range []string{"$2a$10$first", "$2a$10$second"} {
			mustNot(t, "SetPassword", s.SetPassword(ctx, "u1", hash))
			u, err := s.FindUserByID(ctx, "u1")
			mustNot(t, "FindUserByID", err)
			if u.PasswordHash != hash {
				t.Errorf("PasswordHash = %q, want %q", u.PasswordHash, hash)
			}
		}
		other, err := s.FindUserByID(ctx, "u2")
		mustNot(t, "FindUserByID", err)
		if other.PasswordHash != "" {
			t.Errorf("SetPassword of u1 set u2's hash to %q", other.PasswordHash)
		}
		wantCode(t, "SetPassword of an unknown user", s.SetPassword(ctx, "ghost", "$2a$10$x"), scenarios.ENOTFOUND)
	})
}

func TestConsumeLoginLink(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		want := createUser(t, s, "u1", "invitee@example.com")
		tests := []struct {
			name    string
			expires time.Time
			now     time.Time
			// wantErr is what the error says, "" when the link is valid.
			wantErr string
		}{
			{"valid", t0.Add(time.Hour), t0, ""},
			{"at expiry", t0, t0, ""},
			{"expired a millisecond ago", t0, t0.Add(time.Millisecond), "expired"},
			{"expired long ago", t0.Add(-72 * time.Hour), t0, "expired"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				hash := "link-" + tt.name
				mustNot(t, "CreateLoginLink", s.CreateLoginLink(ctx, web.LoginLink{TokenHash: hash, UserID: "u1", ExpiresAt: tt.expires}))
				got, err := s.ConsumeLoginLink(ctx, hash, tt.now)
				if tt.wantErr != "" {
					wantCode(t, "ConsumeLoginLink", err, scenarios.ENOTFOUND)
					contains(t, err, tt.wantErr)
					if got != nil {
						t.Errorf("an expired link gave user %+v", got)
					}
				} else {
					mustNot(t, "ConsumeLoginLink", err)
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("ConsumeLoginLink (-want +got):\n%s", diff)
					}
				}
				_, err = s.ConsumeLoginLink(ctx, hash, tt.now)
				wantCode(t, "second ConsumeLoginLink", err, scenarios.ENOTFOUND)
			})
		}
		_, err := s.ConsumeLoginLink(ctx, "never-issued", t0)
		wantCode(t, "ConsumeLoginLink of an unknown link", err, scenarios.ENOTFOUND)
		err = s.CreateLoginLink(ctx, web.LoginLink{TokenHash: "orphan", UserID: "ghost", ExpiresAt: t0})
		if err == nil {
			t.Error("CreateLoginLink for an unknown user succeeded, want a foreign key error")
		}
	})
}

func TestConsumeLoginLinkConcurrently(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		createUser(t, s, "u1", "invitee@example.com")
		for round := range 10 {
			hash := fmt.Sprintf("link-%d", round)
			mustNot(t, "CreateLoginLink", s.CreateLoginLink(ctx, web.LoginLink{TokenHash: hash, UserID: "u1", ExpiresAt: t0.Add(time.Hour)}))
			var (
				wg    sync.WaitGroup
				start = make(chan struct{})
				errs  [6]error
			)
			for i := range errs {
				wg.Go(func() {
					<-start
					_, errs[i] = s.ConsumeLoginLink(ctx, hash, t0)
				})
			}
			close(start)
			wg.Wait()
			var ok int
			for _, err := range errs {
				switch scenarios.ErrorCode(err) {
				case "":
					ok++
				case scenarios.ENOTFOUND:
				default:
					t.Errorf("round %d: ConsumeLoginLink: %v", round, err)
				}
			}
			if ok != 1 {
				t.Errorf("round %d: %d of %d concurrent ConsumeLoginLink calls signed in with one link, want 1", round, ok, len(errs))
			}
		}
	})
}

func TestWebSession(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		want := createUser(t, s, "u1", "browser@example.com")
		expires := t0.Add(12 * time.Hour)
		mustNot(t, "CreateWebSession", s.CreateWebSession(ctx, web.WebSession{TokenHash: "ws1", UserID: "u1", ExpiresAt: expires}))
		mustNot(t, "CreateWebSession", s.CreateWebSession(ctx, web.WebSession{TokenHash: "ws2", UserID: "u1", ExpiresAt: expires}))
		tests := []struct {
			name  string
			token string
			now   time.Time
			want  string
		}{
			{"before expiry", "ws1", t0, ""},
			{"at expiry", "ws1", expires, ""},
			{"after expiry", "ws1", expires.Add(time.Millisecond), scenarios.ENOTFOUND},
			{"unknown token", "ws9", t0, scenarios.ENOTFOUND},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.FindWebSession(ctx, tt.token, tt.now)
				wantCode(t, "FindWebSession", err, tt.want)
				if tt.want == "" {
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("FindWebSession (-want +got):\n%s", diff)
					}
				}
			})
		}

		mustNot(t, "DeleteWebSession", s.DeleteWebSession(ctx, "ws1"))
		_, err := s.FindWebSession(ctx, "ws1", t0)
		wantCode(t, "FindWebSession after DeleteWebSession", err, scenarios.ENOTFOUND)
		// Signing one browser out leaves the user's other browsers signed in.
		_, err = s.FindWebSession(ctx, "ws2", t0)
		wantCode(t, "FindWebSession of the other session", err, "")
	})
}

func TestTokens(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice := createUser(t, s, "alice", "alice@example.com")
		createUser(t, s, "bob", "bob@example.com")
		older := web.Token{ID: "t1", UserID: "alice", Name: "laptop", Hash: "hash-1", CreatedAt: t0}
		newer := web.Token{ID: "t2", UserID: "alice", Name: "ci", Hash: "hash-2", CreatedAt: t0.Add(time.Minute)}
		bobs := web.Token{ID: "t3", UserID: "bob", Name: "bob's", Hash: "hash-3", CreatedAt: t0.Add(2 * time.Minute)}
		// Created oldest last, so insertion order does not pass for newest first.
		for _, tok := range []web.Token{newer, bobs, older} {
			mustNot(t, "CreateToken "+tok.ID, s.CreateToken(ctx, tok))
		}
		findTokens := func(t *testing.T, userID string, want []web.Token) {
			t.Helper()
			got, err := s.FindTokens(ctx, userID)
			mustNot(t, "FindTokens", err)
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("FindTokens(%q) (-want +got):\n%s", userID, diff)
			}
		}
		findTokens(t, "alice", []web.Token{newer, older})
		findTokens(t, "bob", []web.Token{bobs})

		// A use is noted, then not again within a minute, then again.
		used := t0.Add(time.Hour)
		for _, use := range []struct {
			now, want time.Time
		}{{used, used}, {used.Add(30 * time.Second), used}, {used.Add(2 * time.Minute), used.Add(2 * time.Minute)}} {
			got, err := s.FindUserByToken(ctx, "hash-1", use.now)
			mustNot(t, "FindUserByToken", err)
			if diff := cmp.Diff(alice, got); diff != "" {
				t.Errorf("FindUserByToken (-want +got):\n%s", diff)
			}
			older.LastUsedAt = ptr(use.want)
			findTokens(t, "alice", []web.Token{newer, older})
		}
		_, err := s.FindUserByToken(ctx, "hash-unknown", used)
		wantCode(t, "FindUserByToken of an unknown token", err, scenarios.ENOTFOUND)

		wantCode(t, "DeleteToken of another user's token", s.DeleteToken(ctx, "alice", "t3"), scenarios.ENOTFOUND)
		findTokens(t, "bob", []web.Token{bobs})
		if _, err := s.FindUserByToken(ctx, "hash-3", used); err != nil {
			t.Errorf("bob's token stopped working after alice tried to delete it: %v", err)
		}
		wantCode(t, "DeleteToken of an unknown token", s.DeleteToken(ctx, "alice", "t9"), scenarios.ENOTFOUND)

		mustNot(t, "DeleteToken", s.DeleteToken(ctx, "alice", "t1"))
		_, err = s.FindUserByToken(ctx, "hash-1", used)
		wantCode(t, "FindUserByToken after DeleteToken", err, scenarios.ENOTFOUND)
		findTokens(t, "alice", []web.Token{newer})
		wantCode(t, "second DeleteToken", s.DeleteToken(ctx, "alice", "t1"), scenarios.ENOTFOUND)
	})
}

func TestScenarioVersions(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		first := []byte("---\nid: refund\n---\n# Refund\n\nThe parcel never came. ✉️\n")
		mustNot(t, "SaveScenarioVersion", s.SaveScenarioVersion(ctx, "refund", "h1", first))
		mustNot(t, "SaveScenarioVersion again", s.SaveScenarioVersion(ctx, "refund", "h1", []byte("something else")))
		mustNot(t, "SaveScenarioVersion of another version", s.SaveScenarioVersion(ctx, "refund", "h2", []byte("v2")))
		tests := []struct {
			hash string
			want string
		}{
			{"h1", string(first)},
			{"h2", "v2"},
		}
		for _, tt := range tests {
			t.Run(tt.hash, func(t *testing.T) {
				got, err := s.FindScenarioSource(ctx, tt.hash)
				mustNot(t, "FindScenarioSource", err)
				if diff := cmp.Diff(tt.want, string(got)); diff != "" {
					t.Errorf("FindScenarioSource(%q) (-want +got):\n%s", tt.hash, diff)
				}
			})
		}
		_, err := s.FindScenarioSource(ctx, "h-unknown")
		wantCode(t, "FindScenarioSource of an unknown hash", err, scenarios.ENOTFOUND)
	})
}

// withLog gives p the messages and events of the first minute of a refund
// conversation, with every kind of field set.
func withLog(p *web.PracticeSession) *web.PracticeSession {
	start := p.StartedAt
	at := func(d time.Duration) time.Time { return start.Add(d) }
	p.Messages = []scenarios.Message{
		customerMessage("My order #1234 never arrived and I want a refund.", at(0), scenarios.SourceScript, 35),
		agentMessage("I'm so sorry about that! Could you confirm the email on the order?", at(45250*time.Millisecond)),
		customerMessage("It's jo@example.com. This is taking forever…", at(62500*time.Millisecond), scenarios.SourceModel, 30),
	}
	p.Events = []scenarios.Event{
		{At: scenarios.At(at(0)), Type: scenarios.EventMessage, Message: ptr(0), Role: scenarios.RoleCustomer},
		{
			At: scenarios.At(at(45250 * time.Millisecond)), Type: scenarios.EventMoves, Message: ptr(1),
			Moves:    []scenarios.Move{scenarios.MoveApologize, scenarios.MoveVerifyIdentity},
			Evidence: map[string][]string{"apologize": {"I'm so sorry"}, "verify_identity": {"confirm the email"}},
		},
		{At: scenarios.At(at(45250 * time.Millisecond)), Type: scenarios.EventMood, From: ptr(35), To: ptr(38), Delta: ptr(3), Sections: []string{"apologize"}},
		{At: scenarios.At(at(62500 * time.Millisecond)), Type: scenarios.EventReveal, Issue: "late-delivery"},
		{
			At: scenarios.At(at(62500 * time.Millisecond)), Type: scenarios.EventMessage, Message: ptr(2), Role: scenarios.RoleCustomer,
			Original: "It's jo@example.com.", Note: "model reply kept",
		},
	}
	p.Clock = at(62500 * time.Millisecond)
	p.Mood = 30
	p.NextDeadline = ptr(at(3 * time.Minute))
	return p
}

func TestSessionRoundTrip(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		createUser(t, s, "u1", "trainee@example.com")
		ended := withLog(newSession(t, s, "ended", "u1", t0.Add(-time.Hour)))
		ended.Clock, ended.EndedBy, ended.Outcome, ended.Mood, ended.NextDeadline = t0.Add(-50*time.Minute), "trainee", scenarios.OutcomeUnresolved, 12, nil
		ended.Events = append(ended.Events, scenarios.Event{At: scenarios.At(ended.Clock), Type: scenarios.EventOutcome, Outcome: scenarios.OutcomeUnresolved})
		silent := newSession(t, s, "silent", "u1", t0)
		silent.Seed = -9_007_199_254_740_993 // beyond a float64's exact integers
		tests := []struct {
			name string
			p    *web.PracticeSession
		}{
			{"running with a log", withLog(newSession(t, s, "running", "u1", t0))},
			{"ended", ended},
			{"no messages yet", silent},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				want := copySession(tt.p)
				mustNot(t, "CreateSession", s.CreateSession(ctx, tt.p))
				got, err := s.FindSessionByID(ctx, tt.p.ID)
				mustNot(t, "FindSessionByID", err)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("FindSessionByID (-want +got):\n%s", diff)
				}
				v, err := s.SessionVersion(ctx, tt.p.ID)
				mustNot(t, "SessionVersion", err)
				if v != 0 {
					t.Errorf("SessionVersion of a new session = %d, want 0", v)
				}
			})
		}
		_, err := s.FindSessionByID(ctx, "unknown")
		wantCode(t, "FindSessionByID of an unknown session", err, scenarios.ENOTFOUND)
		_, err = s.SessionVersion(ctx, "unknown")
		wantCode(t, "SessionVersion of an unknown session", err, scenarios.ENOTFOUND)
	})
}

func TestUpdateSession(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		createUser(t, s, "u1", "trainee@example.com")
		p := withLog(newSession(t, s, "s1", "u1", t0))
		mustNot(t, "CreateSession", s.CreateSession(ctx, p))
		stale := copySession(p)

		// check fails unless the store holds want, at want.Version.
		check := func(t *testing.T, want *web.PracticeSession) {
			t.Helper()
			got, err := s.FindSessionByID(ctx, want.ID)
			mustNot(t, "FindSessionByID", err)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("FindSessionByID (-want +got):\n%s", diff)
			}
			v, err := s.SessionVersion(ctx, want.ID)
			mustNot(t, "SessionVersion", err)
			if v != want.Version {
				t.Errorf("SessionVersion = %d, want %d", v, want.Version)
			}
		}

		steps := []struct {
			name   string
			change func(p *web.PracticeSession)
		}{
			{"append messages and events", func(p *web.PracticeSession) {
				at := t0.Add(90 * time.Second)
				p.Messages = append(p.Messages,
					agentMessage("Thanks Jo. I've issued a full refund; you'll see it in 3-5 days.", at),
					customerMessage("Oh. Thank you!", at.Add(1500*time.Millisecond), scenarios.SourceFallback, 70))
				p.Events = append(p.Events,
					scenarios.Event{At: scenarios.At(at), Type: scenarios.EventNeed, Message: ptr(3), Issue: "late-delivery"},
					scenarios.Event{At: scenarios.At(at), Type: scenarios.EventResolved, Issue: "late-delivery"},
					scenarios.Event{At: scenarios.At(at.Add(1500 * time.Millisecond)), Type: scenarios.EventMood, From: ptr(30), To: ptr(70), Delta: ptr(40)})
				p.Clock, p.Mood, p.NextDeadline = at.Add(1500*time.Millisecond), 70, ptr(at.Add(2*time.Minute))
			}},
			{"state only", func(p *web.PracticeSession) {
				p.Clock = p.Clock.Add(2 * time.Minute)
				p.Events = append(p.Events, scenarios.Event{At: scenarios.At(p.Clock), Type: scenarios.EventSilence})
			}},
			{"end", func(p *web.PracticeSession) {
				p.Events = append(p.Events, scenarios.Event{At: scenarios.At(p.Clock), Type: scenarios.EventOutcome, Outcome: scenarios.OutcomeResolved})
				p.Outcome, p.EndedBy, p.NextDeadline = scenarios.OutcomeResolved, "trainee", nil
			}},
		}
		for i, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				oldMessages, oldEvents := len(p.Messages), len(p.Events)
				st.change(p)
				mustNot(t, "UpdateSession", s.UpdateSession(ctx, p, oldMessages, oldEvents))
				if p.Version != i+1 {
					t.Errorf("Version = %d after UpdateSession, want %d", p.Version, i+1)
				}
				check(t, p)
			})
		}

		t.Run("stale version", func(t *testing.T) {
			oldMessages, oldEvents := len(stale.Messages), len(stale.Events)
			stale.Messages = append(stale.Messages, agentMessage("A reply from another tab.", t0.Add(80*time.Second)))
			stale.Events = append(stale.Events, scenarios.Event{At: scenarios.At(t0.Add(80 * time.Second)), Type: scenarios.EventMessage, Message: ptr(3), Role: scenarios.RoleAgent})
			stale.Mood = 99
			err := s.UpdateSession(ctx, stale, oldMessages, oldEvents)
			wantCode(t, "UpdateSession with a stale version", err, scenarios.ECONFLICT)
			if stale.Version != 0 {
				t.Errorf("Version = %d after a refused update, want 0", stale.Version)
			}
			// Nothing of the refused update was stored: same state, same counts.
			check(t, p)
		})

		t.Run("unknown session", func(t *testing.T) {
			ghost := copySession(p)
			ghost.ID = "ghost"
			err := s.UpdateSession(ctx, ghost, len(ghost.Messages), len(ghost.Events))
			if err == nil {
				t.Fatal("UpdateSession of a session never created succeeded")
			}
			_, err = s.FindSessionByID(ctx, "ghost")
			wantCode(t, "FindSessionByID after updating an unknown session", err, scenarios.ENOTFOUND)
		})
	})
}

func TestUpdateSessionConcurrently(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		createUser(t, s, "u1", "trainee@example.com")
		for round := range 5 {
			id := fmt.Sprintf("race-%d", round)
			mustNot(t, "CreateSession", s.CreateSession(ctx, withLog(newSession(t, s, id, "u1", t0))))
			var copies [2]*web.PracticeSession
			for i := range copies {
				p, err := s.FindSessionByID(ctx, id)
				mustNot(t, "FindSessionByID", err)
				at := p.Clock.Add(time.Duration(i+1) * time.Second)
				p.Messages = append(p.Messages, agentMessage(fmt.Sprintf("Reply from tab %d.", i), at))
				p.Events = append(p.Events, scenarios.Event{At: scenarios.At(at), Type: scenarios.EventMessage, Message: ptr(3), Role: scenarios.RoleAgent})
				p.Clock = at
				copies[i] = p
			}

			var (
				wg    sync.WaitGroup
				start = make(chan struct{})
				errs  [2]error
			)
			for i, p := range copies {
				wg.Go(func() {
					<-start
					errs[i] = s.UpdateSession(ctx, p, 3, 5)
				})
			}
			close(start)
			wg.Wait()

			codes := []string{scenarios.ErrorCode(errs[0]), scenarios.ErrorCode(errs[1])}
			winner := 0
			switch {
			case codes[0] == "" && codes[1] == scenarios.ECONFLICT:
			case codes[0] == scenarios.ECONFLICT && codes[1] == "":
				winner = 1
			default:
				t.Fatalf("round %d: UpdateSession errors %v (codes %q), want one success and one %s", round, errs, codes, scenarios.ECONFLICT)
			}
			want := copies[winner]
			if want.Version != 1 || copies[1-winner].Version != 0 {
				t.Errorf("round %d: versions %d (winner) and %d, want 1 and 0", round, want.Version, copies[1-winner].Version)
			}
			got, err := s.FindSessionByID(ctx, id)
			mustNot(t, "FindSessionByID", err)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("round %d: stored session is not the winner's (-want +got):\n%s", round, diff)
			}
		}
	})
}

func TestCreateSessionRefused(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		createUser(t, s, "u1", "trainee@example.com")
		first := withLog(newSession(t, s, "s1", "u1", t0))
		want := copySession(first)
		mustNot(t, "CreateSession", s.CreateSession(ctx, first))

		tests := []struct {
			name   string
			change func(p *web.PracticeSession)
			code   string
		}{
			{"unknown user", func(p *web.PracticeSession) { p.ID, p.UserID = "s2", "ghost" }, scenarios.EINTERNAL},
			{"unknown scenario version", func(p *web.PracticeSession) { p.ID, p.ScenarioHash = "s3", "sha256-unknown" }, scenarios.EINTERNAL},
			{"duplicate id", func(p *web.PracticeSession) { p.Seed, p.Messages = 7, p.Messages[:1] }, scenarios.ECONFLICT},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := withLog(newSession(t, s, "s1", "u1", t0.Add(time.Hour)))
				tt.change(p)
				wantCode(t, "CreateSession", s.CreateSession(ctx, p), tt.code)
				if p.ID != "s1" {
					_, err := s.FindSessionByID(ctx, p.ID)
					wantCode(t, "FindSessionByID of the refused session", err, scenarios.ENOTFOUND)
				}
				got, err := s.FindSessionByID(ctx, "s1")
				mustNot(t, "FindSessionByID", err)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("the first session changed (-want +got):\n%s", diff)
				}
			})
		}
		all, err := s.FindSessions(ctx, web.SessionFilter{})
		mustNot(t, "FindSessions", err)
		if len(all) != 1 {
			t.Errorf("FindSessions found %d sessions after refused creations, want 1", len(all))
		}
	})
}

func TestFindSessions(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		createUser(t, s, "a", "Ann@example.com")
		createUser(t, s, "b", "ben@example.com")
		h := time.Hour
		sessions := []struct {
			id, user string
			start    time.Duration
			outcome  scenarios.Outcome
			deadline *time.Duration
		}{
			{"s1", "a", 0, scenarios.OutcomeResolved, nil},
			{"s2", "a", 1 * h, "", ptr(2 * h)},
			{"s3", "b", 2 * h, "", ptr(3 * h)},
			{"s4", "b", 3 * h, "", ptr(10 * h)},
			// An ended session with a deadline left over: Due must still skip it.
			{"s5", "a", 4 * h, scenarios.OutcomeWalkedAway, ptr(1 * h)},
		}
		// Created out of start order, so that insertion order does not pass for it.
		for _, i := range []int{2, 0, 4, 1, 3} {
			c := sessions[i]
			p := newSession(t, s, c.id, c.user, t0.Add(c.start))
			p.Outcome, p.Mood, p.NextDeadline = c.outcome, 10*(i+1), nil
			if c.deadline != nil {
				p.NextDeadline = ptr(t0.Add(*c.deadline))
			}
			mustNot(t, "CreateSession "+c.id, s.CreateSession(ctx, p))
		}
		mustNot(t, "SaveGrade", s.SaveGrade(ctx, "s1", ptr(80), []byte(`{"overall":80}`)))
		mustNot(t, "SaveGrade", s.SaveGrade(ctx, "s3", nil, []byte(`{"overall":null}`)))

		summary := map[string]web.SessionSummary{}
		for i, c := range sessions {
			email := map[string]string{"a": "ann@example.com", "b": "ben@example.com"}[c.user]
			summary[c.id] = web.SessionSummary{ID: c.id, UserID: c.user, UserEmail: email, ScenarioID: "refund", StartedAt: t0.Add(c.start), Outcome: c.outcome, Mood: 10 * (i + 1)}
		}
		s1 := summary["s1"]
		s1.Overall = ptr(80)
		summary["s1"] = s1

		tests := []struct {
			name   string
			filter web.SessionFilter
			want   []string
		}{
			{"all", web.SessionFilter{}, []string{"s5", "s4", "s3", "s2", "s1"}},
			{"user", web.SessionFilter{UserID: "a"}, []string{"s5", "s2", "s1"}},
			{"unknown user", web.SessionFilter{UserID: "ghost"}, nil},
			{"active", web.SessionFilter{Active: true}, []string{"s4", "s3", "s2"}},
			{"active of a user", web.SessionFilter{UserID: "b", Active: true}, []string{"s4", "s3"}},
			{"due", web.SessionFilter{Due: t0.Add(3 * h)}, []string{"s3", "s2"}},
			{"due at the deadline", web.SessionFilter{Due: t0.Add(2 * h)}, []string{"s2"}},
			{"due a millisecond early", web.SessionFilter{Due: t0.Add(2*h - time.Millisecond)}, nil},
			{"due of a user", web.SessionFilter{UserID: "b", Due: t0.Add(24 * h)}, []string{"s4", "s3"}},
			{"limit", web.SessionFilter{Limit: 2}, []string{"s5", "s4"}},
			{"limit of active", web.SessionFilter{Active: true, Limit: 1}, []string{"s4"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var want []web.SessionSummary
				for _, id := range tt.want {
					want = append(want, summary[id])
				}
				got, err := s.FindSessions(ctx, tt.filter)
				mustNot(t, "FindSessions", err)
				if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("FindSessions(%+v) (-want +got):\n%s", tt.filter, diff)
				}
			})
		}
	})
}

func TestGrade(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		createUser(t, s, "u1", "trainee@example.com")
		mustNot(t, "CreateSession", s.CreateSession(ctx, withLog(newSession(t, s, "s1", "u1", t0))))
		_, err := s.FindGrade(ctx, "s1")
		wantCode(t, "FindGrade before grading", err, scenarios.ENOTFOUND)

		steps := []struct {
			name    string
			overall *int
			grade   string
		}{
			{"first grade", ptr(70), `{"session":"s1","overall":70}`},
			{"regraded", ptr(85), `{"session":"s1","overall":85,"note":"regraded"}`},
			{"regraded without an overall", nil, `{"session":"s1","overall":null}`},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				mustNot(t, "SaveGrade", s.SaveGrade(ctx, "s1", st.overall, []byte(st.grade)))
				got, err := s.FindGrade(ctx, "s1")
				mustNot(t, "FindGrade", err)
				if diff := cmp.Diff(st.grade, string(got)); diff != "" {
					t.Errorf("FindGrade (-want +got):\n%s", diff)
				}
				sums, err := s.FindSessions(ctx, web.SessionFilter{})
				mustNot(t, "FindSessions", err)
				if len(sums) != 1 {
					t.Fatalf("FindSessions found %d sessions, want 1 (a grade must not duplicate its session)", len(sums))
				}
				if diff := cmp.Diff(st.overall, sums[0].Overall); diff != "" {
					t.Errorf("Overall (-want +got):\n%s", diff)
				}
			})
		}
		if err := s.SaveGrade(ctx, "unknown", ptr(1), []byte(`{}`)); err == nil {
			t.Error("SaveGrade of an unknown session succeeded, want a foreign key error")
		}
	})
}

func TestFindGrades(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		createUser(t, s, "a", "ann@example.com")
		createUser(t, s, "b", "ben@example.com")
		sessions := []struct {
			id, user string
			start    time.Duration
			grade    string // "" for not graded
		}{
			{"a-late", "a", 2 * time.Hour, `{"id":"a-late"}`},
			{"a-early", "a", 0, `{"id":"a-early"}`},
			{"b-mid", "b", time.Hour, `{"id":"b-mid"}`},
			{"a-ungraded", "a", 3 * time.Hour, ""},
		}
		for _, c := range sessions {
			mustNot(t, "CreateSession", s.CreateSession(ctx, newSession(t, s, c.id, c.user, t0.Add(c.start))))
			if c.grade != "" {
				mustNot(t, "SaveGrade", s.SaveGrade(ctx, c.id, ptr(50), []byte(c.grade)))
			}
		}
		tests := []struct {
			user string
			want []string
		}{
			{"a", []string{`{"id":"a-early"}`, `{"id":"a-late"}`}},
			{"b", []string{`{"id":"b-mid"}`}},
			{"", []string{`{"id":"a-early"}`, `{"id":"b-mid"}`, `{"id":"a-late"}`}},
			{"ghost", nil},
		}
		for _, tt := range tests {
			t.Run("user="+tt.user, func(t *testing.T) {
				grades, err := s.FindGrades(ctx, tt.user)
				mustNot(t, "FindGrades", err)
				var got []string
				for _, g := range grades {
					got = append(got, string(g))
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("FindGrades(%q) (-want +got):\n%s", tt.user, diff)
				}
			})
		}
	})
}

func TestSecret(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		steps := []struct {
			name, setting, made, want string
		}{
			{"first call stores the made value", "csrf_key", "first-value", "first-value"},
			{"second call keeps it", "csrf_key", "second-value", "first-value"},
			{"another setting is its own", "session_key", "other-value", "other-value"},
			{"the first is still kept", "csrf_key", "third-value", "first-value"},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				got, err := s.Secret(ctx, st.setting, func() string { return st.made })
				mustNot(t, "Secret", err)
				if got != st.want {
					t.Errorf("Secret(%q) = %q, want %q", st.setting, got, st.want)
				}
			})
		}
	})
}
