-- The KPI engine: KPI definitions and corridors, Temperature configuration, metric observations with
-- their hourly and daily rollups, and kept Temperature snapshots. Every table is env-scoped: tenant_id and env
-- lead every key, foreign key and index, and RLS (ENABLE + FORCE) binds rows to the transaction's
-- app.tenant_id / app.env. Names compare in byte order (COLLATE "C"), the order the API documents.
-- Numbers are exact (numeric), so sums never depend on the order rows are added in.

CREATE TABLE kpi_definitions (
    tenant_id   text        NOT NULL,
    env         text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    name        text        COLLATE "C" NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]{0,63}$'),
    -- redacted by the PII pipeline before it is written
    description text        NOT NULL CHECK (length(description) <= 1000),
    unit        text        NOT NULL CHECK (length(unit) BETWEEN 1 AND 32),
    surface     text        COLLATE "C" NOT NULL CHECK (surface ~ '^[a-z][a-z0-9_.-]{0,63}$'),
    version     integer     NOT NULL CHECK (version >= 1),
    created_at  timestamptz NOT NULL,
    created_by  text        NOT NULL,
    updated_at  timestamptz NOT NULL,
    updated_by  text        NOT NULL,
    PRIMARY KEY (tenant_id, env, name),
    FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
);
CREATE INDEX kpi_definitions_surface_idx ON kpi_definitions (tenant_id, env, surface, name);

-- A KPI's corridor: each bound optional, a floor at most its ceiling.
CREATE TABLE kpi_corridors (
    tenant_id       text        NOT NULL,
    env             text        NOT NULL,
    kpi_name        text        COLLATE "C" NOT NULL,
    floor           numeric,
    ceiling         numeric,
    cadence_floor   numeric,
    cadence_ceiling numeric,
    version         integer     NOT NULL CHECK (version >= 1),
    updated_at      timestamptz NOT NULL,
    updated_by      text        NOT NULL,
    PRIMARY KEY (tenant_id, env, kpi_name),
    FOREIGN KEY (tenant_id, env, kpi_name) REFERENCES kpi_definitions (tenant_id, env, name),
    CHECK (floor IS NULL OR ceiling IS NULL OR floor <= ceiling),
    CHECK (cadence_floor IS NULL OR cadence_ceiling IS NULL OR cadence_floor <= cadence_ceiling)
);

-- One row per version of a surface's configuration part, never updated: the highest version of each
-- part is in force. Settings hold metric names and numbers (as plain decimal strings) only.
CREATE TABLE temperature_config (
    tenant_id  text        NOT NULL,
    env        text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    surface    text        COLLATE "C" NOT NULL CHECK (surface ~ '^[a-z][a-z0-9_.-]{0,63}$'),
    part       text        NOT NULL CHECK (part IN ('floors', 'ceilings', 'weights')),
    version    integer     NOT NULL CHECK (version >= 1),
    settings   jsonb       NOT NULL CHECK (jsonb_typeof(settings) = 'object'),
    created_at timestamptz NOT NULL,
    created_by text        NOT NULL,
    PRIMARY KEY (tenant_id, env, surface, part, version),
    FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
);

-- Observations are append-only for the application (a client id makes a replay a no-op).
CREATE TABLE metric_observations (
    tenant_id      text        NOT NULL,
    env            text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    observation_id text        NOT NULL CHECK (observation_id ~ '^[A-Za-z0-9_.:-]{1,128}$'),
    surface        text        COLLATE "C" NOT NULL CHECK (surface ~ '^[a-z][a-z0-9_.-]{0,63}$'),
    metric         text        COLLATE "C" NOT NULL CHECK (metric ~ '^[a-z][a-z0-9_]{0,63}$'),
    value          numeric     NOT NULL,
    observed_at    timestamptz NOT NULL,
    recorded_at    timestamptz NOT NULL,
    recorded_by    text        NOT NULL,
    PRIMARY KEY (tenant_id, env, observation_id),
    FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
);
-- The partial hours at a snapshot window's ends: an index-only range scan per end.
CREATE INDEX metric_observations_window_idx ON metric_observations (tenant_id, env, surface, observed_at)
    INCLUDE (metric, value);

-- Per surface, metric and UTC hour (span 'hour') or day (span 'day'), the exact sum and count of its
-- observations, kept by the insert that adds them: a 90-day window reads 89 daily rows and at most
-- 46 hourly rows per metric here, plus the observations of two partial hours.
CREATE TABLE metric_rollups (
    tenant_id    text        NOT NULL,
    env          text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    surface      text        COLLATE "C" NOT NULL,
    span         text        NOT NULL CHECK (span IN ('hour', 'day')),
    metric       text        COLLATE "C" NOT NULL,
    bucket       timestamptz NOT NULL,
    total        numeric     NOT NULL,
    observations bigint      NOT NULL CHECK (observations >= 1),
    -- bucket before metric: a window's range of buckets bounds the index scan (all of a surface's
    -- metrics share its buckets, and a snapshot asks for most of them)
    PRIMARY KEY (tenant_id, env, surface, span, bucket, metric),
    FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
);

-- Kept snapshots, as computed then (body: the snapshot's wire form).
CREATE TABLE temperature_snapshots (
    tenant_id   text        NOT NULL,
    env         text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    snapshot_id text        NOT NULL CHECK (snapshot_id ~ '^ts_[a-z2-7]{26}$'),
    -- the newest-first listing order
    seq         bigint      GENERATED ALWAYS AS IDENTITY,
    surface     text        COLLATE "C" NOT NULL CHECK (surface ~ '^[a-z][a-z0-9_.-]{0,63}$'),
    as_of       timestamptz NOT NULL,
    window_days integer     NOT NULL CHECK (window_days BETWEEN 1 AND 90),
    body        jsonb       NOT NULL CHECK (jsonb_typeof(body) = 'object'),
    created_at  timestamptz NOT NULL,
    created_by  text        NOT NULL,
    PRIMARY KEY (tenant_id, env, snapshot_id),
    FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
);
CREATE INDEX temperature_snapshots_list_idx ON temperature_snapshots (tenant_id, env, surface, seq);

ALTER TABLE kpi_definitions ENABLE ROW LEVEL SECURITY;
ALTER TABLE kpi_definitions FORCE ROW LEVEL SECURITY;
ALTER TABLE kpi_corridors ENABLE ROW LEVEL SECURITY;
ALTER TABLE kpi_corridors FORCE ROW LEVEL SECURITY;
ALTER TABLE temperature_config ENABLE ROW LEVEL SECURITY;
ALTER TABLE temperature_config FORCE ROW LEVEL SECURITY;
ALTER TABLE metric_observations ENABLE ROW LEVEL SECURITY;
ALTER TABLE metric_observations FORCE ROW LEVEL SECURITY;
ALTER TABLE metric_rollups ENABLE ROW LEVEL SECURITY;
ALTER TABLE metric_rollups FORCE ROW LEVEL SECURITY;
ALTER TABLE temperature_snapshots ENABLE ROW LEVEL SECURITY;
ALTER TABLE temperature_snapshots FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_env_isolation ON kpi_definitions
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
CREATE POLICY tenant_env_isolation ON kpi_corridors
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
CREATE POLICY tenant_env_isolation ON temperature_config
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
CREATE POLICY tenant_env_isolation ON metric_observations
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
CREATE POLICY tenant_env_isolation ON metric_rollups
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
CREATE POLICY tenant_env_isolation ON temperature_snapshots
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));

-- DELETE: a KPI's deletion and the tenant purge only (observations, rollups, configuration versions
-- and snapshots are otherwise never changed or removed by the application).
GRANT SELECT, INSERT, UPDATE, DELETE ON kpi_definitions TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON kpi_corridors TO ${app_role};
GRANT SELECT, INSERT, DELETE ON temperature_config TO ${app_role};
GRANT SELECT, INSERT, DELETE ON metric_observations TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON metric_rollups TO ${app_role};
GRANT SELECT, INSERT, DELETE ON temperature_snapshots TO ${app_role};
