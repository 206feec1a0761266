-- GET /v1/atoms/{id} in one statement (issue 16): the tenant/env binding, the env's nexus slot and
-- the atom, where it took BEGIN, bind, the slot, the atom and COMMIT. Like api_key_lookup (V27) the
-- function binds the RLS context for its own queries (set_config(..., true), the same settings
-- ScopedTransactions.bind sets) and clears it before it returns; called outside a transaction, the
-- statement's own transaction takes the binding with it in any case, and the application only
-- calls it there. SECURITY INVOKER: the application role's grants and RLS policies apply to every
-- row it reads, on top of the explicit tenant/env predicates. One row always: the slot's settings
-- (null when never set) and the atom's columns (null when there is no such visible atom).
CREATE FUNCTION atom_get(p_tenant text, p_env text, p_atom_id text)
RETURNS TABLE (nexus_settings jsonb, atom_id text, asset_id text, derivation_id text, op_type text,
               op_version text, params_hash text, ordinal bigint, span jsonb, text text,
               text_sha256 text, pii_flags jsonb, train_ok boolean, created_at timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $$
#variable_conflict use_column
DECLARE
  v_atom_id text;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant, true), set_config('app.env', p_env, true),
          set_config('app.user_id', '', true), set_config('app.operator', '', true),
          set_config('app.operator_tenant', '', true), set_config('app.auth_lookup', '', true);
  -- The id first (a legacy id's alias, else the id itself), as a value: compared with a subquery's
  -- result, the atom is no index lookup under RLS and the planner walks the env's atoms instead
  -- (hundreds of milliseconds at 170,000 atoms).
  v_atom_id := coalesce((SELECT l.atom_id FROM atom_id_aliases l
                          WHERE l.tenant_id = p_tenant AND l.env = p_env
                            AND l.legacy_atom_id = p_atom_id), p_atom_id);
  RETURN QUERY
  SELECT (SELECT c.settings FROM env_config c
           WHERE c.tenant_id = p_tenant AND c.env = p_env AND c.slot = 'nexus'
           ORDER BY c.version DESC LIMIT 1),
         x.atom_id, x.asset_id, x.derivation_id, x.op_type, x.op_version, x.params_hash, x.ordinal,
         x.span, x.text, x.text_sha256, x.pii_flags, x.train_ok, x.created_at
    FROM (SELECT 1) one
    LEFT JOIN LATERAL (
      SELECT a.atom_id, a.asset_id, d.derivation_id, a.op_type, a.op_version, a.params_hash,
             a.ordinal, a.span, a.text, a.text_sha256, a.pii_flags, a.train_ok, a.created_at
        FROM atoms a
        JOIN raw_assets r ON r.tenant_id = a.tenant_id AND r.env = a.env AND r.asset_id = a.asset_id
                         AND r.status = 'active'
        JOIN derivations d ON d.tenant_id = a.tenant_id AND d.env = a.env AND d.asset_id = a.asset_id
                          AND d.op_type = a.op_type AND d.op_version = a.op_version
                          AND d.params_hash = a.params_hash
       WHERE a.tenant_id = p_tenant AND a.env = p_env AND a.atom_id = v_atom_id) x ON true;
  PERFORM set_config('app.tenant_id', '', true), set_config('app.env', '', true);
END
$$;
REVOKE ALL ON FUNCTION atom_get(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION atom_get(text, text, text) TO ${app_role};
