-- Per tenant/env configuration slots (storage, nexus), versioned: every change inserts version n+1
-- and the highest version is in force. Rows are never updated or deleted by the application
-- (INSERT/SELECT only), so the history is the audit of what was in force when. Settings hold no
-- secrets: credentials and endpoints stay in the deployment configuration.
CREATE TABLE env_config (
    tenant_id  text        NOT NULL,
    env        text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    slot       text        NOT NULL CHECK (slot IN ('storage', 'nexus')),
    version    integer     NOT NULL CHECK (version >= 1),
    settings   jsonb       NOT NULL CHECK (jsonb_typeof(settings) = 'object'),
    created_at timestamptz NOT NULL,
    created_by text        NOT NULL,
    PRIMARY KEY (tenant_id, env, slot, version),
    FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
);

ALTER TABLE env_config ENABLE ROW LEVEL SECURITY;
ALTER TABLE env_config FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_env_isolation ON env_config
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));

GRANT SELECT, INSERT ON env_config TO ${app_role};

-- Where each raw asset's object lives: the bucket and the slot's key prefix it was written under
-- (the backend column already existed). Reads, deletes and purges use them, so an asset stays
-- reachable after its env's storage slot changes. Assets written before slots existed used the
-- deployment's single bucket without a tenant prefix: the empty values below reproduce exactly
-- that for the filesystem; S3/GCS deployments with such rows must set bucket to their configured
-- bucket (see docs/operations.md), which this migration cannot know.
ALTER TABLE raw_assets ADD COLUMN bucket text NOT NULL DEFAULT '' CHECK (length(bucket) <= 222);
ALTER TABLE raw_assets ADD COLUMN prefix text NOT NULL DEFAULT '' CHECK (length(prefix) <= 256);
ALTER TABLE raw_assets ALTER COLUMN bucket DROP DEFAULT;
ALTER TABLE raw_assets ALTER COLUMN prefix DROP DEFAULT;

-- The retention purge (deleted_assets, pending_uploads) removes assets with their derivations and
-- atoms for good.
GRANT DELETE ON raw_assets, derivations, atoms TO ${app_role};
CREATE INDEX raw_assets_purge_idx ON raw_assets (tenant_id, env, status, deleted_at) WHERE status <> 'active';
