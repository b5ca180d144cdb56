-- Settings shared by every instance, such as the key that signs CSRF tokens.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
