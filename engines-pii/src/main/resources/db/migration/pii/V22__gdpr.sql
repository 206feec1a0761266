-- GDPR: where each data subject's records live (by pseudonym), tombstones of erased records,
-- retention policies per env and data class, and legal holds. No column holds an identifier of a
-- person: subjects appear only as ds_ pseudonyms (HMAC under a key outside the database), and hold
-- reasons are redacted before they are stored. These rows are tenant-level (one policy on the
-- tenant): erasure and holds span the tenant's envs, and the scheduled purge reads every env's
-- policies of a tenant in one transaction.
CREATE TABLE gdpr_subject_records (
    tenant_id   text        NOT NULL REFERENCES tenants (tenant_id),
    subject_id  text        NOT NULL CHECK (subject_id ~ '^ds_[0-9a-f]{32}$'),
    record_type text        NOT NULL CHECK (record_type ~ '^[a-z_]{1,40}$'),
    record_id   text        NOT NULL,
    indexed_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, subject_id, record_type, record_id)
);
CREATE INDEX gdpr_subject_records_record_idx ON gdpr_subject_records (tenant_id, record_type, record_id);

CREATE TABLE gdpr_tombstones (
    tenant_id   text        NOT NULL REFERENCES tenants (tenant_id),
    record_type text        NOT NULL,
    record_id   text        NOT NULL,
    env         text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    subject_id  text        NOT NULL CHECK (subject_id ~ '^ds_[0-9a-f]{32}$'),
    erasure_id  text        NOT NULL CHECK (erasure_id ~ '^er_[a-z2-7]{26}$'),
    erased_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, record_type, record_id)
);
CREATE INDEX gdpr_tombstones_subject_idx ON gdpr_tombstones (tenant_id, subject_id);

CREATE TABLE gdpr_retention_policies (
    tenant_id    text        NOT NULL REFERENCES tenants (tenant_id),
    env          text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    data_class   text        NOT NULL CHECK (data_class ~ '^[a-z_]{1,40}$'),
    max_age_days integer     NOT NULL CHECK (max_age_days BETWEEN 1 AND 36500),
    updated_at   timestamptz NOT NULL,
    updated_by   text        NOT NULL,
    PRIMARY KEY (tenant_id, env, data_class)
);

CREATE TABLE gdpr_legal_holds (
    tenant_id   text        NOT NULL REFERENCES tenants (tenant_id),
    hold_id     text        NOT NULL CHECK (hold_id ~ '^lh_[a-z2-7]{26}$'),
    -- empty: the hold covers the whole tenant
    subject_ids text[]      NOT NULL,
    reason      text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 4000),
    created_at  timestamptz NOT NULL,
    created_by  text        NOT NULL,
    released_at timestamptz,
    released_by text,
    PRIMARY KEY (tenant_id, hold_id),
    CHECK ((released_at IS NULL) = (released_by IS NULL))
);

ALTER TABLE gdpr_subject_records ENABLE ROW LEVEL SECURITY;
ALTER TABLE gdpr_subject_records FORCE ROW LEVEL SECURITY;
ALTER TABLE gdpr_tombstones ENABLE ROW LEVEL SECURITY;
ALTER TABLE gdpr_tombstones FORCE ROW LEVEL SECURITY;
ALTER TABLE gdpr_retention_policies ENABLE ROW LEVEL SECURITY;
ALTER TABLE gdpr_retention_policies FORCE ROW LEVEL SECURITY;
ALTER TABLE gdpr_legal_holds ENABLE ROW LEVEL SECURITY;
ALTER TABLE gdpr_legal_holds FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON gdpr_subject_records
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_isolation ON gdpr_tombstones
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_isolation ON gdpr_retention_policies
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_isolation ON gdpr_legal_holds
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

GRANT SELECT, INSERT, DELETE ON gdpr_subject_records TO ${app_role};
GRANT SELECT, INSERT ON gdpr_tombstones TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON gdpr_retention_policies TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON gdpr_legal_holds TO ${app_role};
