-- The API key lookup of every authenticated request, in one statement. The function turns the
-- credential-lookup RLS binding (app.auth_lookup) on for its own query and off again before it
-- returns; if the query fails, the transaction (or savepoint) that failed takes the setting with it,
-- as set_config(..., true) lives only as long as its transaction. So the binding never outlives the
-- call, and the lookup needs no explicit transaction: one round trip instead of BEGIN, bind, select,
-- COMMIT. It runs with the caller's rights (SECURITY INVOKER): the same RLS policies and grants as
-- any other read of the application role apply, and it reads one key by id.
CREATE FUNCTION api_key_lookup(p_key_id text)
RETURNS TABLE (tenant_id text, kind text, user_id text, role text, envs text[], act_on_behalf boolean,
               secret_hash bytea, previous_secret_hash bytea, previous_valid_until timestamptz,
               expires_at timestamptz, revoked_at timestamptz, last_used_at timestamptz,
               user_role text, user_status text, tenant_status text)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $$
BEGIN
  PERFORM set_config('app.auth_lookup', 'on', true);
  RETURN QUERY
  SELECT k.tenant_id, k.kind, k.user_id, k.role, k.envs, k.act_on_behalf, k.secret_hash,
         k.previous_secret_hash, k.previous_valid_until, k.expires_at, k.revoked_at, k.last_used_at,
         u.role, u.status, t.status
    FROM api_keys k
    JOIN tenants t ON t.tenant_id = k.tenant_id
    LEFT JOIN users u ON u.tenant_id = k.tenant_id AND u.user_id = k.user_id
   WHERE k.key_id = p_key_id;
  PERFORM set_config('app.auth_lookup', '', true);
END
$$;
REVOKE ALL ON FUNCTION api_key_lookup(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api_key_lookup(text) TO ${app_role};
