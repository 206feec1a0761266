-- Rate limits, quotas and budgets: state shared by every replica of the API, kept in PostgreSQL
-- (docs/adr/gate-limits.md).

-- The token buckets of the rate limits. One row per bucket: 'tenant' (every request of the tenant),
-- 'env:<env>', 'env:<env>:<read|write|heavy>' and 'key:<key id>' / 'user:<user id>' (a caller
-- across the envs it may use), so the table is tenant-scoped, not env-scoped. A bucket holds
-- `tokens` as of `refreshed_at` (the database's clock, the one clock all replicas share); the
-- tokens refilled since then are computed when it is next used.
-- UNLOGGED: no WAL per request. A crash of the database empties the table, which refills every
-- bucket once: a burst the size of each limit, never a lasting overshoot.
CREATE UNLOGGED TABLE rate_buckets (
    tenant_id    text             NOT NULL,
    bucket       text             NOT NULL CHECK (length(bucket) BETWEEN 1 AND 120),
    tokens       double precision NOT NULL,
    refreshed_at timestamptz      NOT NULL,
    PRIMARY KEY (tenant_id, bucket)
);

-- Running totals per tenant/env: requests and cost units per UTC day ('2026-12-07') and month
-- ('2026-12'). `used` only grows within a period; a new period is a new row.
CREATE TABLE usage_counters (
    tenant_id text    NOT NULL,
    env       text    NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    meter     text    NOT NULL CHECK (meter ~ '^[a-z_]{1,40}$'),
    period    text    NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$'),
    used      numeric NOT NULL CHECK (used >= 0),
    PRIMARY KEY (tenant_id, env, meter, period),
    FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
);

-- What each tenant/env holds now, by meter: 'assets' and 'stored_bytes' (raw assets not deleted),
-- 'atoms', 'vectors', 'sessions'. Kept by triggers on the owners' tables (usage_track_*), so every
-- write and every delete, purges and sweeps included, moves the total in its own transaction; the
-- quotas on them are checked before a write under this row's lock (ResourceQuotas).
CREATE TABLE usage_totals (
    tenant_id text    NOT NULL,
    env       text    NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    meter     text    NOT NULL CHECK (meter IN ('assets', 'stored_bytes', 'atoms', 'vectors', 'sessions')),
    used      numeric NOT NULL CHECK (used >= 0),
    PRIMARY KEY (tenant_id, env, meter),
    FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
);

ALTER TABLE rate_buckets ENABLE ROW LEVEL SECURITY;
ALTER TABLE rate_buckets FORCE ROW LEVEL SECURITY;
ALTER TABLE usage_counters ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_counters FORCE ROW LEVEL SECURITY;
ALTER TABLE usage_totals ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_totals FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON rate_buckets
    USING (tenant_id = current_setting('app.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY tenant_env_isolation ON usage_counters
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));

GRANT SELECT, INSERT, UPDATE, DELETE ON rate_buckets TO ${app_role};
CREATE POLICY tenant_env_isolation ON usage_totals
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));

GRANT SELECT, INSERT, UPDATE, DELETE ON usage_counters TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON usage_totals TO ${app_role};

-- Moves a total by delta. A decrease never creates a row: a tenant purge may delete the totals
-- before the rows they count, and nothing must come back for a purged env. Never below zero.
CREATE FUNCTION usage_add(p_tenant text, p_env text, p_meter text, p_delta numeric) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $$
BEGIN
  IF p_delta > 0 THEN
    INSERT INTO usage_totals AS u (tenant_id, env, meter, used) VALUES (p_tenant, p_env, p_meter, p_delta)
    ON CONFLICT (tenant_id, env, meter) DO UPDATE SET used = u.used + excluded.used;
  ELSIF p_delta < 0 THEN
    UPDATE usage_totals SET used = greatest(0, used + p_delta)
     WHERE tenant_id = p_tenant AND env = p_env AND meter = p_meter;
  END IF;
END
$$;

-- Statement triggers with transition tables: one update of a total per statement, however many rows
-- it wrote. TG_ARGV[0] is the meter; the table has one row per counted thing.
CREATE FUNCTION usage_track_rows() RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM usage_add(c.tenant_id, c.env, TG_ARGV[0], c.n)
       FROM (SELECT tenant_id, env, count(*) AS n FROM new_rows GROUP BY tenant_id, env) c;
  ELSE
    PERFORM usage_add(c.tenant_id, c.env, TG_ARGV[0], -c.n)
       FROM (SELECT tenant_id, env, count(*) AS n FROM old_rows GROUP BY tenant_id, env) c;
  END IF;
  RETURN NULL;
END
$$;

-- Raw assets count, with their bytes, while they are not deleted (pending ones hold their bytes). A
-- transition table exists only for the events that have it, hence one branch per event.
CREATE FUNCTION usage_track_assets() RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM usage_add(c.tenant_id, c.env, 'assets', c.n), usage_add(c.tenant_id, c.env, 'stored_bytes', c.bytes)
       FROM (SELECT tenant_id, env, count(*) AS n, sum(size_bytes) AS bytes FROM new_rows WHERE status <> 'deleted'
              GROUP BY tenant_id, env) c;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM usage_add(c.tenant_id, c.env, 'assets', -c.n), usage_add(c.tenant_id, c.env, 'stored_bytes', -c.bytes)
       FROM (SELECT tenant_id, env, count(*) AS n, sum(size_bytes) AS bytes FROM old_rows WHERE status <> 'deleted'
              GROUP BY tenant_id, env) c;
  ELSE
    PERFORM usage_add(c.tenant_id, c.env, 'assets', c.n), usage_add(c.tenant_id, c.env, 'stored_bytes', c.bytes)
       FROM (SELECT tenant_id, env, sum(n) AS n, sum(bytes) AS bytes FROM (
               SELECT tenant_id, env, 1 AS n, size_bytes AS bytes FROM new_rows WHERE status <> 'deleted'
               UNION ALL
               SELECT tenant_id, env, -1, -size_bytes FROM old_rows WHERE status <> 'deleted') d
             GROUP BY tenant_id, env) c;
  END IF;
  RETURN NULL;
END
$$;

-- Admission of one request, in one statement run outside any transaction (as kill_switch_lookup,
-- V41: the function binds the tenant/env for itself and restores the binding it found). In order:
--   1. the kill switch: p_action disabled → 'kill_switch_blocked';
--   2. budgets, 3. quotas: counters (p_count_*) whose amount is 1 per request ('requests') or the
--      action's price in the slot's budgets.prices ('cost_units'); used + amount above the limit →
--      'budget_exceeded' / 'quota_exceeded';
--   4. rate limits: token buckets (p_rate_*) refilled at limit/60 per second up to limit; a bucket
--      below one token → 'rate_limited'.
-- Each limit is least(the env's gates slot value at p_*_paths, or the deployment default when the
-- slot has none; the deployment ceiling); null means unlimited. Rows are locked in one order
-- (buckets by name, then counters by meter and period), so concurrent admissions never deadlock
-- and never both take the last token. Only an admitted request takes tokens and counts. The commit
-- does not wait for the WAL flush (a crash may forget the last few hundred milliseconds of counts).
-- Answers one row: code null when admitted, else the refusal and (fired) the 1-based position of
-- the limit that fired among the rate or count inputs; the arrays are in the order of the inputs
-- (limits, what remains or is used after the request).
CREATE FUNCTION gate_admit(p_tenant text, p_env text, p_action text,
    p_rate_paths text[], p_rate_buckets text[], p_rate_defaults float8[], p_rate_ceilings float8[],
    p_count_paths text[], p_count_meters text[], p_count_periods text[], p_count_defaults float8[],
    p_count_ceilings float8[])
RETURNS TABLE (code text, fired integer, retry_after integer, rate_limits float8[], rate_remaining float8[],
    rate_reset float8[], count_limits float8[], count_used float8[], count_amounts float8[])
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $$
DECLARE
  outer_tenant text := coalesce(current_setting('app.tenant_id', true), '');
  outer_env    text := coalesce(current_setting('app.env', true), '');
  at_now       timestamptz := clock_timestamp();
  utc          timestamp := at_now AT TIME ZONE 'UTC';
  n_rates      integer := coalesce(array_length(p_rate_buckets, 1), 0);
  n_counts     integer := coalesce(array_length(p_count_meters, 1), 0);
  blocked      boolean;
  slot         jsonb;
  price        float8;
  periods      text[] := '{}';
  ends         float8[] := '{}';
  limited      text[] := '{}';     -- the buckets with a limit
  counted_m    text[] := '{}';     -- the counters this request adds to: meter, period
  counted_p    text[] := '{}';
  found_b      text[];
  found_t      float8[];
  found_at     timestamptz[];
  found_m      text[];
  found_p      text[];
  found_u      numeric[];
  i            integer;
  j            integer;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant, true), set_config('app.env', p_env, true),
          set_config('synchronous_commit', 'off', true);
  rate_limits := array_fill(NULL::float8, ARRAY[n_rates]);
  rate_remaining := rate_limits;
  rate_reset := rate_limits;
  count_limits := array_fill(NULL::float8, ARRAY[n_counts]);
  count_used := count_limits;
  count_amounts := count_limits;

  SELECT (SELECT k.disabled_actions ? p_action FROM kill_switches k WHERE k.tenant_id = p_tenant AND k.env = p_env
           ORDER BY k.version DESC LIMIT 1),
         (SELECT c.settings FROM env_config c WHERE c.tenant_id = p_tenant AND c.env = p_env AND c.slot = 'gates'
           ORDER BY c.version DESC LIMIT 1)
    INTO blocked, slot;
  IF blocked THEN
    code := 'kill_switch_blocked';
    PERFORM set_config('app.tenant_id', outer_tenant, true), set_config('app.env', outer_env, true);
    RETURN NEXT;
    RETURN;
  END IF;
  price := coalesce((slot #>> ARRAY['budgets', 'prices', p_action])::float8, 0);

  FOR i IN 1 .. n_rates LOOP
    rate_limits[i] := least(coalesce(CASE WHEN p_rate_paths[i] = '' THEN NULL
        ELSE (slot #>> string_to_array(p_rate_paths[i], '.'))::float8 END, p_rate_defaults[i]), p_rate_ceilings[i]);
    IF rate_limits[i] IS NOT NULL THEN
      limited := limited || p_rate_buckets[i];
    END IF;
  END LOOP;
  FOR i IN 1 .. n_counts LOOP
    count_limits[i] := least(coalesce((slot #>> string_to_array(p_count_paths[i], '.'))::float8, p_count_defaults[i]),
        p_count_ceilings[i]);
    count_amounts[i] := CASE p_count_meters[i] WHEN 'cost_units' THEN price ELSE 1 END;
    IF p_count_periods[i] = 'day' THEN
      periods[i] := to_char(utc, 'YYYY-MM-DD');
      ends[i] := extract(epoch FROM date_trunc('day', utc) + interval '1 day' - utc);
    ELSE
      periods[i] := to_char(utc, 'YYYY-MM');
      ends[i] := extract(epoch FROM date_trunc('month', utc) + interval '1 month' - utc);
    END IF;
    IF count_amounts[i] > 0 THEN
      counted_m := counted_m || p_count_meters[i];
      counted_p := counted_p || periods[i];
    END IF;
  END LOOP;

  -- One statement locks and reads every bucket, one every counter; a bucket seen for the first time
  -- starts full and a period's counter at zero, created only when missing.
  FOR j IN 1 .. 2 LOOP
    SELECT array_agg(b.bucket), array_agg(b.tokens), array_agg(b.refreshed_at) INTO found_b, found_t, found_at
      FROM (SELECT r.bucket, r.tokens, r.refreshed_at FROM rate_buckets r
             WHERE r.tenant_id = p_tenant AND r.bucket = ANY (limited) ORDER BY r.bucket FOR UPDATE) b;
    EXIT WHEN coalesce(array_length(found_b, 1), 0) = coalesce(array_length(limited, 1), 0);
    INSERT INTO rate_buckets (tenant_id, bucket, tokens, refreshed_at)
    SELECT p_tenant, b.bucket, b.lim, at_now FROM unnest(p_rate_buckets, rate_limits) AS b(bucket, lim)
     WHERE b.lim IS NOT NULL
    ON CONFLICT DO NOTHING;
  END LOOP;
  FOR j IN 1 .. 2 LOOP
    SELECT array_agg(c.meter), array_agg(c.period), array_agg(c.used) INTO found_m, found_p, found_u
      FROM (SELECT u.meter, u.period, u.used FROM usage_counters u
             WHERE u.tenant_id = p_tenant AND u.env = p_env AND (u.meter, u.period) IN (SELECT * FROM unnest(p_count_meters, periods))
             ORDER BY u.meter, u.period FOR UPDATE) c;
    EXIT WHEN (SELECT count(*) FROM unnest(counted_m, counted_p) AS w(m, p)
                WHERE NOT EXISTS (SELECT 1 FROM unnest(found_m, found_p) AS f(m, p) WHERE f.m = w.m AND f.p = w.p)) = 0;
    INSERT INTO usage_counters (tenant_id, env, meter, period, used)
    SELECT p_tenant, p_env, w.m, w.p, 0 FROM unnest(counted_m, counted_p) AS w(m, p)
    ON CONFLICT DO NOTHING;
  END LOOP;

  FOR i IN 1 .. n_rates LOOP
    FOR j IN 1 .. coalesce(array_length(found_b, 1), 0) LOOP
      IF found_b[j] = p_rate_buckets[i] AND rate_limits[i] IS NOT NULL THEN
        rate_remaining[i] := least(rate_limits[i],
            found_t[j] + greatest(0, extract(epoch FROM at_now - found_at[j])) * rate_limits[i] / 60.0);
      END IF;
    END LOOP;
  END LOOP;
  FOR i IN 1 .. n_counts LOOP
    FOR j IN 1 .. coalesce(array_length(found_m, 1), 0) LOOP
      IF found_m[j] = p_count_meters[i] AND found_p[j] = periods[i] THEN
        count_used[i] := found_u[j];
      END IF;
    END LOOP;
  END LOOP;

  -- Budgets, then quotas, then rate limits: the first limit that refuses is the one named.
  FOR i IN 1 .. n_counts LOOP
    IF code IS NULL AND p_count_meters[i] = 'cost_units' AND count_amounts[i] > 0 AND count_limits[i] IS NOT NULL
        AND coalesce(count_used[i], 0) + count_amounts[i] > count_limits[i] THEN
      code := 'budget_exceeded';
      fired := i;
      retry_after := ceil(ends[i]);
    END IF;
  END LOOP;
  FOR i IN 1 .. n_counts LOOP
    IF code IS NULL AND p_count_meters[i] <> 'cost_units' AND count_amounts[i] > 0 AND count_limits[i] IS NOT NULL
        AND coalesce(count_used[i], 0) + count_amounts[i] > count_limits[i] THEN
      code := 'quota_exceeded';
      fired := i;
      retry_after := ceil(ends[i]);
    END IF;
  END LOOP;
  FOR i IN 1 .. n_rates LOOP
    IF code IS NULL AND rate_limits[i] IS NOT NULL AND rate_remaining[i] < 1 THEN
      code := 'rate_limited';
      fired := i;
      retry_after := greatest(1, ceil((1 - rate_remaining[i]) * 60.0 / rate_limits[i]));
    END IF;
  END LOOP;

  IF code IS NULL THEN
    FOR i IN 1 .. n_rates LOOP
      rate_remaining[i] := rate_remaining[i] - 1;
    END LOOP;
    FOR i IN 1 .. n_counts LOOP
      IF count_amounts[i] > 0 THEN
        count_used[i] := coalesce(count_used[i], 0) + count_amounts[i];
      END IF;
    END LOOP;
    UPDATE rate_buckets b SET tokens = v.tokens, refreshed_at = at_now
      FROM unnest(p_rate_buckets, rate_remaining) AS v(bucket, tokens)
     WHERE b.tenant_id = p_tenant AND b.bucket = v.bucket AND v.tokens IS NOT NULL;
    UPDATE usage_counters u SET used = v.used
      FROM unnest(p_count_meters, periods, count_used, count_amounts) AS v(meter, period, used, amount)
     WHERE u.tenant_id = p_tenant AND u.env = p_env AND u.meter = v.meter AND u.period = v.period AND v.amount > 0;
  END IF;
  FOR i IN 1 .. n_rates LOOP
    IF rate_limits[i] IS NOT NULL THEN
      rate_reset[i] := (rate_limits[i] - rate_remaining[i]) * 60.0 / rate_limits[i];
    END IF;
  END LOOP;

  PERFORM set_config('app.tenant_id', outer_tenant, true), set_config('app.env', outer_env, true);
  RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION gate_admit(text, text, text, text[], text[], float8[], float8[], text[], text[], text[], float8[],
    float8[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gate_admit(text, text, text, text[], text[], float8[], float8[], text[], text[], text[], float8[],
    float8[]) TO ${app_role};

CREATE TRIGGER raw_assets_usage_insert AFTER INSERT ON raw_assets REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION usage_track_assets();
CREATE TRIGGER raw_assets_usage_update AFTER UPDATE ON raw_assets REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION usage_track_assets();
CREATE TRIGGER raw_assets_usage_delete AFTER DELETE ON raw_assets REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION usage_track_assets();
CREATE TRIGGER atoms_usage_insert AFTER INSERT ON atoms REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION usage_track_rows('atoms');
CREATE TRIGGER atoms_usage_delete AFTER DELETE ON atoms REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION usage_track_rows('atoms');

-- The totals of what exists already, tenant by tenant and env by env (RLS is forced for this role too).
DO $$
DECLARE
  t text;
  e text;
BEGIN
  PERFORM set_config('app.operator', 'on', true);
  FOR t IN SELECT tenant_id FROM tenants LOOP
    FOREACH e IN ARRAY ARRAY['dev', 'staging', 'prod'] LOOP
      PERFORM set_config('app.tenant_id', t, true), set_config('app.env', e, true);
      PERFORM usage_add(t, e, 'assets', count(*)), usage_add(t, e, 'stored_bytes', coalesce(sum(size_bytes), 0))
         FROM raw_assets WHERE tenant_id = t AND env = e AND status <> 'deleted';
      PERFORM usage_add(t, e, 'atoms', count(*)) FROM atoms WHERE tenant_id = t AND env = e;
    END LOOP;
  END LOOP;
  PERFORM set_config('app.operator', '', true), set_config('app.tenant_id', '', true), set_config('app.env', '', true);
END
$$;
