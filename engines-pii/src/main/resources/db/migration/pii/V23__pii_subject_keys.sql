-- One random AES-SIV key per data subject for reversible PII tokens (crypto-shredding, see
-- docs/adr/0005-per-subject-token-keys.md). The key is stored only sealed (AES-256-GCM) under a
-- per-tenant key-encryption key derived from engines.pii.master-key, which the database never sees;
-- the associated data binds each sealed key to its tenant, subject and key id. Erasure deletes the
-- row (and leaves a gdpr_tombstones row of record type pii_subject_key), after which no token made
-- with it can be reversed. Tenant-level like the other GDPR tables: a subject is one person across
-- the tenant's envs (tokens still name their env in their associated data).
CREATE TABLE pii_subject_keys (
    tenant_id   text        NOT NULL REFERENCES tenants (tenant_id),
    subject_id  text        NOT NULL CHECK (subject_id ~ '^ds_[0-9a-f]{32}$'),
    key_id      text        NOT NULL CHECK (key_id ~ '^sk_[a-z2-7]{26}$'),
    -- 12-byte nonce || 64-byte sealed key || 16-byte GCM tag
    wrapped_key bytea       NOT NULL CHECK (octet_length(wrapped_key) = 92),
    wrapping    text        NOT NULL CHECK (wrapping = 'aes256gcm-hkdf/v1'),
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, subject_id)
);
-- Tokens carry the key id: re-identification finds the key by it.
CREATE UNIQUE INDEX pii_subject_keys_key_idx ON pii_subject_keys (tenant_id, key_id);

ALTER TABLE pii_subject_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE pii_subject_keys FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON pii_subject_keys
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

-- No UPDATE: a key is created once and destroyed once, never changed.
GRANT SELECT, INSERT, DELETE ON pii_subject_keys TO ${app_role};
