-- Filterable metadata in a side table of typed values behind B-tree indexes (docs/adr/vector-search.md).
-- Under row-level security PostgreSQL lets a condition run before the policy, and so serve as an
-- index condition, only when its operator is leakproof. jsonb containment (@>) is not, so the GIN
-- index of V60 was never used by the application role: a filtered search read every vector of its
-- space. Here every indexed comparison is leakproof:
--   a string by the SHA-256 of its UTF-8 bytes (bytea equality; strings of up to 1,000 chars would
--     not fit a B-tree entry, and text stays in vectors.metadata);
--   a boolean as itself (boolean equality);
--   a number by a double precision key (float8 comparisons; numeric ones are not leakproof), next to
--     its exact numeric value, which the search compares once the index has found the candidates.
--     The key function is monotonic, so a range on the key holds every number of the exact range,
--     and equal numbers have equal keys.

-- The nearest double to n, clamped where a cast would fail: beyond the double range it is
-- -Infinity/Infinity, below the smallest normal double in magnitude it is 0. Monotonic.
CREATE FUNCTION vector_metadata_number_key(n numeric) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE
        WHEN n > 1.7976931348623157e308 THEN 'Infinity'::double precision
        WHEN n < -1.7976931348623157e308 THEN '-Infinity'::double precision
        WHEN abs(n) < 2.2250738585072014e-308 THEN 0::double precision
        ELSE n::double precision
    END;

-- One row per key of a vector's metadata, exactly one typed value set. The vector's rows go with it
-- (deleted, replaced by an upsert, its space deleted, its asset removed, the tenant purged).
CREATE TABLE vector_metadata (
    tenant_id    text             NOT NULL,
    env          text             NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    space_id     text             NOT NULL,
    vector_id    text             COLLATE "C" NOT NULL,
    key          text             COLLATE "C" NOT NULL,
    -- a string: SHA-256 of its UTF-8 bytes (the string itself stays in vectors.metadata)
    value_sha256 bytea            CHECK (octet_length(value_sha256) = 32),
    -- a number: its exact value and its key (vector_metadata_number_key)
    value_number numeric,
    value_key    double precision,
    value_bool   boolean,
    PRIMARY KEY (tenant_id, env, space_id, vector_id, key),
    FOREIGN KEY (tenant_id, env, space_id, vector_id) REFERENCES vectors (tenant_id, env, space_id, vector_id) ON DELETE CASCADE,
    CHECK ((value_number IS NULL) = (value_key IS NULL)),
    CHECK (num_nonnulls(value_sha256, value_number, value_bool) = 1)
);

-- Tenant, env, space and key lead each index, then the value; the vector id makes the scan index-only.
CREATE INDEX vector_metadata_string_idx ON vector_metadata (tenant_id, env, space_id, key, value_sha256, vector_id)
    WHERE value_sha256 IS NOT NULL;
CREATE INDEX vector_metadata_number_idx ON vector_metadata (tenant_id, env, space_id, key, value_key, vector_id)
    WHERE value_key IS NOT NULL;
CREATE INDEX vector_metadata_bool_idx ON vector_metadata (tenant_id, env, space_id, key, value_bool, vector_id)
    WHERE value_bool IS NOT NULL;

ALTER TABLE vector_metadata ENABLE ROW LEVEL SECURITY;
ALTER TABLE vector_metadata FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_env_isolation ON vector_metadata
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
GRANT SELECT, INSERT, DELETE ON vector_metadata TO ${app_role};

-- The rows a vector's stored metadata gives: the one definition the service's upserts, this
-- migration and the benchmark's bulk load copy from. security_invoker: the reader's RLS applies.
CREATE VIEW vector_metadata_source WITH (security_invoker = true) AS
SELECT v.tenant_id, v.env, v.space_id, v.vector_id, m.key,
       CASE WHEN jsonb_typeof(m.value) = 'string' THEN sha256(convert_to(m.value #>> '{}', 'UTF8')) END AS value_sha256,
       CASE WHEN jsonb_typeof(m.value) = 'number' THEN (m.value)::numeric END AS value_number,
       CASE WHEN jsonb_typeof(m.value) = 'number' THEN vector_metadata_number_key((m.value)::numeric) END AS value_key,
       CASE WHEN jsonb_typeof(m.value) = 'boolean' THEN (m.value)::boolean END AS value_bool
FROM vectors v CROSS JOIN LATERAL jsonb_each(v.metadata) m;
GRANT SELECT ON vector_metadata_source TO ${app_role};

-- Existing vectors, tenant by tenant and env by env, each bound like the application (RLS stays
-- forced): the tenant list through the operator binding, then each tenant/env's own rows.
DO $$
DECLARE
    tenant_ids text[];
    t text;
    e text;
BEGIN
    PERFORM set_config('app.operator', 'on', true);
    SELECT coalesce(array_agg(tenant_id ORDER BY tenant_id), '{}') INTO tenant_ids FROM tenants;
    PERFORM set_config('app.operator', '', true);
    FOREACH t IN ARRAY tenant_ids LOOP
        FOREACH e IN ARRAY ARRAY['dev', 'staging', 'prod'] LOOP
            PERFORM set_config('app.tenant_id', t, true);
            PERFORM set_config('app.env', e, true);
            INSERT INTO vector_metadata (tenant_id, env, space_id, vector_id, key, value_sha256, value_number, value_key, value_bool)
            SELECT tenant_id, env, space_id, vector_id, key, value_sha256, value_number, value_key, value_bool
            FROM vector_metadata_source WHERE tenant_id = t AND env = e;
        END LOOP;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
    PERFORM set_config('app.env', '', true);
END
$$;

-- The GIN index served no search of the application role (see above) and only cost every write.
DROP INDEX vectors_metadata_idx;
