package dev.engines.core.scope;

import java.util.Objects;

/**
 * The tenant and environment a piece of work belongs to. Every store, cache key, object key, log
 * line and event is derived from one of these; nothing ever guesses it.
 */
public record Scope(TenantId tenant, Env env) {

  public Scope {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(env, "env");
  }

  public static Scope of(String tenant, String env) {
    return new Scope(TenantId.of(tenant), Env.parse(env));
  }

  public String tenantId() {
    return tenant.value();
  }

  @Override
  public String toString() {
    return tenant.value() + "/" + env.wire();
  }
}
