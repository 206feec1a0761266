-- Vectors count towards the env's vectors quota: the gates engine's usage_track_rows (V65) keeps
-- the total on every insert and delete (upserts, deletions, a space's cascade, asset removals, purge).
CREATE TRIGGER vectors_usage_insert AFTER INSERT ON vectors REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION usage_track_rows('vectors');
CREATE TRIGGER vectors_usage_delete AFTER DELETE ON vectors REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION usage_track_rows('vectors');

DO $$
DECLARE
  t text;
  e text;
BEGIN
  PERFORM set_config('app.operator', 'on', true);
  FOR t IN SELECT tenant_id FROM tenants LOOP
    FOREACH e IN ARRAY ARRAY['dev', 'staging', 'prod'] LOOP
      PERFORM set_config('app.tenant_id', t, true), set_config('app.env', e, true);
      PERFORM usage_add(t, e, 'vectors', count(*)) FROM vectors WHERE tenant_id = t AND env = e;
    END LOOP;
  END LOOP;
  PERFORM set_config('app.operator', '', true), set_config('app.tenant_id', '', true), set_config('app.env', '', true);
END
$$;
