-- Local token reservation (docs/adr/gate-limits.md): each replica takes a batch of tokens from the
-- shared buckets (rate_buckets, V65) and spends them from memory, gives back what it did not spend,
-- and adds the requests it counted locally to usage_counters every sync interval. A request then
-- runs one light statement, gate_lookup, instead of gate_admit (which stays for requests under a
-- request quota or a budget: those are counted exactly, in the statement that checks them).
-- Every function binds the tenant/env for itself and restores the binding it found, as V41 and V65.

-- The kill switch and the gates slot of an env, in one statement: whether p_action is disabled, the
-- slot's values at p_paths ('rate_limits.env'; '' or absent: null), the action's price in the
-- slot's budgets.prices (0 without one), and the UTC day and month by the database's clock (the
-- periods of the counters).
CREATE FUNCTION gate_lookup(p_tenant text, p_env text, p_action text, p_paths text[])
RETURNS TABLE (blocked boolean, slot_values float8[], price float8, day text, month text)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $$
DECLARE
  outer_tenant text := coalesce(current_setting('app.tenant_id', true), '');
  outer_env    text := coalesce(current_setting('app.env', true), '');
  slot         jsonb;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant, true), set_config('app.env', p_env, true);
  SELECT coalesce((SELECT k.disabled_actions ? p_action FROM kill_switches k WHERE k.tenant_id = p_tenant AND k.env = p_env
                    ORDER BY k.version DESC LIMIT 1), false),
         (SELECT c.settings FROM env_config c WHERE c.tenant_id = p_tenant AND c.env = p_env AND c.slot = 'gates'
           ORDER BY c.version DESC LIMIT 1)
    INTO blocked, slot;
  SELECT coalesce(array_agg(CASE WHEN p.path = '' THEN NULL ELSE (slot #>> string_to_array(p.path, '.'))::float8 END
                            ORDER BY p.n), '{}')
    INTO slot_values FROM unnest(p_paths) WITH ORDINALITY AS p(path, n);
  price := coalesce((slot #>> ARRAY['budgets', 'prices', p_action])::float8, 0);
  day := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD');
  month := left(day, 7);
  PERFORM set_config('app.tenant_id', outer_tenant, true), set_config('app.env', outer_env, true);
  RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION gate_lookup(text, text, text, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gate_lookup(text, text, text, text[]) TO ${app_role};

-- Takes (p_amounts > 0) or gives back (< 0) tokens of a tenant's buckets, p_limits per minute each.
-- A bucket is refilled at limit/60 per second up to its limit first (as gate_admit does); a taking
-- gets the whole tokens there are, at most its amount (possibly 0); a giving back never fills a
-- bucket past its limit and never creates one. Rows are locked by bucket name, as in gate_admit,
-- so the two never deadlock. Answers, in the order of the inputs, what was granted (0 for a giving
-- back) and the tokens the bucket holds afterwards.
CREATE FUNCTION gate_tokens(p_tenant text, p_buckets text[], p_limits float8[], p_amounts float8[])
RETURNS TABLE (granted float8[], available float8[])
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $$
DECLARE
  outer_tenant text := coalesce(current_setting('app.tenant_id', true), '');
  at_now       timestamptz := clock_timestamp();
  n            integer := coalesce(array_length(p_buckets, 1), 0);
  takes        text[] := '{}';
  row_b        record;
  have         float8;
  i            integer;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant, true), set_config('synchronous_commit', 'off', true);
  granted := array_fill(0::float8, ARRAY[n]);
  available := array_fill(NULL::float8, ARRAY[n]);
  FOR i IN 1 .. n LOOP
    IF p_amounts[i] > 0 THEN
      takes := takes || p_buckets[i];
    END IF;
  END LOOP;
  -- A bucket taken from for the first time starts full.
  INSERT INTO rate_buckets (tenant_id, bucket, tokens, refreshed_at)
  SELECT p_tenant, b.bucket, b.lim, at_now FROM unnest(p_buckets, p_limits, p_amounts) AS b(bucket, lim, amount)
   WHERE b.amount > 0
  ORDER BY b.bucket
  ON CONFLICT DO NOTHING;
  FOR row_b IN SELECT r.bucket, r.tokens, r.refreshed_at FROM rate_buckets r
                WHERE r.tenant_id = p_tenant AND r.bucket = ANY (p_buckets) ORDER BY r.bucket FOR UPDATE LOOP
    FOR i IN 1 .. n LOOP
      IF p_buckets[i] = row_b.bucket THEN
        have := least(p_limits[i], row_b.tokens + greatest(0, extract(epoch FROM at_now - row_b.refreshed_at)) * p_limits[i] / 60.0);
        IF p_amounts[i] > 0 THEN
          granted[i] := least(p_amounts[i], greatest(0, floor(have)));
          have := have - granted[i];
        ELSE
          have := least(p_limits[i], have - p_amounts[i]);
        END IF;
        available[i] := have;
        UPDATE rate_buckets r SET tokens = have, refreshed_at = at_now WHERE r.tenant_id = p_tenant AND r.bucket = row_b.bucket;
      END IF;
    END LOOP;
  END LOOP;
  PERFORM set_config('app.tenant_id', outer_tenant, true);
  RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION gate_tokens(text, text[], float8[], float8[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gate_tokens(text, text[], float8[], float8[]) TO ${app_role};

-- Adds amounts (negative: takes them back, never below zero) to an env's counters, creating a
-- period's counter when missing: the requests and cost units a replica counted locally, or a
-- refund. Rows are taken in (meter, period) order, as in gate_admit (the caller sorts them).
CREATE FUNCTION gate_count(p_tenant text, p_env text, p_meters text[], p_periods text[], p_amounts float8[])
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $$
DECLARE
  outer_tenant text := coalesce(current_setting('app.tenant_id', true), '');
  outer_env    text := coalesce(current_setting('app.env', true), '');
  i            integer;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant, true), set_config('app.env', p_env, true),
          set_config('synchronous_commit', 'off', true);
  -- The caller sorts the counters by meter and period.
  FOR i IN 1 .. coalesce(array_length(p_meters, 1), 0) LOOP
    INSERT INTO usage_counters AS u (tenant_id, env, meter, period, used)
    VALUES (p_tenant, p_env, p_meters[i], p_periods[i], greatest(0, p_amounts[i]))
    ON CONFLICT (tenant_id, env, meter, period) DO UPDATE SET used = greatest(0, u.used + p_amounts[i]::numeric);
  END LOOP;
  PERFORM set_config('app.tenant_id', outer_tenant, true), set_config('app.env', outer_env, true);
END
$$;
REVOKE ALL ON FUNCTION gate_count(text, text, text[], text[], float8[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gate_count(text, text, text[], text[], float8[]) TO ${app_role};
