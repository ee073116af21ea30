-- The OpenID Connect provider (docs/sign-in.md): clients the operator registered, each tied to a token whose
-- quota its sign-ins use; the provider's keys, encrypted with the data directory's oidc.key; and the one-time
-- grants (codes, finished sign-ins) already used, so that a replay is refused on every node.
CREATE TABLE signin_clients (
    client_id     TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    redirect_uris TEXT NOT NULL,           -- one per line, compared exactly
    public        INTEGER NOT NULL,
    secret_hash   TEXT,                    -- SHA-256 of the secret; NULL for a public client
    token_id      INTEGER NOT NULL REFERENCES tokens(id),
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);

CREATE TABLE signin_keys (
    kid           TEXT PRIMARY KEY,
    use           INTEGER NOT NULL,        -- 0 signing, 1 encryption, 2 secret
    protected_key TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    activates_at  INTEGER NOT NULL,
    retires_at    INTEGER
);

CREATE TABLE signin_redeemed (
    grant_id   TEXT PRIMARY KEY,
    keep_until INTEGER NOT NULL
);
