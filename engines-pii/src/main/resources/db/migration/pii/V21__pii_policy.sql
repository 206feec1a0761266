-- Per tenant/env redaction policies and allow/deny lists, versioned: every change inserts a new
-- version; the newest one is in force. Version 1 of a policy is the built-in system default, so
-- stored policy versions start at 2. The application role may insert and read; DELETE exists only
-- for tenant purge (lists may hold names).
CREATE TABLE pii_policies (
    tenant_id          text        NOT NULL REFERENCES tenants (tenant_id),
    env                text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    version            integer     NOT NULL CHECK (version >= 2),
    default_operator   text        NOT NULL CHECK (default_operator IN ('redact', 'replace', 'mask', 'hmac', 'token')),
    operators          jsonb       NOT NULL,
    mask_char          text        NOT NULL CHECK (length(mask_char) = 1),
    mask_chars_to_mask integer     NOT NULL CHECK (mask_chars_to_mask >= 1),
    mask_from_end      boolean     NOT NULL,
    created_at         timestamptz NOT NULL,
    created_by         text        NOT NULL,
    PRIMARY KEY (tenant_id, env, version)
);

CREATE TABLE pii_lists (
    tenant_id   text        NOT NULL REFERENCES tenants (tenant_id),
    env         text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    version     integer     NOT NULL CHECK (version >= 1),
    allow_terms text[]      NOT NULL,
    deny_terms  text[]      NOT NULL,
    deny_type   text        NOT NULL CHECK (deny_type ~ '^[A-Z][A-Z0-9_]{0,63}$'),
    created_at  timestamptz NOT NULL,
    created_by  text        NOT NULL,
    PRIMARY KEY (tenant_id, env, version)
);

ALTER TABLE pii_policies ENABLE ROW LEVEL SECURITY;
ALTER TABLE pii_policies FORCE ROW LEVEL SECURITY;
ALTER TABLE pii_lists ENABLE ROW LEVEL SECURITY;
ALTER TABLE pii_lists FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_env_isolation ON pii_policies
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
CREATE POLICY tenant_env_isolation ON pii_lists
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));

GRANT SELECT, INSERT, DELETE ON pii_policies TO ${app_role};
GRANT SELECT, INSERT, DELETE ON pii_lists TO ${app_role};
