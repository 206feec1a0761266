-- Ledger filters of GET /v1/events: by trace id, by agent id, and by a ref an event names as input
-- or output. The ref filter is a containment on one expression over both ref arrays, which one GIN
-- index (jsonb_path_ops: containment only, the smallest) serves; RLS and the tenant/env predicate
-- narrow its matches.
CREATE INDEX dataset_events_trace_idx ON dataset_events (tenant_id, env, trace_id);
CREATE INDEX dataset_events_agent_idx ON dataset_events (tenant_id, env, agent_id) WHERE agent_id IS NOT NULL;
CREATE INDEX dataset_events_refs_idx ON dataset_events USING gin ((input_refs || output_refs) jsonb_path_ops);
