-- The OpenID Connect provider (docs/sign-in.md): clients the operator registered, each tied to a token whose
-- quota its sign-ins use; the provider's keys, encrypted with the data directory's oidc.key; and the one-time
-- grants (codes, finished sign-ins) already used, so that a replay is refused on every node.
CREATE TABLE signin_clients (
    client_id     text PRIMARY KEY,
    name          text NOT NULL,
    redirect_uris text NOT NULL,
    public        boolean NOT NULL,
    secret_hash   text,
    token_id      bigint NOT NULL REFERENCES tokens(id),
    disabled      boolean NOT NULL DEFAULT false,
    created_at    bigint NOT NULL
);

CREATE TABLE signin_keys (
    kid           text PRIMARY KEY,
    use           integer NOT NULL,
    protected_key text NOT NULL,
    created_at    bigint NOT NULL,
    activates_at  bigint NOT NULL,
    retires_at    bigint
);

CREATE TABLE signin_redeemed (
    grant_id   text PRIMARY KEY,
    keep_until bigint NOT NULL
);
