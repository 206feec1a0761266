-- The per-tenant, hash-chained audit trail (docs/adr/audit-hash-chain.md). Append-only for the
-- application role: INSERT and SELECT on the entries; the chain head row is what appends lock (so
-- concurrent appends in one tenant serialise) and what verification compares the chain's end with.
CREATE TABLE audit_chain_heads (
    tenant_id  text   NOT NULL REFERENCES tenants (tenant_id),
    last_seq   bigint NOT NULL CHECK (last_seq >= 0),
    last_hash  text   NOT NULL CHECK (last_hash ~ '^[0-9a-f]{64}$'),
    PRIMARY KEY (tenant_id)
);

CREATE TABLE audit_entries (
    tenant_id    text        NOT NULL REFERENCES tenants (tenant_id),
    seq          bigint      NOT NULL CHECK (seq >= 1),
    entry_id     text        NOT NULL CHECK (entry_id ~ '^au_[a-z2-7]{26}$'),
    -- null for tenant-level actions (operator actions, tenant purge)
    env          text        CHECK (env IN ('dev', 'staging', 'prod')),
    occurred_at  timestamptz NOT NULL,
    actor_type   text        NOT NULL CHECK (actor_type IN ('user', 'service', 'operator', 'system')),
    actor_id     text        NOT NULL,
    on_behalf_of text,
    key_id       text,
    action       text        NOT NULL CHECK (action ~ '^[a-z_]{1,40}\.[a-z_.]{1,39}$'),
    target_type  text,
    target_id    text,
    outcome      text        NOT NULL CHECK (outcome IN ('success', 'failure')),
    details      jsonb       NOT NULL,
    trace_id     text        NOT NULL,
    request_id   text        NOT NULL,
    prev_hash    text        NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    hash         text        NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    PRIMARY KEY (tenant_id, seq)
);
CREATE UNIQUE INDEX audit_entries_id_uq ON audit_entries (tenant_id, entry_id);
CREATE INDEX audit_entries_action_idx ON audit_entries (tenant_id, action, seq);

ALTER TABLE audit_chain_heads ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_chain_heads FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_entries FORCE ROW LEVEL SECURITY;

-- One chain per tenant across its envs: the policy binds the tenant only (env is a column).
CREATE POLICY tenant_isolation ON audit_chain_heads
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_isolation ON audit_entries
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

GRANT SELECT, INSERT, UPDATE ON audit_chain_heads TO ${app_role};
GRANT SELECT, INSERT ON audit_entries TO ${app_role};
