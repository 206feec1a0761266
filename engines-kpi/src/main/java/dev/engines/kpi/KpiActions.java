package dev.engines.kpi;

/**
 * The action names of the KPI and Temperature routes ({@code <engine>:<verb>}): what the kill
 * switch disables and strategy locks permit. The four threshold changes are gated: they pass the
 * strategy lock gate for the surface they change.
 */
public final class KpiActions {

  public static final String UPSERT = "kpi:upsert";
  public static final String GET = "kpi:get";
  public static final String LIST = "kpi:list";
  public static final String DELETE = "kpi:delete";

  /** Gated, for the KPI's surface: writing a corridor, or deleting a KPI that has one. */
  public static final String CORRIDOR_UPSERT = "kpi:corridor_upsert";

  /** Gated, for the surface. */
  public static final String UPSERT_FLOORS = "temperature:upsert_floors";

  /** Gated, for the surface. */
  public static final String UPSERT_CEILINGS = "temperature:upsert_ceilings";

  /** Gated, for the surface. */
  public static final String UPSERT_WEIGHTS = "temperature:upsert_weights";

  public static final String CONFIG_GET = "temperature:config_get";
  public static final String SNAPSHOT = "temperature:snapshot";
  public static final String SNAPSHOT_STORE = "temperature:snapshot_store";
  public static final String SNAPSHOT_LIST = "temperature:snapshot_list";
  public static final String SNAPSHOT_GET = "temperature:snapshot_get";

  public static final String OBSERVE = "metrics:observe";

  private KpiActions() {}
}
