package dev.engines.gates;

/**
 * Where one rate limit of a request stands after it was admitted or refused, for the IETF {@code
 * RateLimit-Policy} and {@code RateLimit} headers.
 *
 * @param name the limit's name ({@code env}, {@code api_key}, {@code write}, …)
 * @param limit requests per minute (the bucket's size)
 * @param remaining whole requests the bucket would admit now
 * @param resetSeconds seconds until the bucket is full again
 */
public record RateLimitState(String name, long limit, long remaining, long resetSeconds) {}
