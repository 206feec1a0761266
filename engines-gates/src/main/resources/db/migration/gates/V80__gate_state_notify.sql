-- The gate state cache (docs/adr/0018-gate-state-cache.md): each replica keeps, per tenant/env,
-- what gate_lookup (V70) read on every request -- the env's kill switch and its gates config slot --
-- and drops a tenant's entries when a change of either commits. Every change of a kill switch row,
-- and of an env_config row of the gates slot, notifies channel engines_gates with the tenant's id
-- when its transaction commits; a TRUNCATE notifies an empty payload (drop everything). NOTIFY is
-- transactional: a change that rolls back notifies nobody.
CREATE FUNCTION gates_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER
AS $$
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    PERFORM pg_notify('engines_gates', '');
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('engines_gates', OLD.tenant_id);
  ELSIF TG_OP = 'INSERT' THEN
    PERFORM pg_notify('engines_gates', NEW.tenant_id);
  ELSE
    PERFORM pg_notify('engines_gates', NEW.tenant_id);
    IF NEW.tenant_id IS DISTINCT FROM OLD.tenant_id THEN
      PERFORM pg_notify('engines_gates', OLD.tenant_id);
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER kill_switches_gates_changed AFTER INSERT OR UPDATE OR DELETE ON kill_switches FOR EACH ROW
  EXECUTE FUNCTION gates_changed();
CREATE TRIGGER kill_switches_gates_truncated AFTER TRUNCATE ON kill_switches FOR EACH STATEMENT
  EXECUTE FUNCTION gates_changed();

-- Only the gates slot is cached; the other slots' writes notify nobody.
CREATE TRIGGER env_config_gates_inserted AFTER INSERT ON env_config FOR EACH ROW
  WHEN (NEW.slot = 'gates') EXECUTE FUNCTION gates_changed();
CREATE TRIGGER env_config_gates_updated AFTER UPDATE ON env_config FOR EACH ROW
  WHEN (OLD.slot = 'gates' OR NEW.slot = 'gates') EXECUTE FUNCTION gates_changed();
CREATE TRIGGER env_config_gates_deleted AFTER DELETE ON env_config FOR EACH ROW
  WHEN (OLD.slot = 'gates') EXECUTE FUNCTION gates_changed();
CREATE TRIGGER env_config_gates_truncated AFTER TRUNCATE ON env_config FOR EACH STATEMENT
  EXECUTE FUNCTION gates_changed();

-- What a replica caches of an env, in one statement outside any transaction (binding the tenant/env
-- for itself and restoring the binding it found, as gate_lookup): the latest kill switch's disabled
-- actions and providers (empty lists when never set) and the latest gates slot (null when never set).
CREATE FUNCTION gate_state(p_tenant text, p_env text)
RETURNS TABLE (disabled_actions jsonb, disabled_providers jsonb, settings jsonb)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $$
DECLARE
  outer_tenant text := coalesce(current_setting('app.tenant_id', true), '');
  outer_env    text := coalesce(current_setting('app.env', true), '');
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant, true), set_config('app.env', p_env, true);
  SELECT coalesce(k.disabled_actions, '[]'), coalesce(k.disabled_providers, '[]')
    INTO disabled_actions, disabled_providers
    FROM (SELECT 1) one
    LEFT JOIN LATERAL (SELECT s.disabled_actions, s.disabled_providers FROM kill_switches s
                        WHERE s.tenant_id = p_tenant AND s.env = p_env ORDER BY s.version DESC LIMIT 1) k ON true;
  settings := (SELECT c.settings FROM env_config c WHERE c.tenant_id = p_tenant AND c.env = p_env AND c.slot = 'gates'
                ORDER BY c.version DESC LIMIT 1);
  PERFORM set_config('app.tenant_id', outer_tenant, true), set_config('app.env', outer_env, true);
  RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION gate_state(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gate_state(text, text) TO ${app_role};

-- gate_admit_periods: gate_admit (V65) that also answers the period of each counter it checked and
-- counted (its own clock's UTC day or month), so that what a refused request gives back goes to
-- the very counter it took from, now that the request no longer reads the database's day and month
-- beforehand (gate_lookup). Unchanged otherwise. A new name rather than a new gate_admit: during a
-- rolling upgrade the replicas still running the old code keep calling gate_admit, whose result
-- type a server-side prepared statement of theirs has cached.
CREATE FUNCTION gate_admit_periods(p_tenant text, p_env text, p_action text,
    p_rate_paths text[], p_rate_buckets text[], p_rate_defaults float8[], p_rate_ceilings float8[],
    p_count_paths text[], p_count_meters text[], p_count_periods text[], p_count_defaults float8[],
    p_count_ceilings float8[])
RETURNS TABLE (code text, fired integer, retry_after integer, rate_limits float8[], rate_remaining float8[],
    rate_reset float8[], count_limits float8[], count_used float8[], count_amounts float8[], count_periods text[])
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

  count_periods := periods;
  PERFORM set_config('app.tenant_id', outer_tenant, true), set_config('app.env', outer_env, true);
  RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION gate_admit_periods(text, text, text, text[], text[], float8[], float8[], text[], text[], text[],
    float8[], float8[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gate_admit_periods(text, text, text, text[], text[], float8[], float8[], text[], text[], text[],
    float8[], float8[]) TO ${app_role};
