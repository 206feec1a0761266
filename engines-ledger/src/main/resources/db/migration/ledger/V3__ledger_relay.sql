-- Durable relay cursors: per tenant/env and sink, the last (tx_id, seq) delivered and acknowledged.
CREATE TABLE ledger_relay_cursors (
    tenant_id   text        NOT NULL,
    env         text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    sink        text        NOT NULL CHECK (sink ~ '^[a-z_]{1,40}$'),
    last_tx_id  xid8        NOT NULL DEFAULT '0',
    last_seq    bigint      NOT NULL DEFAULT 0,
    delivered   bigint      NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, env, sink),
    FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
);
ALTER TABLE ledger_relay_cursors ENABLE ROW LEVEL SECURITY;
ALTER TABLE ledger_relay_cursors FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_env_isolation ON ledger_relay_cursors
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
GRANT SELECT, INSERT, UPDATE ON ledger_relay_cursors TO ${app_role};
