package testenv_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"chatdojo/internal/testenv"
)

// TestFreshPostgresDB opens the database that FreshPostgresDB made and runs a query
// on it. Without PostgreSQL it skips, except under CI=true.
func TestFreshPostgresDB(t *testing.T) {
	dsn := testenv.FreshPostgresDB(t)

	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var one int
	if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		t.Fatalf("SELECT 1: %v", err)
	}
	if one != 1 {
		t.Fatalf("SELECT 1 = %d, want 1", one)
	}
	var name string
	if err := db.QueryRowContext(ctx, "SELECT current_database()").Scan(&name); err != nil {
		t.Fatalf("SELECT current_database(): %v", err)
	}
	if !strings.HasPrefix(name, "chatdojo_test_") {
		t.Fatalf("current_database() = %q, want a fresh chatdojo_test_* database", name)
	}
	t.Logf("connected to database %s", name)
}
