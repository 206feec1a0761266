package dev.engines.nexus;

import dev.engines.core.error.EnginesException;

/** Problem codes of the Nexus services besides the shared and storage ones. */
public final class NexusProblems {

  /** 409: register was called on an asset that is not waiting for registration. */
  public static final String ASSET_NOT_PENDING = "asset_not_pending";

  /** 409: register found no uploaded object under the presigned key. */
  public static final String OBJECT_MISSING = "object_missing";

  /** 413: the asset is larger than an atomizer may read. */
  public static final String ASSET_TOO_LARGE = "asset_too_large";

  /** 422: a derivation would produce more atoms, or a longer atom, than configured. */
  public static final String DERIVATION_TOO_LARGE = "derivation_too_large";

  /**
   * 415: the upload was sent as a form, whose body the servlet container may already have parsed.
   */
  public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";

  private NexusProblems() {}

  static EnginesException assetNotFound() {
    return EnginesException.notFound("Asset");
  }

  static EnginesException atomNotFound() {
    return EnginesException.notFound("Atom");
  }
}
