-- The DatasetEvent ledger: one row per engine activity, appended in the same transaction as the
-- change it records. Append-only for the application role (INSERT, SELECT).
CREATE TABLE dataset_events (
    tenant_id    text        NOT NULL,
    env          text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    event_id     text        NOT NULL CHECK (event_id ~ '^ev_[a-z2-7]{26}$'),
    -- Relay cursor: rows with tx_id below the oldest running transaction are final, so a
    -- (tx_id, seq) cursor never skips a row that commits late.
    tx_id        xid8        NOT NULL DEFAULT pg_current_xact_id(),
    seq          bigint      GENERATED ALWAYS AS IDENTITY,
    occurred_at  timestamptz NOT NULL,
    surface      text        NOT NULL CHECK (surface ~ '^[a-z_]{1,40}$'),
    action       text        NOT NULL CHECK (action ~ '^[a-z_.]{1,80}$'),
    kind         text        NOT NULL CHECK (kind IN ('read', 'write')),
    actor_type   text        NOT NULL CHECK (actor_type IN ('user', 'service', 'operator', 'system')),
    actor_id     text        NOT NULL,
    on_behalf_of text,
    key_id       text,
    agent_id     text,
    input_refs   jsonb       NOT NULL,
    output_refs  jsonb       NOT NULL,
    pii_flags    jsonb,
    train_ok     boolean     NOT NULL,
    outcome      text        NOT NULL CHECK (outcome IN ('success', 'failure')),
    error_code   text,
    trace_id     text        NOT NULL CHECK (trace_id ~ '^[0-9a-f]{32}$'),
    request_id   text        NOT NULL,
    PRIMARY KEY (tenant_id, env, event_id),
    FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id),
    CHECK ((outcome = 'failure') = (error_code IS NOT NULL))
);
CREATE INDEX dataset_events_time_idx ON dataset_events (tenant_id, env, occurred_at, event_id);
CREATE INDEX dataset_events_relay_idx ON dataset_events (tenant_id, env, tx_id, seq);
CREATE INDEX dataset_events_request_idx ON dataset_events (tenant_id, env, request_id);

ALTER TABLE dataset_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE dataset_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_env_isolation ON dataset_events
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));

GRANT SELECT, INSERT ON dataset_events TO ${app_role};
