-- Audit anchoring (docs/adr/audit-hash-chain.md, "Anchoring"): the newest signed digest of each
-- tenant's chain that was exported to object storage. Verification reads the digest from storage
-- and uses this row only to tell "never anchored" from "anchored, digest gone" (anchor_missing).
-- Tenant-level, like the chain it anchors.
CREATE TABLE audit_anchors (
    tenant_id      text        NOT NULL REFERENCES tenants (tenant_id),
    seq            bigint      NOT NULL CHECK (seq >= 1),
    head_hash      text        NOT NULL CHECK (head_hash ~ '^[0-9a-f]{64}$'),
    digest_sha256  text        NOT NULL CHECK (digest_sha256 ~ '^[0-9a-f]{64}$'),
    key_id         text        NOT NULL,
    anchored_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id)
);

ALTER TABLE audit_anchors ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_anchors FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON audit_anchors
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

GRANT SELECT, INSERT, UPDATE ON audit_anchors TO ${app_role};
