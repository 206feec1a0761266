-- The tenant purge fence (PurgeFence): a tenant purge first records that it started, in its own
-- transaction, and every write that brings new data (upload, presign, usage, PII policy and lists)
-- checks for the row in the transaction of its insert, so nothing lands behind a purge that has
-- passed its env. One row per tenant, kept after the purge: a purged tenant takes no new data.
-- Tenant-level, like users.
CREATE TABLE tenant_purges (
    tenant_id   text        NOT NULL REFERENCES tenants (tenant_id),
    started_at  timestamptz NOT NULL,
    started_by  text        NOT NULL,
    PRIMARY KEY (tenant_id)
);
ALTER TABLE tenant_purges ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_purges FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_purges
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT ON tenant_purges TO ${app_role};
