/**
 * Vector access on pgvector: per tenant/env vector spaces ({@link dev.engines.vector.VectorSpaces})
 * holding caller-supplied or built-in embeddings, and top-k search with metadata filters that
 * returns raw distances, nearest first ({@link dev.engines.vector.Vectors}). One table for every
 * tenant, bound by RLS; searches keep their recall under tenant and metadata filters through
 * pgvector's iterative index scans and exact search where the candidates are few.
 */
package dev.engines.vector;
