-- Sessions count towards the env's sessions quota: the gates engine's usage_track_rows (V65) keeps
-- the total on every insert and delete (creation, deletion, the sweep, erasure, purge).
CREATE TRIGGER sessions_usage_insert AFTER INSERT ON sessions REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION usage_track_rows('sessions');
CREATE TRIGGER sessions_usage_delete AFTER DELETE ON sessions REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION usage_track_rows('sessions');

DO $$
DECLARE
  t text;
  e text;
BEGIN
  PERFORM set_config('app.operator', 'on', true);
  FOR t IN SELECT tenant_id FROM tenants LOOP
    FOREACH e IN ARRAY ARRAY['dev', 'staging', 'prod'] LOOP
      PERFORM set_config('app.tenant_id', t, true), set_config('app.env', e, true);
      PERFORM usage_add(t, e, 'sessions', count(*)) FROM sessions WHERE tenant_id = t AND env = e;
    END LOOP;
  END LOOP;
  PERFORM set_config('app.operator', '', true), set_config('app.tenant_id', '', true), set_config('app.env', '', true);
END
$$;
