-- Tenancy: tenants, users (one row per member of a tenant) and API keys.
-- Runs as the owner role. The application role gets only the grants below and is bound by RLS.
--
-- RLS settings (set per transaction with set_config(..., true) by ScopedTransactions):
--   app.tenant_id / app.env  the tenant and env the transaction works for
--   app.operator = 'on'      the platform operator: sees the tenant registry, never tenant data
--   app.auth_lookup = 'on'   credential lookup before the tenant is known: SELECT only

CREATE TABLE tenants (
    tenant_id   text        NOT NULL CHECK (tenant_id ~ '^t_[a-z0-9_-]{1,62}$'),
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status      text        NOT NULL CHECK (status IN ('active', 'suspended')),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id)
);

CREATE TABLE users (
    tenant_id    text        NOT NULL REFERENCES tenants (tenant_id),
    user_id      text        NOT NULL CHECK (user_id ~ '^u_[a-z2-7]{26}$'),
    email        text        NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
    display_name text        NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    role         text        NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    status       text        NOT NULL CHECK (status IN ('active', 'deactivated')),
    idp_issuer   text,
    idp_subject  text,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, user_id),
    CHECK ((idp_issuer IS NULL) = (idp_subject IS NULL))
);
CREATE UNIQUE INDEX users_email_uq ON users (tenant_id, lower(email));
CREATE UNIQUE INDEX users_idp_uq ON users (tenant_id, idp_issuer, idp_subject) WHERE idp_issuer IS NOT NULL;

CREATE TABLE api_keys (
    tenant_id            text        NOT NULL,
    key_id               text        NOT NULL CHECK (key_id ~ '^ak_[a-z2-7]{16}$'),
    kind                 text        NOT NULL CHECK (kind IN ('personal', 'service')),
    name                 text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    user_id              text,
    role                 text        CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    envs                 text[],
    act_on_behalf        boolean     NOT NULL DEFAULT false,
    secret_hash          bytea       NOT NULL,
    previous_secret_hash bytea,
    previous_valid_until timestamptz,
    created_by           text        NOT NULL,
    created_at           timestamptz NOT NULL,
    expires_at           timestamptz,
    revoked_at           timestamptz,
    last_used_at         timestamptz,
    PRIMARY KEY (tenant_id, key_id),
    FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, user_id) ON DELETE CASCADE,
    -- personal keys act as their user (role from the membership); service keys carry their own role
    CHECK ((kind = 'personal' AND user_id IS NOT NULL AND role IS NULL AND act_on_behalf = false)
        OR (kind = 'service' AND user_id IS NULL AND role IS NOT NULL)),
    CHECK (envs IS NULL OR (cardinality(envs) > 0 AND envs <@ ARRAY['dev', 'staging', 'prod']))
);
-- Credential lookup happens before the tenant is known, by key id alone (ids are 80 random bits).
CREATE INDEX api_keys_key_id_idx ON api_keys (key_id);
CREATE INDEX api_keys_user_idx ON api_keys (tenant_id, user_id);

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_self ON tenants FOR SELECT
    USING (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_operator ON tenants
    USING (current_setting('app.operator', true) = 'on')
    WITH CHECK (current_setting('app.operator', true) = 'on');
CREATE POLICY tenant_auth_lookup ON tenants FOR SELECT
    USING (current_setting('app.auth_lookup', true) = 'on');

CREATE POLICY tenant_isolation ON users
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY auth_lookup ON users FOR SELECT
    USING (current_setting('app.auth_lookup', true) = 'on');

CREATE POLICY tenant_isolation ON api_keys
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY auth_lookup ON api_keys FOR SELECT
    USING (current_setting('app.auth_lookup', true) = 'on');

GRANT SELECT, INSERT, UPDATE ON tenants TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON users TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON api_keys TO ${app_role};
