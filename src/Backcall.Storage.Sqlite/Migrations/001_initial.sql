-- Times are Unix milliseconds (UTC); money is in hundredths (kopecks, cents).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO meta (key, value) VALUES ('catalog_version', 1);

CREATE TABLE tokens (
    id                         INTEGER PRIMARY KEY AUTOINCREMENT,
    name                       TEXT    NOT NULL,
    hash                       TEXT    NOT NULL UNIQUE,
    prefix                     TEXT    NOT NULL,
    created_at                 INTEGER NOT NULL,
    disabled                   INTEGER NOT NULL DEFAULT 0,
    balance_cents              INTEGER NOT NULL DEFAULT 0,
    price_cents                INTEGER NOT NULL,
    balance_limit_cents        INTEGER NOT NULL,
    free_left                  INTEGER NOT NULL,
    webhook_secret             TEXT    NOT NULL,
    previous_webhook_secret    TEXT,
    previous_secret_expires_at INTEGER,
    notify_expired             INTEGER NOT NULL DEFAULT 0,
    used                       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE numbers (
    number   TEXT PRIMARY KEY,
    enabled  INTEGER NOT NULL DEFAULT 1,
    added_at INTEGER NOT NULL,
    used     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE authorizations (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    token_id        INTEGER NOT NULL,
    user_phone      TEXT    NOT NULL,
    auth_number     TEXT    NOT NULL,
    qr_key          TEXT    NOT NULL UNIQUE,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    status          INTEGER NOT NULL DEFAULT 0,
    confirmed_at    INTEGER,
    confirmed_phone TEXT,
    webhook         TEXT,
    notify_expired  INTEGER NOT NULL DEFAULT 0,
    other_caller    TEXT
);
-- Ids start where the hosted service's did, six digits: clients print them and some log them as such.
INSERT INTO sqlite_sequence (name, seq) VALUES ('authorizations', 100000);
CREATE INDEX ix_authorizations_pending ON authorizations (expires_at) WHERE status = 0;
CREATE INDEX ix_authorizations_finished ON authorizations (confirmed_at);
CREATE INDEX ix_authorizations_phone ON authorizations (user_phone, id);
CREATE INDEX ix_authorizations_token ON authorizations (token_id, id);

-- One row per (number, user phone): the allocation guard. A row may be taken over only once expired.
CREATE TABLE leases (
    number           TEXT    NOT NULL,
    user_phone       TEXT    NOT NULL,
    authorization_id INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    PRIMARY KEY (number, user_phone)
);

CREATE TABLE call_log (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id          TEXT    NOT NULL UNIQUE,
    caller           TEXT,
    called           TEXT    NOT NULL,
    source           TEXT    NOT NULL,
    received_at      INTEGER NOT NULL,
    outcome          TEXT    NOT NULL,
    authorization_id INTEGER
);
CREATE INDEX ix_call_log_received ON call_log (received_at);

CREATE TABLE webhook_outbox (
    id               TEXT    PRIMARY KEY,
    authorization_id INTEGER NOT NULL,
    token_id         INTEGER NOT NULL,
    url              TEXT    NOT NULL,
    success          INTEGER NOT NULL,
    phone            TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    status           INTEGER NOT NULL DEFAULT 0,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    completed_at     INTEGER,
    last_error       TEXT,
    claimed_by       TEXT,
    claimed_until    INTEGER
);
CREATE INDEX ix_webhook_outbox_due ON webhook_outbox (next_attempt_at) WHERE status = 0;
CREATE INDEX ix_webhook_outbox_authorization ON webhook_outbox (authorization_id);

CREATE TABLE webhook_attempts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    http_status INTEGER,
    error       TEXT,
    latency_ms  REAL    NOT NULL
);
CREATE INDEX ix_webhook_attempts_delivery ON webhook_attempts (delivery_id);
