// Package migrations holds chatdojo's database migrations: SQL files that run unchanged
// on SQLite and PostgreSQL, applied in name order by bun's migrator (see store.Migrate).
package migrations

import (
	"embed"
	"fmt"

	"github.com/uptrace/bun/migrate"
)

//go:embed *.sql
var files embed.FS

// New returns the migrations, read from the embedded SQL files.
func New() (*migrate.Migrations, error) {
	m := migrate.NewMigrations()
	if err := m.Discover(files); err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	return m, nil
}
