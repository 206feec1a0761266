-- The session engine: sessions of a user with their turns, memory pointers, blackboard entries and
-- received message bundles, plus tombstones of removed sessions. Every table is env-scoped and
-- user-owned: tenant_id, env and user_id lead every key, foreign key and index, and RLS (ENABLE +
-- FORCE) binds rows to the transaction's app.tenant_id / app.env; the user is named in every
-- statement (sessions are user-scoped, and admins list other users' sessions).
--
-- A session belongs to a member: its rows go with the member (foreign key to users, ON DELETE
-- CASCADE), so removing or erasing a member removes their sessions in every env at once.

CREATE TABLE sessions (
    tenant_id     text        NOT NULL,
    env           text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    user_id       text        NOT NULL,
    session_id    text        NOT NULL CHECK (session_id ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$'),
    -- creation order, for the newest-first listing
    seq           bigint      GENERATED ALWAYS AS IDENTITY,
    -- redacted by the PII pipeline before it is written
    title         text        CHECK (length(title) <= 1000),
    metadata      jsonb       NOT NULL CHECK (jsonb_typeof(metadata) = 'object'),
    pii_flags     jsonb       NOT NULL CHECK (jsonb_typeof(pii_flags) = 'object'),
    train_ok      boolean     NOT NULL,
    ttl_seconds   integer     NOT NULL CHECK (ttl_seconds >= 1),
    -- the last write plus ttl_seconds; past it the session answers 410 until the sweep removes it
    expires_at    timestamptz NOT NULL,
    turn_count    integer     NOT NULL CHECK (turn_count >= 0),
    last_turn_id  text,
    -- every change of the row bumps it: the session's ETag
    version       integer     NOT NULL CHECK (version >= 1),
    -- the last blackboard version handed out: entry versions never repeat within a session
    blackboard_seq bigint     NOT NULL CHECK (blackboard_seq >= 0),
    blackboard_keys integer   NOT NULL CHECK (blackboard_keys >= 0),
    created_at    timestamptz NOT NULL,
    created_by    text        NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, env, user_id, session_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, user_id) ON DELETE CASCADE
);
CREATE INDEX sessions_list_idx ON sessions (tenant_id, env, user_id, seq);
-- The sweep's question: which sessions of a tenant/env have expired.
CREATE INDEX sessions_expiry_idx ON sessions (tenant_id, env, expires_at);

-- Turns: the redacted content of each message, in seq order (1, 2, ...). turn_id is keyed and
-- content-addressed (TurnIds): it names the same turn every time and reveals nothing of the text.
CREATE TABLE session_turns (
    tenant_id      text        NOT NULL,
    env            text        NOT NULL,
    user_id        text        NOT NULL,
    session_id     text        NOT NULL,
    seq            integer     NOT NULL CHECK (seq >= 1),
    turn_id        text        NOT NULL CHECK (turn_id ~ '^tu_[0-9a-f]{32}$'),
    role           text        NOT NULL CHECK (role IN ('user', 'assistant', 'system', 'tool')),
    content        text        NOT NULL,
    content_sha256 text        NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    metadata       jsonb       NOT NULL CHECK (jsonb_typeof(metadata) = 'object'),
    pii_flags      jsonb       NOT NULL CHECK (jsonb_typeof(pii_flags) = 'object'),
    train_ok       boolean     NOT NULL,
    created_at     timestamptz NOT NULL,
    created_by     text        NOT NULL,
    PRIMARY KEY (tenant_id, env, user_id, session_id, seq),
    FOREIGN KEY (tenant_id, env, user_id, session_id) REFERENCES sessions (tenant_id, env, user_id, session_id)
        ON DELETE CASCADE
);
-- Turn pointers resolve by id within the user's sessions.
CREATE UNIQUE INDEX session_turns_id_uq ON session_turns (tenant_id, env, user_id, turn_id);

-- Memory: pointers only (typed refs, ids), never content; preferences are a small flat map whose
-- strings were redacted.
CREATE TABLE session_memory (
    tenant_id    text        NOT NULL,
    env          text        NOT NULL,
    user_id      text        NOT NULL,
    session_id   text        NOT NULL,
    pinned_refs  jsonb       NOT NULL CHECK (jsonb_typeof(pinned_refs) = 'array'),
    summary_refs jsonb       NOT NULL CHECK (jsonb_typeof(summary_refs) = 'array'),
    preferences  jsonb       NOT NULL CHECK (jsonb_typeof(preferences) = 'object'),
    pii_flags    jsonb       NOT NULL CHECK (jsonb_typeof(pii_flags) = 'object'),
    version      integer     NOT NULL CHECK (version >= 1),
    updated_at   timestamptz NOT NULL,
    updated_by   text        NOT NULL,
    PRIMARY KEY (tenant_id, env, user_id, session_id),
    FOREIGN KEY (tenant_id, env, user_id, session_id) REFERENCES sessions (tenant_id, env, user_id, session_id)
        ON DELETE CASCADE
);

-- Blackboards: shared JSON state between the threads of one session, one row per key; the strings
-- of a value were redacted. version is the entry's ETag.
CREATE TABLE session_blackboard (
    tenant_id   text        NOT NULL,
    env         text        NOT NULL,
    user_id     text        NOT NULL,
    session_id  text        NOT NULL,
    key         text        NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9_.:-]{0,127}$'),
    value       jsonb       NOT NULL,
    size_bytes  integer     NOT NULL CHECK (size_bytes BETWEEN 1 AND 65536),
    pii_flags   jsonb       NOT NULL CHECK (jsonb_typeof(pii_flags) = 'object'),
    train_ok    boolean     NOT NULL,
    version     bigint      NOT NULL CHECK (version >= 1),
    updated_at  timestamptz NOT NULL,
    updated_by  text        NOT NULL,
    PRIMARY KEY (tenant_id, env, user_id, session_id, key),
    FOREIGN KEY (tenant_id, env, user_id, session_id) REFERENCES sessions (tenant_id, env, user_id, session_id)
        ON DELETE CASCADE
);

-- Message bundles: pointers forwarded from one session to another of the same tenant/env/user. A
-- bundle lives in the receiving session's inbox and goes with it; the sending session is a name.
CREATE TABLE session_bundles (
    tenant_id       text        NOT NULL,
    env             text        NOT NULL,
    user_id         text        NOT NULL,
    bundle_id       text        NOT NULL CHECK (bundle_id ~ '^bu_[0-9a-f]{32}$'),
    -- the inbox order
    seq             bigint      GENERATED ALWAYS AS IDENTITY,
    from_session_id text        NOT NULL,
    to_session_id   text        NOT NULL,
    refs            jsonb       NOT NULL CHECK (jsonb_typeof(refs) = 'array'),
    created_at      timestamptz NOT NULL,
    created_by      text        NOT NULL,
    PRIMARY KEY (tenant_id, env, user_id, bundle_id),
    FOREIGN KEY (tenant_id, env, user_id, to_session_id) REFERENCES sessions (tenant_id, env, user_id, session_id)
        ON DELETE CASCADE
);
CREATE INDEX session_bundles_inbox_idx ON session_bundles (tenant_id, env, user_id, to_session_id, seq);

-- Tombstones of removed sessions (deleted by their user, or expired: swept or aged out by
-- retention) and of their turns, so a pointer to a turn that is gone answers what became of it.
-- Kept for engines.session.tombstone-retention, then swept; ids only.
CREATE TABLE session_tombstones (
    tenant_id  text        NOT NULL,
    env        text        NOT NULL CHECK (env IN ('dev', 'staging', 'prod')),
    user_id    text        NOT NULL,
    session_id text        NOT NULL,
    state      text        NOT NULL CHECK (state IN ('deleted', 'expired')),
    removed_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, env, user_id, session_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, user_id) ON DELETE CASCADE
);
CREATE INDEX session_tombstones_age_idx ON session_tombstones (tenant_id, env, removed_at);

CREATE TABLE session_turn_tombstones (
    tenant_id  text NOT NULL,
    env        text NOT NULL,
    user_id    text NOT NULL,
    turn_id    text NOT NULL,
    session_id text NOT NULL,
    PRIMARY KEY (tenant_id, env, user_id, turn_id),
    FOREIGN KEY (tenant_id, env, user_id, session_id) REFERENCES session_tombstones (tenant_id, env, user_id, session_id)
        ON DELETE CASCADE
);
CREATE INDEX session_turn_tombstones_session_idx ON session_turn_tombstones (tenant_id, env, user_id, session_id);

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
ALTER TABLE session_turns ENABLE ROW LEVEL SECURITY;
ALTER TABLE session_turns FORCE ROW LEVEL SECURITY;
ALTER TABLE session_memory ENABLE ROW LEVEL SECURITY;
ALTER TABLE session_memory FORCE ROW LEVEL SECURITY;
ALTER TABLE session_blackboard ENABLE ROW LEVEL SECURITY;
ALTER TABLE session_blackboard FORCE ROW LEVEL SECURITY;
ALTER TABLE session_bundles ENABLE ROW LEVEL SECURITY;
ALTER TABLE session_bundles FORCE ROW LEVEL SECURITY;
ALTER TABLE session_tombstones ENABLE ROW LEVEL SECURITY;
ALTER TABLE session_tombstones FORCE ROW LEVEL SECURITY;
ALTER TABLE session_turn_tombstones ENABLE ROW LEVEL SECURITY;
ALTER TABLE session_turn_tombstones FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_env_isolation ON sessions
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
CREATE POLICY tenant_env_isolation ON session_turns
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
CREATE POLICY tenant_env_isolation ON session_memory
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
CREATE POLICY tenant_env_isolation ON session_blackboard
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
CREATE POLICY tenant_env_isolation ON session_bundles
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
CREATE POLICY tenant_env_isolation ON session_tombstones
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));
CREATE POLICY tenant_env_isolation ON session_turn_tombstones
    USING (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true))
    WITH CHECK (tenant_id = current_setting('app.tenant_id', true) AND env = current_setting('app.env', true));

GRANT SELECT, INSERT, UPDATE, DELETE ON sessions TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON session_turns TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON session_memory TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON session_blackboard TO ${app_role};
GRANT SELECT, INSERT, DELETE ON session_bundles TO ${app_role};
GRANT SELECT, INSERT, DELETE ON session_tombstones TO ${app_role};
GRANT SELECT, INSERT, DELETE ON session_turn_tombstones TO ${app_role};

-- The session config slot (TTL default and maximum, turn and blackboard limits) joins the other
-- slots in env_config; rows and their validation are as for the other slots.
ALTER TABLE env_config DROP CONSTRAINT env_config_slot_check;
ALTER TABLE env_config ADD CONSTRAINT env_config_slot_check CHECK (slot IN ('storage', 'nexus', 'gates', 'session'));
