-- Idempotency keys (docs/adr/0010-idempotency-keys.md): the Idempotency-Key of a creating POST,
-- per tenant, env and principal, with the first request's response for replays. Env-scoped like
-- the data the routes create: tenant_id and env lead the key, RLS (ENABLE + FORCE) binds rows to
-- the transaction's app.tenant_id / app.env.
--
-- A row moves in_flight (claimed by one request) -> committed (the request's change committed, in
-- the same transaction as the change) -> complete (its response is kept), or goes away when the
-- request changed nothing and failed. unknown: the change committed but the request ended without
-- a response to keep (a 5xx after the commit). Rows expire 24 h after their claim; a sweep deletes
-- them, and a claim replaces an expired one.
CREATE TABLE idempotency_keys (
    tenant_id       text        NOT NULL,
    env             text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    -- who sent the key, '<actor type>:<actor id>': keys never cross principals
    principal       text        NOT NULL CHECK (principal ~ '^(user|service):[a-z0-9_]{1,64}$'),
    -- HMAC-SHA256 of the key under a secret the database never holds: keys are not stored
    key_hash        text        NOT NULL CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    state           text        NOT NULL CHECK (state IN ('in_flight', 'committed', 'complete', 'unknown')),
    -- the claim of the request that runs under the key (random per request): only it moves the row on
    owner           text        NOT NULL CHECK (owner ~ '^ic_[a-z2-7]{26}$'),
    claimed_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    -- sha256 of the first request (method, path, query, content type, on-behalf user, body)
    request_hash    text        CHECK (request_hash ~ '^[0-9a-f]{64}$'),
    response_status integer     CHECK (response_status BETWEEN 200 AND 499),
    -- status line aside, the response (kept headers and body), AES-256-GCM under a key derived from
    -- the idempotency key and a secret the database never holds
    response        bytea,
    -- the first request's DatasetEvent, which the events of replays name
    event_id        text        CHECK (event_id ~ '^ev_[a-z2-7]{26}$'),
    completed_at    timestamptz,
    PRIMARY KEY (tenant_id, env, principal, key_hash),
    FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id),
    CHECK ((state = 'complete') = (response IS NOT NULL AND response_status IS NOT NULL AND request_hash IS NOT NULL
        AND completed_at IS NOT NULL))
);
-- The sweep's question: which keys of a tenant/env have expired.
CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (tenant_id, env, expires_at);

ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_env_isolation ON idempotency_keys
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO ${app_role};
