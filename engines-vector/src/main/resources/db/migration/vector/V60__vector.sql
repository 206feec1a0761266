-- The vector engine: vector spaces and their vectors, one table each for every tenant, env-scoped.
-- tenant_id and env lead every key and index that is unique or referenced, and RLS (ENABLE + FORCE)
-- binds rows to the transaction's app.tenant_id / app.env (docs/adr/vector-search.md).

-- Iterative index scans (hnsw.iterative_scan) came with pgvector 0.8: without them a filtered
-- search on a shared index can return fewer rows than asked for. Refuse an older extension.
DO $$
DECLARE installed text := (SELECT extversion FROM pg_extension WHERE extname = 'vector');
BEGIN
  IF installed IS NULL THEN
    RAISE EXCEPTION 'the vector extension (pgvector >= 0.8) is not installed in this database; a superuser runs CREATE EXTENSION vector';
  END IF;
  IF string_to_array(split_part(installed, '-', 1), '.')::int[] < ARRAY[0, 8, 0] THEN
    RAISE EXCEPTION 'pgvector % is installed; Engines needs 0.8 or newer (ALTER EXTENSION vector UPDATE after installing it)', installed;
  END IF;
END
$$;

CREATE TABLE vector_spaces (
    tenant_id  text        NOT NULL,
    env        text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    space_id   text        NOT NULL CHECK (space_id ~ '^vs_[a-z2-7]{26}$'),
    -- listed in byte order
    name       text        COLLATE "C" NOT NULL CHECK (name ~ '^[a-z][a-z0-9_-]{0,63}$'),
    dimension  integer     NOT NULL CHECK (dimension BETWEEN 1 AND 4096),
    metric     text        NOT NULL CHECK (metric IN ('cosine', 'l2', 'inner_product')),
    -- 'caller' (embeddings come with the request) or a built-in model id
    model      text        NOT NULL CHECK (model ~ '^[a-z0-9][a-z0-9.-]{0,63}$'),
    created_at timestamptz NOT NULL,
    created_by text        NOT NULL,
    PRIMARY KEY (tenant_id, env, space_id),
    UNIQUE (tenant_id, env, name),
    -- the target of the vectors' foreign key, which pins each vector's dimension and metric to its space's
    UNIQUE (tenant_id, env, space_id, dimension, metric),
    FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
);

-- One row per vector. dimension and metric repeat the space's (the foreign key keeps them equal) so
-- that the partial HNSW indexes below can name them: an index needs vectors of one fixed dimension
-- and one distance operator.
CREATE TABLE vectors (
    tenant_id    text        NOT NULL,
    env          text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    space_id     text        NOT NULL,
    vector_id    text        COLLATE "C" NOT NULL CHECK (vector_id ~ '^[A-Za-z0-9_.:-]{1,200}$'),
    dimension    integer     NOT NULL,
    metric       text        NOT NULL,
    embedding    vector      NOT NULL CHECK (vector_dims(embedding) = dimension),
    -- flat: strings (redacted by the PII pipeline), numbers and booleans
    metadata     jsonb       NOT NULL CHECK (jsonb_typeof(metadata) = 'object'),
    ref_type     text        CHECK (ref_type IN ('atom', 'asset', 'external')),
    ref_id       text        CHECK (ref_id ~ '^[A-Za-z0-9_.:-]{1,200}$'),
    -- the Nexus asset an atom or asset ref belongs to: when the asset is deleted, the vector goes
    ref_asset_id text,
    -- sha256 over the embedding, metadata and ref as stored: an upsert of the same item changes nothing
    content_sha256 text      NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    pii_flags    jsonb       NOT NULL CHECK (jsonb_typeof(pii_flags) = 'object'),
    train_ok     boolean     NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, env, space_id, vector_id),
    FOREIGN KEY (tenant_id, env, space_id, dimension, metric)
        REFERENCES vector_spaces (tenant_id, env, space_id, dimension, metric) ON DELETE CASCADE,
    CHECK ((ref_type IS NULL) = (ref_id IS NULL)),
    CHECK ((ref_asset_id IS NOT NULL) = (ref_type IN ('atom', 'asset')))
);

CREATE INDEX vectors_ref_asset_idx ON vectors (tenant_id, env, ref_asset_id) WHERE ref_asset_id IS NOT NULL;
-- Equality and "in" filters on metadata (containment); the tenant, env and space conditions apply too.
CREATE INDEX vectors_metadata_idx ON vectors USING gin (metadata jsonb_path_ops);

-- Approximate nearest neighbour indexes: one partial HNSW index per indexed dimension and metric,
-- over the rows of every tenant (m = 16, ef_construction = 128: twice pgvector's default, which
-- lifted recall@10 at ef_search 200 from 0.97 to 0.99 on the benchmark data). A search names
-- the dimension and metric as literals so the planner can use the index; the tenant, env and space
-- are filters that pgvector's iterative scan applies while it walks the graph. Spaces of another
-- dimension are searched exactly (docs/adr/vector-search.md).
CREATE INDEX vectors_hnsw_384_cosine ON vectors USING hnsw ((embedding::vector(384)) vector_cosine_ops) WITH (m = 16, ef_construction = 128) WHERE dimension = 384 AND metric = 'cosine';
CREATE INDEX vectors_hnsw_384_l2 ON vectors USING hnsw ((embedding::vector(384)) vector_l2_ops) WITH (m = 16, ef_construction = 128) WHERE dimension = 384 AND metric = 'l2';
CREATE INDEX vectors_hnsw_384_ip ON vectors USING hnsw ((embedding::vector(384)) vector_ip_ops) WITH (m = 16, ef_construction = 128) WHERE dimension = 384 AND metric = 'inner_product';
CREATE INDEX vectors_hnsw_768_cosine ON vectors USING hnsw ((embedding::vector(768)) vector_cosine_ops) WITH (m = 16, ef_construction = 128) WHERE dimension = 768 AND metric = 'cosine';
CREATE INDEX vectors_hnsw_768_l2 ON vectors USING hnsw ((embedding::vector(768)) vector_l2_ops) WITH (m = 16, ef_construction = 128) WHERE dimension = 768 AND metric = 'l2';
CREATE INDEX vectors_hnsw_768_ip ON vectors USING hnsw ((embedding::vector(768)) vector_ip_ops) WITH (m = 16, ef_construction = 128) WHERE dimension = 768 AND metric = 'inner_product';
CREATE INDEX vectors_hnsw_1024_cosine ON vectors USING hnsw ((embedding::vector(1024)) vector_cosine_ops) WITH (m = 16, ef_construction = 128) WHERE dimension = 1024 AND metric = 'cosine';
CREATE INDEX vectors_hnsw_1024_l2 ON vectors USING hnsw ((embedding::vector(1024)) vector_l2_ops) WITH (m = 16, ef_construction = 128) WHERE dimension = 1024 AND metric = 'l2';
CREATE INDEX vectors_hnsw_1024_ip ON vectors USING hnsw ((embedding::vector(1024)) vector_ip_ops) WITH (m = 16, ef_construction = 128) WHERE dimension = 1024 AND metric = 'inner_product';
CREATE INDEX vectors_hnsw_1536_cosine ON vectors USING hnsw ((embedding::vector(1536)) vector_cosine_ops) WITH (m = 16, ef_construction = 128) WHERE dimension = 1536 AND metric = 'cosine';
CREATE INDEX vectors_hnsw_1536_l2 ON vectors USING hnsw ((embedding::vector(1536)) vector_l2_ops) WITH (m = 16, ef_construction = 128) WHERE dimension = 1536 AND metric = 'l2';
CREATE INDEX vectors_hnsw_1536_ip ON vectors USING hnsw ((embedding::vector(1536)) vector_ip_ops) WITH (m = 16, ef_construction = 128) WHERE dimension = 1536 AND metric = 'inner_product';

ALTER TABLE vector_spaces ENABLE ROW LEVEL SECURITY;
ALTER TABLE vector_spaces FORCE ROW LEVEL SECURITY;
ALTER TABLE vectors ENABLE ROW LEVEL SECURITY;
ALTER TABLE vectors FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_env_isolation ON vector_spaces
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
CREATE POLICY tenant_env_isolation ON vectors
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));

GRANT SELECT, INSERT, DELETE ON vector_spaces TO ${app_role};
-- Only for the row lock vector writes take on their space (SELECT ... FOR UPDATE needs an UPDATE
-- privilege); the application never changes a space.
GRANT UPDATE (name) ON vector_spaces TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON vectors TO ${app_role};
