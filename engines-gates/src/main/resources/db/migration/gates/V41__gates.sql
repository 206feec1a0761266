-- The gates engine: strategy locks and kill switches. Both are env-scoped: tenant_id and env lead
-- every key and index, and RLS (ENABLE + FORCE) binds rows to the transaction's app.tenant_id /
-- app.env.

-- A lock is drafted, then approved or rejected once (status), and reads as expired once valid_until
-- has passed (computed when read, never stored). The application inserts and decides; it deletes
-- only in a tenant purge.
CREATE TABLE strategy_locks (
    tenant_id       text        NOT NULL,
    env             text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    lock_id         text        NOT NULL CHECK (lock_id ~ '^sl_[a-z2-7]{26}$'),
    -- the newest-first listing order
    seq             bigint      GENERATED ALWAYS AS IDENTITY,
    scope           text        NOT NULL CHECK (scope IN ('campaign', 'budget', 'kpi_corridor', 'code_deploy', 'app_toggle', 'other')),
    status          text        NOT NULL CHECK (status IN ('draft', 'approved', 'rejected')),
    allowed_actions jsonb       NOT NULL CHECK (jsonb_typeof(allowed_actions) = 'array'),
    valid_from      timestamptz NOT NULL,
    valid_until     timestamptz NOT NULL,
    -- null: every surface
    surface         text        CHECK (surface ~ '^[a-z][a-z0-9_.-]{0,63}$'),
    -- redacted by the PII pipeline before it is written
    title           text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description     text        NOT NULL CHECK (length(description) <= 2000),
    created_at      timestamptz NOT NULL,
    created_by      text        NOT NULL,
    -- the user the author acted as (a service key's on-behalf-of user), for the four-eyes rule
    created_for     text,
    decided_at      timestamptz,
    decided_by      text,
    PRIMARY KEY (tenant_id, env, lock_id),
    FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id),
    CHECK (valid_until > valid_from),
    CHECK ((status = 'draft') = (decided_at IS NULL)),
    CHECK ((decided_at IS NULL) = (decided_by IS NULL))
);
CREATE INDEX strategy_locks_list_idx ON strategy_locks (tenant_id, env, seq);
-- The gate's question: which approved lock is valid now.
CREATE INDEX strategy_locks_gate_idx ON strategy_locks (tenant_id, env, valid_until) WHERE status = 'approved';

-- One row per version of an env's kill switch, never updated: the highest version is in force and
-- the rows are its history.
CREATE TABLE kill_switches (
    tenant_id          text        NOT NULL,
    env                text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    version            integer     NOT NULL CHECK (version >= 1),
    disabled_actions   jsonb       NOT NULL CHECK (jsonb_typeof(disabled_actions) = 'array'),
    disabled_providers jsonb       NOT NULL CHECK (jsonb_typeof(disabled_providers) = 'array'),
    created_at         timestamptz NOT NULL,
    created_by         text        NOT NULL,
    PRIMARY KEY (tenant_id, env, version),
    FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
);

ALTER TABLE strategy_locks ENABLE ROW LEVEL SECURITY;
ALTER TABLE strategy_locks FORCE ROW LEVEL SECURITY;
ALTER TABLE kill_switches ENABLE ROW LEVEL SECURITY;
ALTER TABLE kill_switches FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_env_isolation ON strategy_locks
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
CREATE POLICY tenant_env_isolation ON kill_switches
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));

GRANT SELECT, INSERT, UPDATE, DELETE ON strategy_locks TO ${app_role};
GRANT SELECT, INSERT, DELETE ON kill_switches TO ${app_role};

-- The kill switch check of every tenant request, in one statement (as api_key_lookup, V27): the
-- function binds the tenant/env for its own query and restores the binding it found before it
-- returns, so it needs no transaction of its own and leaves an enclosing one as it was. It runs
-- with the caller's rights (SECURITY INVOKER): the table's RLS policy and grants apply as to any
-- other read of the application role, which may bind any tenant/env in its own transactions anyway.
CREATE FUNCTION kill_switch_lookup(p_tenant text, p_env text)
RETURNS TABLE (version integer, disabled_actions jsonb, disabled_providers jsonb, created_at timestamptz, created_by text)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $$
DECLARE
  outer_tenant text := coalesce(current_setting('app.tenant_id', true), '');
  outer_env    text := coalesce(current_setting('app.env', true), '');
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant, true), set_config('app.env', p_env, true);
  RETURN QUERY
  SELECT k.version, k.disabled_actions, k.disabled_providers, k.created_at, k.created_by
    FROM kill_switches k
   WHERE k.tenant_id = p_tenant AND k.env = p_env
   ORDER BY k.version DESC
   LIMIT 1;
  PERFORM set_config('app.tenant_id', outer_tenant, true), set_config('app.env', outer_env, true);
END
$$;
REVOKE ALL ON FUNCTION kill_switch_lookup(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kill_switch_lookup(text, text) TO ${app_role};
