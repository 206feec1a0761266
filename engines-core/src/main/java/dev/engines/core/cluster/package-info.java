/** Scheduled jobs that run once per cluster: {@link dev.engines.core.cluster.ClusterJobs}. */
package dev.engines.core.cluster;
