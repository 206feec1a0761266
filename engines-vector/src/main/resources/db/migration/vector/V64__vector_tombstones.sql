-- Tombstones of removed vectors, so that a pointer to one (a session memory's `vector` pointer,
-- `<space>/<vector id>`) reads as deleted or erased instead of never having existed. One row per
-- vector deleted on its own or with its Nexus asset (ref_asset_id: the reader asks whether that
-- asset was erased), one row per deleted space (vector_id '': every vector it held went with it).
-- Names and ids only. Kept engines.vector.tombstone-retention; each new tombstone removes the env's
-- older ones, and a tenant purge removes them all.
CREATE TABLE vector_tombstones (
    tenant_id    text        NOT NULL,
    env          text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    -- the space's name when it was removed: pointers name spaces by name
    space_name   text        COLLATE "C" NOT NULL,
    -- '' for the space itself (a primary key column cannot be NULL)
    vector_id    text        COLLATE "C" NOT NULL,
    space_id     text        NOT NULL,
    ref_asset_id text,
    removed_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, env, space_name, vector_id),
    FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
);

CREATE INDEX vector_tombstones_removed_idx ON vector_tombstones (tenant_id, env, removed_at);

ALTER TABLE vector_tombstones ENABLE ROW LEVEL SECURITY;
ALTER TABLE vector_tombstones FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_env_isolation ON vector_tombstones
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
-- UPDATE: a vector deleted again (after it was written again) moves its tombstone forward.
GRANT SELECT, INSERT, UPDATE, DELETE ON vector_tombstones TO ${app_role};
