-- Filters the console's events explorer and trace view use, like any client: the events of one actor
-- (GET /v1/events?actor_id=, newest or oldest first) and the audit entries one trace or request
-- appended (GET /v1/audit?trace_id=|request_id=).
CREATE INDEX dataset_events_actor_idx ON dataset_events (tenant_id, env, actor_id, occurred_at, event_id);
CREATE INDEX audit_entries_trace_idx ON audit_entries (tenant_id, trace_id);
CREATE INDEX audit_entries_request_idx ON audit_entries (tenant_id, request_id);
