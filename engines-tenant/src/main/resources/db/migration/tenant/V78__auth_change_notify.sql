-- Replicas keep verified API-key rows in memory (docs/adr/0016-api-key-cache.md). Every change of a
-- row that api_key_lookup (V27) reads — a key, its user, its tenant — notifies channel
-- engines_auth with the tenant's id when its transaction commits, so each replica drops that
-- tenant's rows; a TRUNCATE notifies an empty payload (drop everything). The key's last use is left
-- out: it is advisory, written at most once a minute, and would only empty the cache for nothing.
-- NOTIFY is transactional: a change that rolls back notifies nobody.
CREATE FUNCTION auth_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER
AS $$
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    PERFORM pg_notify('engines_auth', '');
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('engines_auth', OLD.tenant_id);
  ELSE
    PERFORM pg_notify('engines_auth', NEW.tenant_id);
    IF NEW.tenant_id IS DISTINCT FROM OLD.tenant_id THEN
      PERFORM pg_notify('engines_auth', OLD.tenant_id);
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER api_keys_auth_changed AFTER UPDATE ON api_keys FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'last_used_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_used_at'))
  EXECUTE FUNCTION auth_changed();
CREATE TRIGGER api_keys_auth_deleted AFTER DELETE ON api_keys FOR EACH ROW
  EXECUTE FUNCTION auth_changed();
CREATE TRIGGER api_keys_auth_truncated AFTER TRUNCATE ON api_keys FOR EACH STATEMENT
  EXECUTE FUNCTION auth_changed();

CREATE TRIGGER users_auth_changed AFTER UPDATE OR DELETE ON users FOR EACH ROW
  EXECUTE FUNCTION auth_changed();
CREATE TRIGGER users_auth_truncated AFTER TRUNCATE ON users FOR EACH STATEMENT
  EXECUTE FUNCTION auth_changed();

CREATE TRIGGER tenants_auth_changed AFTER UPDATE OR DELETE ON tenants FOR EACH ROW
  EXECUTE FUNCTION auth_changed();
CREATE TRIGGER tenants_auth_truncated AFTER TRUNCATE ON tenants FOR EACH STATEMENT
  EXECUTE FUNCTION auth_changed();
