-- Nexus: raw assets, derivations, atoms and the usage log. Every table is env-scoped: tenant_id and
-- env lead every key, foreign key and index, and RLS (ENABLE + FORCE) binds rows to the
-- transaction's app.tenant_id / app.env.

CREATE TABLE raw_assets (
    tenant_id    text        NOT NULL,
    env          text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    asset_id     text        NOT NULL CHECK (asset_id ~ '^ra_[a-z0-9]{8,64}$'),
    backend      text        NOT NULL CHECK (backend IN ('filesystem', 's3', 'gcs')),
    object_key   text        NOT NULL,
    filename     text        NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
    content_type text        NOT NULL CHECK (length(content_type) BETWEEN 3 AND 255),
    size_bytes   bigint      NOT NULL CHECK (size_bytes >= 0),
    -- pending rows (presigned, not yet registered) hold the declared sha256; active rows the verified one
    sha256       text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    status       text        NOT NULL CHECK (status IN ('pending', 'active', 'deleted')),
    captured_at  timestamptz,
    imported_at  timestamptz NOT NULL,
    registered_at timestamptz,
    deleted_at   timestamptz,
    pii_flags    jsonb       NOT NULL,
    train_ok     boolean     NOT NULL,
    created_by   text        NOT NULL,
    PRIMARY KEY (tenant_id, env, asset_id),
    FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id),
    CHECK ((status = 'deleted') = (deleted_at IS NOT NULL)),
    CHECK ((status = 'pending') = (registered_at IS NULL))
);
-- Idempotent upload by content hash. Listings use the primary key (asset_id order).
CREATE INDEX raw_assets_sha_idx ON raw_assets (tenant_id, env, sha256) WHERE status = 'active';

CREATE TABLE derivations (
    tenant_id      text        NOT NULL,
    env            text        NOT NULL,
    asset_id       text        NOT NULL,
    op_type        text        NOT NULL CHECK (op_type ~ '^[a-z][a-z0-9]*(\.[a-z][a-z0-9_]*)+$'),
    op_version     text        NOT NULL CHECK (op_version ~ '^[1-9][0-9]{0,8}$'),
    params_hash    text        NOT NULL CHECK (params_hash ~ '^[0-9a-f]{64}$'),
    derivation_id  text        NOT NULL CHECK (derivation_id ~ '^dv_[0-9a-f]{32}$'),
    params         jsonb       NOT NULL,
    params_canonical text      NOT NULL,
    atom_count     bigint      NOT NULL CHECK (atom_count >= 0),
    created_at     timestamptz NOT NULL,
    created_by     text        NOT NULL,
    last_run_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, env, asset_id, op_type, op_version, params_hash),
    FOREIGN KEY (tenant_id, env, asset_id) REFERENCES raw_assets (tenant_id, env, asset_id)
);
CREATE UNIQUE INDEX derivations_id_uq ON derivations (tenant_id, env, derivation_id);

CREATE TABLE atoms (
    tenant_id    text        NOT NULL,
    env          text        NOT NULL,
    atom_id      text        NOT NULL CHECK (atom_id ~ '^at_[0-9a-f]{32}$'),
    asset_id     text        NOT NULL,
    op_type      text        NOT NULL,
    op_version   text        NOT NULL,
    params_hash  text        NOT NULL,
    ordinal      bigint      NOT NULL CHECK (ordinal >= 0),
    span         jsonb       NOT NULL,
    -- redacted by the PII pipeline before it is written; text_sha256 is the hash of this stored text
    text         text        NOT NULL,
    text_sha256  text        NOT NULL CHECK (text_sha256 ~ '^[0-9a-f]{64}$'),
    pii_flags    jsonb       NOT NULL,
    train_ok     boolean     NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, env, atom_id),
    FOREIGN KEY (tenant_id, env, asset_id, op_type, op_version, params_hash)
        REFERENCES derivations (tenant_id, env, asset_id, op_type, op_version, params_hash)
);
-- The documented retrieval order: asset, derivation, ordinal.
CREATE INDEX atoms_order_idx ON atoms (tenant_id, env, asset_id, op_type, op_version, params_hash, ordinal, atom_id);

-- Which external cards or atoms a caller used: ids and timestamps only, never content. Append-only.
CREATE TABLE usage_log (
    tenant_id    text        NOT NULL,
    env          text        NOT NULL,
    usage_id     text        NOT NULL CHECK (usage_id ~ '^us_[a-z2-7]{26}$'),
    item         integer     NOT NULL CHECK (item >= 0),
    ref_type     text        NOT NULL CHECK (ref_type IN ('card', 'atom', 'asset')),
    ref_id       text        NOT NULL CHECK (ref_id ~ '^[A-Za-z0-9_.:-]{1,200}$'),
    used_at      timestamptz NOT NULL,
    recorded_at  timestamptz NOT NULL,
    actor_id     text        NOT NULL,
    request_id   text        NOT NULL,
    PRIMARY KEY (tenant_id, env, usage_id, item),
    FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
);
CREATE INDEX usage_log_ref_idx ON usage_log (tenant_id, env, ref_type, ref_id, used_at);

ALTER TABLE raw_assets ENABLE ROW LEVEL SECURITY;
ALTER TABLE raw_assets FORCE ROW LEVEL SECURITY;
ALTER TABLE derivations ENABLE ROW LEVEL SECURITY;
ALTER TABLE derivations FORCE ROW LEVEL SECURITY;
ALTER TABLE atoms ENABLE ROW LEVEL SECURITY;
ALTER TABLE atoms FORCE ROW LEVEL SECURITY;
ALTER TABLE usage_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_log FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_env_isolation ON raw_assets
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
CREATE POLICY tenant_env_isolation ON derivations
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
CREATE POLICY tenant_env_isolation ON atoms
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
CREATE POLICY tenant_env_isolation ON usage_log
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));

GRANT SELECT, INSERT, UPDATE ON raw_assets TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON derivations TO ${app_role};
GRANT SELECT, INSERT ON atoms TO ${app_role};
GRANT SELECT, INSERT ON usage_log TO ${app_role};
