-- GDPR erasure removes the raw bytes of the assets it erases, not only their rows. The erasure's
-- transaction marks each erased asset (soft delete plus erased_at) durably; once it has committed,
-- the objects are deleted, then the assets' atoms, derivations and rows. An object the store cannot
-- delete now keeps its marked row, so the next erasure or retention run in that env retries it:
-- nothing is lost if a step fails, and a rolled-back erasure never leaves a row without its object.
ALTER TABLE raw_assets ADD COLUMN erased_at timestamptz;
CREATE INDEX raw_assets_erased_idx ON raw_assets (tenant_id, env, asset_id) WHERE erased_at IS NOT NULL;
