-- Atom ids become keyed (docs/adr/0008-keyed-atom-ids.md): HMAC-SHA256 under a per tenant/env key
-- derived from a secret the database never holds, instead of a plain SHA-256 that a guess of the
-- text before PII redaction could be tested against. The key lives outside the database, so the
-- re-keying itself is the Java migration V29 (AtomIdRekeying in engines-api); this one prepares it.

-- How an atom's id was made: 'sha256' (the legacy content address) for every row that exists now,
-- 'hmac-v1' for every row written from here on. V29 re-keys the 'sha256' rows, and only those, so
-- running it again changes nothing.
ALTER TABLE atoms ADD COLUMN id_scheme text NOT NULL DEFAULT 'sha256' CHECK (id_scheme IN ('sha256', 'hmac-v1'));
ALTER TABLE atoms ALTER COLUMN id_scheme SET DEFAULT 'hmac-v1';

-- The legacy id of each re-keyed atom: ledger events and usage records written before V29 name
-- atoms by it (the ledger is append-only and was already published to its sinks), so a read by a
-- legacy id still finds the atom. An alias goes with its atom (retention purge, tenant purge).
CREATE TABLE atom_id_aliases (
    tenant_id      text NOT NULL,
    env            text NOT NULL,
    legacy_atom_id text NOT NULL CHECK (legacy_atom_id ~ '^at_[0-9a-f]{32}$'),
    atom_id        text NOT NULL,
    PRIMARY KEY (tenant_id, env, legacy_atom_id),
    FOREIGN KEY (tenant_id, env, atom_id) REFERENCES atoms (tenant_id, env, atom_id) ON DELETE CASCADE
);
CREATE INDEX atom_id_aliases_atom_idx ON atom_id_aliases (tenant_id, env, atom_id);

ALTER TABLE atom_id_aliases ENABLE ROW LEVEL SECURITY;
ALTER TABLE atom_id_aliases FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_env_isolation ON atom_id_aliases
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));

-- Written only by V29 (as the owner); the application reads it.
GRANT SELECT ON atom_id_aliases TO ${app_role};
