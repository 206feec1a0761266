package dev.engines.nexus;

/**
 * The action names of the Nexus routes ({@code <engine>:<verb>}): what the kill switch disables and
 * strategy locks permit. Raw assets are Nexus' records but their routes act on storage, hence the
 * {@code storage:} names. None is gated by a strategy lock.
 */
public final class NexusActions {

  public static final String ATOM_GET = "nexus:atom_get";
  public static final String ATOM_LIST = "nexus:atom_list";
  public static final String ATOMIZER_LIST = "nexus:atomizer_list";
  public static final String DERIVE = "nexus:derive";
  public static final String LINEAGE_ASSET = "nexus:lineage_asset";
  public static final String LINEAGE_ATOM = "nexus:lineage_atom";
  public static final String USAGE_RECORD = "nexus:usage_record";
  public static final String STORAGE_ASSET_DELETE = "storage:asset_delete";
  public static final String STORAGE_ASSET_GET = "storage:asset_get";
  public static final String STORAGE_ASSET_LIST = "storage:asset_list";
  public static final String STORAGE_PRESIGN = "storage:presign";
  public static final String STORAGE_READ_CONTENT = "storage:read_content";
  public static final String STORAGE_RECONCILE = "storage:reconcile";
  public static final String STORAGE_REGISTER = "storage:register";
  public static final String STORAGE_UPLOAD = "storage:upload";

  private NexusActions() {}
}
