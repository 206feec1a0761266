package dev.engines.core.audit;

/**
 * The result of recomputing a tenant's chain.
 *
 * @param valid true when every entry's hash recomputes, every entry links to its predecessor, the
 *     sequence has no gap and the chain ends where the chain head says it does
 * @param checked the number of entries read
 * @param headSeq the sequence number the chain head records (0 for an empty chain)
 * @param firstBadSeq the sequence number where verification first failed, or null
 * @param problem null when valid; else {@code hash_mismatch} (a modified or forged row), {@code
 *     link_mismatch} (a row inserted or removed before this one), {@code seq_gap} (a row deleted),
 *     {@code head_mismatch} (rows deleted at or appended after the end)
 */
public record AuditVerification(
    boolean valid, long checked, long headSeq, Long firstBadSeq, String problem) {}
