-- chatdojo's first schema. Portable SQL: it runs unchanged on SQLite and PostgreSQL.
-- Times are Unix milliseconds (BIGINT) so both databases store and compare them alike.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL
);

--bun:split

CREATE TABLE login_links (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL
);

--bun:split

CREATE TABLE web_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL
);

--bun:split

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL DEFAULT '',
    hash         TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT
);

--bun:split

CREATE TABLE scenario_versions (
    hash        TEXT PRIMARY KEY,
    scenario_id TEXT NOT NULL,
    source      TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

--bun:split

CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    scenario_id   TEXT NOT NULL,
    scenario_hash TEXT NOT NULL REFERENCES scenario_versions (hash),
    seed          BIGINT NOT NULL,
    started_at    BIGINT NOT NULL,
    clock         BIGINT NOT NULL,
    ended_by      TEXT NOT NULL DEFAULT '',
    outcome       TEXT NOT NULL DEFAULT '',
    mood          INTEGER NOT NULL,
    next_deadline BIGINT,
    version       INTEGER NOT NULL DEFAULT 0,
    n_messages    INTEGER NOT NULL DEFAULT 0,
    n_events      INTEGER NOT NULL DEFAULT 0
);

--bun:split

CREATE INDEX sessions_user ON sessions (user_id, started_at);

--bun:split

CREATE INDEX sessions_due ON sessions (outcome, next_deadline);

--bun:split

CREATE TABLE messages (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    role       TEXT NOT NULL,
    text       TEXT NOT NULL,
    at         BIGINT NOT NULL,
    source     TEXT NOT NULL DEFAULT '',
    mood       INTEGER,
    PRIMARY KEY (session_id, seq)
);

--bun:split

CREATE TABLE events (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    type       TEXT NOT NULL,
    at         BIGINT NOT NULL,
    data       TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
);

--bun:split

CREATE TABLE grades (
    session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    overall    INTEGER,
    data       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
