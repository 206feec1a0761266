package dev.engines.storage.gcs;

import com.google.cloud.BaseServiceException;
import dev.engines.core.error.EnginesException;
import dev.engines.storage.StorageProblems;
import java.io.IOException;

/** Maps GCS client failures onto the problems every {@code RawStore} answers with. */
final class GcsFailures {

  static final String BACKEND = "gcs";

  private GcsFailures() {}

  /**
   * Refusals (400, 401, 403, and 404 where the bucket is missing) need an operator; everything else
   * (code 0 for network errors, 408, 429, 5xx, all after the client's retries) is an outage.
   */
  static EnginesException map(BaseServiceException e) {
    int code = e.getCode();
    boolean refused = code == 400 || code == 401 || code == 403 || code == 404;
    return refused
        ? StorageProblems.misconfigured(BACKEND, e)
        : StorageProblems.unavailable(BACKEND, e);
  }

  /** Channel operations wrap the service exception in an {@link IOException}. */
  static EnginesException map(IOException e) {
    return e.getCause() instanceof BaseServiceException service
        ? map(service)
        : StorageProblems.unavailable(BACKEND, e);
  }

  /** Maps client failures and lets everything else (already a problem, or a bug) pass unchanged. */
  static RuntimeException mapAny(RuntimeException e) {
    return e instanceof BaseServiceException service ? map(service) : e;
  }
}
