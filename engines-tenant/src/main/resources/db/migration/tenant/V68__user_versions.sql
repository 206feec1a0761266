-- Members are versioned resources: the version is their ETag, and a change under If-Match with
-- another version answers 412 precondition_failed (docs/api.md, "Concurrency"). Every change of a
-- row (role, status) bumps it; rows that exist start at 1, as new ones do.
ALTER TABLE users ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);
