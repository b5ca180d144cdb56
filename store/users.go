package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"chatdojo/scenarios"
	"chatdojo/web"
)

type userRow struct {
	bun.BaseModel `bun:"table:users"`
	ID            string `bun:"id,pk"`
	Email         string `bun:"email"`
	Name          string `bun:"name"`
	Role          string `bun:"role"`
	PasswordHash  string `bun:"password_hash"`
	CreatedAt     int64  `bun:"created_at"`
}

func (r *userRow) user() *web.User {
	return &web.User{ID: r.ID, Email: r.Email, Name: r.Name, Role: web.Role(r.Role), PasswordHash: r.PasswordHash, CreatedAt: fromMS(r.CreatedAt)}
}

// normEmail is the form emails are stored and looked up in.
func normEmail(e string) string {
	return strings.ToLower(strings.TrimSpace(e))
}

// CountUsers returns how many users there are.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	n, err := s.db.NewSelect().Model((*userRow)(nil)).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return int(n), nil
}

// CreateUser stores a new user; ECONFLICT when the email is taken.
func (s *Store) CreateUser(ctx context.Context, u *web.User) error {
	row := &userRow{ID: u.ID, Email: normEmail(u.Email), Name: u.Name, Role: string(u.Role), PasswordHash: u.PasswordHash, CreatedAt: ms(u.CreatedAt)}
	if _, err := s.db.NewInsert().Model(row).Exec(ctx); err != nil {
		if duplicate(err) {
			return scenarios.Errorf(scenarios.ECONFLICT, "a user with the email %s already exists", row.Email)
		}
		return fmt.Errorf("create user: %w", err)
	}
	u.Email = row.Email
	return nil
}

// FindUserByID returns a user.
func (s *Store) FindUserByID(ctx context.Context, id string) (*web.User, error) {
	row := new(userRow)
	if err := s.db.NewSelect().Model(row).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "user")
	}
	return row.user(), nil
}

// FindUserByEmail returns a user.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (*web.User, error) {
	row := new(userRow)
	if err := s.db.NewSelect().Model(row).Where("email = ?", normEmail(email)).Scan(ctx); err != nil {
		return nil, notFound(err, "user")
	}
	return row.user(), nil
}

// FindUsers returns every user, by email.
func (s *Store) FindUsers(ctx context.Context) ([]web.User, error) {
	var rows []userRow
	if err := s.db.NewSelect().Model(&rows).Order("email").Scan(ctx); err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	out := make([]web.User, len(rows))
	for i := range rows {
		out[i] = *rows[i].user()
	}
	return out, nil
}

// SetPassword sets a user's password hash.
func (s *Store) SetPassword(ctx context.Context, userID, hash string) error {
	res, err := s.db.NewUpdate().Model((*userRow)(nil)).Set("password_hash = ?", hash).Where("id = ?", userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return oneRow(res, "user")
}

func oneRow(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return scenarios.Errorf(scenarios.ENOTFOUND, "%s not found", what)
	}
	return nil
}

type loginLinkRow struct {
	bun.BaseModel `bun:"table:login_links"`
	TokenHash     string `bun:"token_hash,pk"`
	UserID        string `bun:"user_id"`
	ExpiresAt     int64  `bun:"expires_at"`
}

// CreateLoginLink stores a one-time sign-in link.
func (s *Store) CreateLoginLink(ctx context.Context, l web.LoginLink) error {
	row := &loginLinkRow{TokenHash: l.TokenHash, UserID: l.UserID, ExpiresAt: ms(l.ExpiresAt)}
	if _, err := s.db.NewInsert().Model(row).Exec(ctx); err != nil {
		return fmt.Errorf("create login link: %w", err)
	}
	return nil
}

// ConsumeLoginLink deletes a link and returns its user, if it is valid at now.
func (s *Store) ConsumeLoginLink(ctx context.Context, tokenHash string, now time.Time) (*web.User, error) {
	var row loginLinkRow
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := tx.NewSelect().Model(&row).Where("token_hash = ?", tokenHash).Scan(ctx); err != nil {
			return notFound(err, "sign-in link")
		}
		// Two requests may both read the link; only the one whose delete removes it
		// signs in.
		res, err := tx.NewDelete().Model((*loginLinkRow)(nil)).Where("token_hash = ?", tokenHash).Exec(ctx)
		if err != nil {
			return err
		}
		return oneRow(res, "sign-in link")
	})
	if err != nil {
		if scenarios.ErrorCode(err) == scenarios.ENOTFOUND {
			return nil, scenarios.Errorf(scenarios.ENOTFOUND, "this sign-in link is unknown or was already used; ask an admin for a new one")
		}
		return nil, fmt.Errorf("consume login link: %w", err)
	}
	if row.ExpiresAt < ms(now) {
		return nil, scenarios.Errorf(scenarios.ENOTFOUND, "this sign-in link has expired; ask an admin for a new one")
	}
	return s.FindUserByID(ctx, row.UserID)
}

type webSessionRow struct {
	bun.BaseModel `bun:"table:web_sessions"`
	TokenHash     string `bun:"token_hash,pk"`
	UserID        string `bun:"user_id"`
	ExpiresAt     int64  `bun:"expires_at"`
}

// CreateWebSession stores a signed-in browser session.
func (s *Store) CreateWebSession(ctx context.Context, ws web.WebSession) error {
	row := &webSessionRow{TokenHash: ws.TokenHash, UserID: ws.UserID, ExpiresAt: ms(ws.ExpiresAt)}
	if _, err := s.db.NewInsert().Model(row).Exec(ctx); err != nil {
		return fmt.Errorf("create web session: %w", err)
	}
	return nil
}

// FindWebSession returns the user of a browser session that has not expired at now.
func (s *Store) FindWebSession(ctx context.Context, tokenHash string, now time.Time) (*web.User, error) {
	row := new(userRow)
	err := s.db.NewSelect().Model(row).
		Join("JOIN web_sessions AS ws ON ws.user_id = user_row.id").
		Where("ws.token_hash = ?", tokenHash).Where("ws.expires_at >= ?", ms(now)).
		Scan(ctx)
	if err != nil {
		return nil, notFound(err, "session")
	}
	return row.user(), nil
}

// DeleteWebSession signs a browser out.
func (s *Store) DeleteWebSession(ctx context.Context, tokenHash string) error {
	if _, err := s.db.NewDelete().Model((*webSessionRow)(nil)).Where("token_hash = ?", tokenHash).Exec(ctx); err != nil {
		return fmt.Errorf("delete web session: %w", err)
	}
	return nil
}

type tokenRow struct {
	bun.BaseModel `bun:"table:api_tokens"`
	ID            string `bun:"id,pk"`
	UserID        string `bun:"user_id"`
	Name          string `bun:"name"`
	Hash          string `bun:"hash"`
	CreatedAt     int64  `bun:"created_at"`
	LastUsedAt    *int64 `bun:"last_used_at"`
}

// CreateToken stores an API token.
func (s *Store) CreateToken(ctx context.Context, t web.Token) error {
	row := &tokenRow{ID: t.ID, UserID: t.UserID, Name: t.Name, Hash: t.Hash, CreatedAt: ms(t.CreatedAt)}
	if _, err := s.db.NewInsert().Model(row).Exec(ctx); err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	return nil
}

// FindUserByToken returns the user of an API token, and notes when it was used (at
// most once a minute, to keep writes off the API's hot path).
func (s *Store) FindUserByToken(ctx context.Context, hash string, now time.Time) (*web.User, error) {
	// One query finds the token and its user: this runs on every API request.
	var row struct {
		userRow    `bun:",extend"`
		TokenID    string `bun:"token_id"`
		LastUsedAt *int64 `bun:"last_used_at"`
	}
	err := s.db.NewSelect().Model(&row).
		ColumnExpr("user_row.*").ColumnExpr("t.id AS token_id").ColumnExpr("t.last_used_at AS last_used_at").
		Join("JOIN api_tokens AS t ON t.user_id = user_row.id").
		Where("t.hash = ?", hash).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "token")
	}
	if row.LastUsedAt == nil || ms(now)-*row.LastUsedAt > 60_000 {
		unlock, err := s.lockWrite(ctx)
		if err != nil {
			return nil, err
		}
		_, err = s.db.NewUpdate().Model((*tokenRow)(nil)).Set("last_used_at = ?", ms(now)).Where("id = ?", row.TokenID).Exec(ctx)
		unlock()
		if err != nil {
			return nil, fmt.Errorf("note token use: %w", err)
		}
	}
	return row.user(), nil
}

// FindTokens returns a user's tokens, newest first.
func (s *Store) FindTokens(ctx context.Context, userID string) ([]web.Token, error) {
	var rows []tokenRow
	if err := s.db.NewSelect().Model(&rows).Where("user_id = ?", userID).Order("created_at DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("find tokens: %w", err)
	}
	out := make([]web.Token, len(rows))
	for i, r := range rows {
		out[i] = web.Token{ID: r.ID, UserID: r.UserID, Name: r.Name, Hash: r.Hash, CreatedAt: fromMS(r.CreatedAt)}
		if r.LastUsedAt != nil {
			t := fromMS(*r.LastUsedAt)
			out[i].LastUsedAt = &t
		}
	}
	return out, nil
}

// DeleteToken deletes one of a user's tokens.
func (s *Store) DeleteToken(ctx context.Context, userID, id string) error {
	res, err := s.db.NewDelete().Model((*tokenRow)(nil)).Where("id = ?", id).Where("user_id = ?", userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete token: %w", err)
	}
	return oneRow(res, "token")
}

type settingRow struct {
	bun.BaseModel `bun:"table:settings"`
	Name          string `bun:"name,pk"`
	Value         string `bun:"value"`
}

// Secret returns the setting name, creating it with value make() the first time: every
// instance on one database gets the same value.
func (s *Store) Secret(ctx context.Context, name string, make func() string) (string, error) {
	row := &settingRow{Name: name, Value: make()}
	if _, err := s.db.NewInsert().Model(row).On("CONFLICT (name) DO NOTHING").Exec(ctx); err != nil {
		return "", fmt.Errorf("create setting %s: %w", name, err)
	}
	var got settingRow
	if err := s.db.NewSelect().Model(&got).Where("name = ?", name).Scan(ctx); err != nil {
		return "", fmt.Errorf("read setting %s: %w", name, err)
	}
	return got.Value, nil
}
