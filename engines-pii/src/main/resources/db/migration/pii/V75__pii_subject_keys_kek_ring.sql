-- Key-encryption-key rotation (docs/adr/0017-kek-ring-rotation.md): every sealed subject key names
-- the KEK it is under. Rows written before this migration were sealed under the per-tenant KEK
-- derived from engines.pii.master-key, the ring's seed entry 'master/v1' (the column default fills
-- them without touching RLS). Keys of a Tink keyset are 'tink/<key id>' and their sealed form carries
-- Tink's 5-byte key prefix, hence the wider length rule.
ALTER TABLE pii_subject_keys ADD COLUMN kek_id text NOT NULL DEFAULT 'master/v1';
ALTER TABLE pii_subject_keys ALTER COLUMN kek_id DROP DEFAULT;

ALTER TABLE pii_subject_keys DROP CONSTRAINT pii_subject_keys_wrapped_key_check;
ALTER TABLE pii_subject_keys DROP CONSTRAINT pii_subject_keys_wrapping_check;
ALTER TABLE pii_subject_keys ADD CONSTRAINT pii_subject_keys_sealing_check CHECK (
    (kek_id = 'master/v1' AND wrapping = 'aes256gcm-hkdf/v1' AND octet_length(wrapped_key) = 92)
    OR (kek_id ~ '^tink/[0-9]{1,10}$' AND wrapping = 'tink-aead/v1'
        AND octet_length(wrapped_key) BETWEEN 64 AND 256));

-- Rotation finds a tenant's rows under other KEKs, and status counts rows per KEK.
CREATE INDEX pii_subject_keys_kek_idx ON pii_subject_keys (tenant_id, kek_id);

-- Rotation re-seals a key in place: the key, its id and so its tokens never change, only how it is
-- sealed. No other column may be updated.
GRANT UPDATE (wrapped_key, wrapping, kek_id) ON pii_subject_keys TO ${app_role};
