package dev.engines.storage.s3;

import dev.engines.core.error.EnginesException;
import dev.engines.storage.StorageProblems;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Maps S3 SDK failures onto the problems every {@code RawStore} answers with. */
final class S3Failures {

  static final String BACKEND = "s3";

  /** 400 answers that mean "try again" rather than "fix the request". */
  private static final Set<String> TRANSIENT_400_CODES =
      Set.of("RequestTimeout", "BadDigest", "XAmzContentSHA256Mismatch");

  private S3Failures() {}

  /** Whether {@code e} says the object (not the bucket) does not exist. */
  static boolean isMissingObject(SdkException e) {
    return e instanceof S3Exception s3
        && s3.statusCode() == 404
        && (s3.awsErrorDetails() == null
            || !"NoSuchBucket".equals(s3.awsErrorDetails().errorCode()));
  }

  /**
   * Network errors, timeouts, throttling and 5xx answers (all after the SDK's retries) are outages;
   * other service answers (access denied, no such bucket, wrong region, bad encryption key) need an
   * operator.
   */
  static EnginesException map(SdkException e) {
    if (e instanceof S3Exception s3) {
      int status = s3.statusCode();
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      boolean transientFailure =
          status >= 500
              || status == 408
              || status == 429
              || s3.isThrottlingException()
              || (status == 400 && TRANSIENT_400_CODES.contains(code));
      return transientFailure
          ? StorageProblems.unavailable(BACKEND, e)
          : StorageProblems.misconfigured(BACKEND, e);
    }
    return StorageProblems.unavailable(BACKEND, e);
  }

  /** Maps SDK failures and lets everything else (already a problem, or a bug) pass unchanged. */
  static RuntimeException mapAny(RuntimeException e) {
    return e instanceof SdkException sdk ? map(sdk) : e;
  }
}
