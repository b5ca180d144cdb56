// Package testenv gives Go tests the external services that `make test` starts:
// a throwaway PostgreSQL cluster (TEST_POSTGRES_DSN) and a Chromium binary
// (CHROMIUM_PATH). See scripts/with-services.
//
// When a service is missing, a test that asks for it is skipped with a message
// saying how to get it, except under CI=true, where it fails: CI must never pass
// by skipping the tests that need a service.
package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	// Registers the "pgx" driver for database/sql.
	_ "github.com/jackc/pgx/v5/stdlib"
)

// chromiumCandidates are the places where Chromium is looked for when
// CHROMIUM_PATH is not set.
var chromiumCandidates = []string{
	"/usr/bin/chromium",
	"/usr/bin/chromium-browser",
	"/usr/bin/google-chrome",
}

// inCI reports whether the tests run under CI, where a missing service is an error.
func inCI() bool {
	return os.Getenv("CI") == "true"
}

// PostgresDSN returns TEST_POSTGRES_DSN, the postgres:// URL of the PostgreSQL
// server that `make test` starts. When it is not set, the test fails under
// CI=true and is skipped otherwise.
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv("TEST_POSTGRES_DSN")
	if dsn != "" {
		return dsn
	}
	if inCI() {
		tb.Fatal("TEST_POSTGRES_DSN is not set under CI=true: make test starts PostgreSQL " +
			"(scripts/with-services) and exports it; see its warnings above for why it could not")
	}
	tb.Skip("skipping: needs PostgreSQL; run `make test` (it starts a throwaway cluster), " +
		"or set TEST_POSTGRES_DSN=postgres://USER@HOST:PORT/DB?sslmode=disable")
	return ""
}

// Chromium returns the path of a Chromium binary: CHROMIUM_PATH if set, else
// the first of /usr/bin/chromium, /usr/bin/chromium-browser and
// /usr/bin/google-chrome that exists. When there is none, the test fails under
// CI=true and is skipped otherwise.
func Chromium(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		return p
	}
	for _, p := range chromiumCandidates {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	if inCI() {
		tb.Fatal("no Chromium under CI=true: CHROMIUM_PATH is not set and none of " +
			"/usr/bin/chromium, /usr/bin/chromium-browser, /usr/bin/google-chrome exists; " +
			"make test installs it (scripts/with-services); see its warnings above")
	}
	tb.Skip("skipping: needs Chromium; run `make test` (it installs it), " +
		"`apt-get install chromium`, or set CHROMIUM_PATH")
	return ""
}

// FreshPostgresDB creates a new, uniquely named database on the server of
// PostgresDSN, drops it when the test ends, and returns a postgres:// URL for
// it. Every test gets its own database, so tests can run in parallel.
func FreshPostgresDB(tb testing.TB) string {
	tb.Helper()
	dsn := PostgresDSN(tb)
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		tb.Fatalf("testenv: TEST_POSTGRES_DSN is not a postgres:// URL: %q", redact(dsn))
	}

	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails
	name := "chatdojo_test_" + hex.EncodeToString(b[:])

	// The connection that creates the database is closed right away, so that many
	// parallel tests do not each hold an extra connection to the server.
	if err := exec(dsn, "CREATE DATABASE "+name); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := exec(dsn, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Error(err)
		}
	})

	fresh := *u
	fresh.Path = "/" + name
	fresh.RawPath = ""
	return fresh.String()
}

// exec runs one statement on a connection of its own to dsn.
func exec(dsn, stmt string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("testenv: open %s: %w", redact(dsn), err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("testenv: %s on %s: %w", stmt, redact(dsn), err)
	}
	return nil
}

// redact hides the password of a DSN for messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "TEST_POSTGRES_DSN"
	}
	return u.Redacted()
}
