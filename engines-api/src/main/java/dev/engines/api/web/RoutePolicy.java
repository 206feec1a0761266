package dev.engines.api.web;

import dev.engines.core.scope.Role;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares who may call a route and what it is, on every controller method. A route without one is
 * refused at runtime and fails the route inventory test.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface RoutePolicy {

  /** Whose route it is. */
  Audience audience();

  /** The least role a tenant-scoped caller needs; ignored for other audiences. */
  Role role() default Role.VIEWER;

  /** The engine surface, e.g. {@code tenant}, {@code nexus}; used by the ledger and metrics. */
  String surface();

  /** The action within the surface, e.g. {@code user.create}. */
  String action();

  /** Whether the route reads or writes. */
  Kind kind();

  /**
   * The route's action name for the gates, {@code <engine>:<verb>} (e.g. {@code nexus:derive}),
   * declared by every {@link Audience#TENANT} route and by no other: the kill switch disables
   * routes by it before their handler runs, and strategy locks permit gated actions by it. Engines
   * declare the names of their gated actions as constants beside their code.
   */
  String gate() default "";

  /**
   * Whether the route is heavy work (an upload, a derivation, a search, an embedding): it takes
   * from the env's {@code heavy} rate limit instead of its {@code read} or {@code write} one.
   */
  boolean heavy() default false;

  /**
   * Whether the route creates records: a {@code POST} whose retry would create them again. It
   * accepts {@code Idempotency-Key} (docs/api.md, "Retries"): a retry with the key replays the
   * first response instead of running again. Only {@link Audience#TENANT} routes declare it (the
   * route inventory test holds the list).
   */
  boolean creates() default false;

  /** Who a route is for. */
  enum Audience {
    /** Needs X-Tenant-Id and X-Env, a member credential and at least {@link #role()}. */
    TENANT,
    /** Needs the operator credential; never sees tenant data. */
    OPERATOR,
    /** No credential (health, docs). */
    PUBLIC
  }

  /** Read or write, as recorded in the ledger. */
  enum Kind {
    READ,
    WRITE
  }
}
