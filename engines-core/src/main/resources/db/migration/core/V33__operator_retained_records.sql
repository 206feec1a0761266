-- The operator reads a purged tenant's retained records: its audit chain, its ledger and its purge
-- fence, nothing else of it (docs/operations.md, "Tenant purge"). A narrow binding of its own,
-- app.operator_tenant, set only by ScopedTransactions.operatorRecords in read-only transactions
-- that also set app.operator; policies are permissive, so the tenant policies stay as they are.
CREATE POLICY operator_records ON dataset_events FOR SELECT
    USING (current_setting('app.operator', true) = 'on' AND tenant_id = current_setting('app.operator_tenant', true));
CREATE POLICY operator_records ON audit_entries FOR SELECT
    USING (current_setting('app.operator', true) = 'on' AND tenant_id = current_setting('app.operator_tenant', true));
CREATE POLICY operator_records ON audit_chain_heads FOR SELECT
    USING (current_setting('app.operator', true) = 'on' AND tenant_id = current_setting('app.operator_tenant', true));
CREATE POLICY operator_records ON tenant_purges FOR SELECT
    USING (current_setting('app.operator', true) = 'on' AND tenant_id = current_setting('app.operator_tenant', true));
