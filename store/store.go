// Package store keeps chatdojo's data with bun, in SQLite (the default: one file, WAL,
// foreign keys on) or PostgreSQL. It is the only package that imports bun, and it
// implements web.Store.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/sqliteshim"
	"github.com/uptrace/bun/migrate"

	"chatdojo/migrations"
	"chatdojo/scenarios"
	"chatdojo/web"
)

var _ web.Store = (*Store)(nil)

// Store is chatdojo's database.
type Store struct {
	db       *bun.DB
	postgres bool
	// writes serialises this process's SQLite write transactions. SQLite takes one
	// writer at a time anyway; queueing here, before a connection is taken from the
	// pool, keeps waiting writers from holding every connection (and so starving the
	// reads) while one commit waits for its fsync.
	writes chan struct{}
}

// lockWrite waits for this process's turn to write (on SQLite) and returns the
// function that ends it.
func (s *Store) lockWrite(ctx context.Context) (func(), error) {
	if s.postgres {
		return func() {}, nil
	}
	select {
	case s.writes <- struct{}{}:
		return func() { <-s.writes }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// IsPostgres reports whether dsn names a PostgreSQL database rather than a SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database dsn names: a postgres:// URL, or the path of a SQLite file
// (created when missing). It does not migrate; see Migrate.
func Open(ctx context.Context, dsn string) (*Store, error) {
	if dsn == "" {
		return nil, scenarios.Errorf(scenarios.EINVALID, "no database given, expected a SQLite file path or a postgres:// URL")
	}
	if IsPostgres(dsn) {
		sqldb, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		sqldb.SetMaxOpenConns(20)
		sqldb.SetMaxIdleConns(20)
		s := &Store{db: bun.NewDB(sqldb, pgdialect.New()), postgres: true}
		if err := s.ping(ctx); err != nil {
			return nil, err
		}
		return s, nil
	}
	path := strings.TrimPrefix(dsn, "sqlite://")
	path = strings.TrimPrefix(path, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		return nil, scenarios.Errorf(scenarios.EINVALID, "database %q: give a SQLite file path without options; chatdojo sets WAL, foreign keys and a busy timeout itself", dsn)
	}
	// WAL lets readers go on while one writer writes; immediate transactions take the
	// write lock at BEGIN, so two writers queue (busy_timeout) instead of failing on a
	// stale snapshot; synchronous(FULL) makes a commit durable before it is
	// acknowledged.
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Set("_txlock", "immediate")
	sqldb, err := sql.Open(sqliteshim.ShimName, "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	sqldb.SetMaxOpenConns(16)
	sqldb.SetMaxIdleConns(16)
	sqldb.SetConnMaxLifetime(0)
	s := &Store{db: bun.NewDB(sqldb, sqlitedialect.New()), writes: make(chan struct{}, 1)}
	if err := s.ping(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Store) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return scenarios.Errorf(scenarios.EINTERNAL, "cannot reach the database: %v", err)
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	return s.db.Close()
}

// Postgres reports whether the store is on PostgreSQL.
func (s *Store) Postgres() bool { return s.postgres }

// Migrate applies the migrations not applied yet and returns their names. On
// PostgreSQL an advisory lock keeps two instances starting at once from migrating
// together.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	ms, err := migrations.New()
	if err != nil {
		return nil, err
	}
	if s.postgres {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
		defer conn.Close()
		const lockID = 0x63686174 // "chat"
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", lockID); err != nil {
			return nil, fmt.Errorf("migrate: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", lockID)
	}
	m := migrate.NewMigrator(s.db, ms, migrate.WithMarkAppliedOnSuccess(true))
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("migrate: init: %w", err)
	}
	group, err := m.Migrate(ctx)
	for try := 0; err != nil && !s.postgres && try < 5; try++ {
		// Another process (a second server, `chatdojo migrate`) may be migrating the
		// same SQLite file: its migration ran first and ours failed. Once it is done,
		// a new attempt finds everything applied.
		time.Sleep(200 * time.Millisecond)
		if all, merr := m.MigrationsWithStatus(ctx); merr == nil && len(all.Unapplied()) == 0 {
			group, err = &migrate.MigrationGroup{}, nil
			break
		}
		group, err = m.Migrate(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	var names []string
	for _, mg := range group.Migrations {
		names = append(names, mg.Name)
	}
	return names, nil
}

// ms converts a time to the Unix milliseconds the tables hold.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS converts stored Unix milliseconds back to a UTC time.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// notFound turns sql.ErrNoRows into ENOTFOUND with the message what.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return scenarios.Errorf(scenarios.ENOTFOUND, "%s not found", what)
	}
	return err
}

// duplicate reports whether err is a unique-constraint violation, on either database.
func duplicate(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505") || strings.Contains(msg, "duplicate key value")
}
