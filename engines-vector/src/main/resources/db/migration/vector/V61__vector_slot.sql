-- The vector config slot (dimension cap, metrics, models, whether vector:ingest is gated) joins the
-- others in env_config; rows and their validation are as for the other slots.
ALTER TABLE env_config DROP CONSTRAINT env_config_slot_check;
ALTER TABLE env_config ADD CONSTRAINT env_config_slot_check CHECK (slot IN ('storage', 'nexus', 'gates', 'session', 'vector'));
