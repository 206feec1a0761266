package dev.engines.vector;

import java.time.Instant;

/**
 * A vector space of one tenant/env.
 *
 * @param name unique in the tenant/env, {@code ^[a-z][a-z0-9_-]{0,63}$}
 * @param spaceId {@code vs_…}, what the ledger names it by (a name can be reused after a delete)
 * @param metric {@code cosine}, {@code l2} or {@code inner_product}
 * @param model {@code caller} or a built-in model id
 * @param vectorCount how many vectors it holds
 * @param search {@code hnsw} when an HNSW index serves large searches of its dimension and metric,
 *     {@code exact} when every search computes every candidate's distance
 */
public record VectorSpace(
    String name,
    String spaceId,
    int dimension,
    String metric,
    String model,
    long vectorCount,
    String search,
    Instant createdAt,
    String createdBy) {}
