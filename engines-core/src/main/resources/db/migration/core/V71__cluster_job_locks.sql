-- Once-per-cluster locks of scheduled jobs (dev.engines.core.cluster.ClusterJobs, ShedLock's JDBC
-- provider; docs/adr/0015-maintained-libraries.md): one row per job name, e.g. 'gdpr.retention'.
-- Not tenant data: a job's tick covers every tenant, so the row names the job, never a tenant, and
-- has no tenant_id and no RLS. Columns as ShedLock reads and writes them; times are UTC from the
-- database's clock (usingDbTime), so instances with skewed clocks agree.
CREATE TABLE cluster_job_locks (
    name       varchar(64)  NOT NULL PRIMARY KEY,
    -- until when the lock holds: the tick's end, but not before locked_at + lock-at-least-for
    lock_until timestamp    NOT NULL,
    locked_at  timestamp    NOT NULL,
    -- the instance's host name, for operators
    locked_by  varchar(255) NOT NULL
);
GRANT SELECT, INSERT, UPDATE ON cluster_job_locks TO ${app_role};
