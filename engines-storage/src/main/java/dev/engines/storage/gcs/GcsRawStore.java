package dev.engines.storage.gcs;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.ServiceAccountSigner;
import com.google.cloud.BaseServiceException;
import com.google.cloud.NoCredentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.StorageRetryStrategy;
import dev.engines.storage.BucketPrefix;
import dev.engines.storage.ObjectKey;
import dev.engines.storage.ObjectKeyPrefix;
import dev.engines.storage.PresignedUpload;
import dev.engines.storage.PutOptions;
import dev.engines.storage.RawStore;
import dev.engines.storage.StorageProblems;
import dev.engines.storage.StoredObject;
import dev.engines.storage.internal.ContentMeter;
import dev.engines.storage.internal.LazyListing;
import dev.engines.storage.internal.PresignArguments;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * {@link RawStore} on Google Cloud Storage (google-cloud-storage, JSON API over HTTP).
 *
 * <p>Uploads read one chunk ({@link GcsSettings#chunkSizeBytes()}) at a time. Content that fits in
 * one chunk is sent in a single request with its sha256 as metadata. Larger content goes through a
 * resumable upload ({@link WriteChannel}): GCS creates the object only when the channel is closed
 * with the last bytes, so the adapter checks the declared size and sha256 <em>before</em> closing
 * and, on any failure, abandons the channel without closing it. An abandoned session never becomes
 * an object; GCS discards it after a week (the client has no call to cancel it sooner). Metadata is
 * fixed when the session starts, so a large object carries its sha256 metadata only when the caller
 * declared it; {@link #put} always returns it, and {@link #verify} recomputes it.
 *
 * <p>Calls run under the configured timeouts and retry settings (exponential back-off with jitter).
 * Retries use the client's uniform strategy, which also retries uploads without preconditions: safe
 * here because a repeated upload writes the same bytes to the same name. Presigned URLs are V4
 * signed URLs and need credentials that can sign (a service account key, or workload identity with
 * {@code iam.serviceAccounts.signBlob}); other credentials answer 501 {@code presign_unsupported}.
 */
public final class GcsRawStore implements RawStore {

  static final String SHA256_METADATA = "sha256";
  private static final int LIST_PAGE_SIZE = 1000;
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private final GcsSettings settings;
  private final BucketPrefix keyPrefix;
  private final Storage storage;

  /** False for a view from {@link #at}: the store it came from owns the client. */
  private final boolean ownsClient;

  /** Builds a GCS client from {@code settings}. */
  public GcsRawStore(GcsSettings settings) {
    this(settings, options(settings).getService());
  }

  /**
   * Uses a client built elsewhere (tests use an in-process fake); its own timeouts and retry
   * settings apply, and those in {@code settings} are ignored.
   */
  public GcsRawStore(GcsSettings settings, Storage storage) {
    this(settings, storage, true);
  }

  private GcsRawStore(GcsSettings settings, Storage storage, boolean ownsClient) {
    this.settings = settings;
    this.keyPrefix = settings.keyPrefix();
    this.storage = storage;
    this.ownsClient = ownsClient;
  }

  /**
   * A store for another bucket and key prefix that shares this store's client: one client per
   * deployment however many locations tenants configure. Closing the view releases nothing; closing
   * this store ends the view too.
   */
  public GcsRawStore at(String bucket, BucketPrefix keyPrefix) {
    return new GcsRawStore(settings.at(bucket, keyPrefix), storage, false);
  }

  /** The client options that carry the settings' endpoint, credentials, timeouts and retries. */
  static StorageOptions options(GcsSettings settings) {
    HttpStorageOptions.Builder options =
        StorageOptions.http()
            .setRetrySettings(retrySettings(settings))
            .setStorageRetryStrategy(StorageRetryStrategy.getUniformStorageRetryStrategy())
            .setTransportOptions(
                HttpTransportOptions.newBuilder()
                    .setConnectTimeout(Math.toIntExact(settings.timeouts().connect().toMillis()))
                    .setReadTimeout(Math.toIntExact(settings.timeouts().read().toMillis()))
                    .build());
    settings.projectId().ifPresent(options::setProjectId);
    settings.endpoint().ifPresent(endpoint -> options.setHost(endpoint.toString()));
    if (settings.credentials() == GcsSettings.Credentials.NONE) {
      options.setCredentials(NoCredentials.getInstance());
    }
    return options.build();
  }

  static RetrySettings retrySettings(GcsSettings settings) {
    return RetrySettings.newBuilder()
        .setMaxAttempts(settings.maxAttempts())
        .setInitialRetryDelayDuration(Duration.ofMillis(100))
        .setRetryDelayMultiplier(2.0)
        .setMaxRetryDelayDuration(Duration.ofSeconds(5))
        .setInitialRpcTimeoutDuration(settings.timeouts().attempt())
        .setRpcTimeoutMultiplier(1.0)
        .setMaxRpcTimeoutDuration(settings.timeouts().attempt())
        .setTotalTimeoutDuration(settings.timeouts().total())
        .build();
  }

  @Override
  public StoredObject put(ObjectKey key, InputStream content, PutOptions options) {
    BlobId id = blobId(key);
    ContentMeter meter = new ContentMeter(options);
    byte[] buffer = new byte[meter.bufferSize(settings.chunkSizeBytes())];
    int filled = meter.fill(content, buffer);
    try {
      if (filled < buffer.length) {
        String sha256 = meter.finish();
        Blob blob =
            storage.create(
                blobInfo(id, options.contentType(), Optional.of(sha256)),
                buffer,
                0,
                filled,
                targetOptions());
        return new StoredObject(
            key,
            filled,
            Optional.of(sha256),
            options.contentType(),
            Optional.ofNullable(blob.getEtag()),
            updated(blob));
      }
      return putResumable(key, id, content, options, meter, buffer);
    } catch (BaseServiceException e) {
      throw GcsFailures.map(e);
    }
  }

  private StoredObject putResumable(
      ObjectKey key,
      BlobId id,
      InputStream content,
      PutOptions options,
      ContentMeter meter,
      byte[] buffer) {
    // Never closed on failure: closing would finalise the upload and publish partial content.
    WriteChannel writer =
        storage.writer(
            blobInfo(id, options.contentType(), options.expectedSha256()), writeOptions());
    writer.setChunkSize(buffer.length);
    try {
      int filled = buffer.length;
      do {
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, filled);
        while (chunk.hasRemaining()) {
          writer.write(chunk);
        }
        filled = filled < buffer.length ? 0 : meter.fill(content, buffer);
      } while (filled > 0);
      String sha256 = meter.finish();
      writer.close();
      return new StoredObject(
          key,
          meter.size(),
          Optional.of(sha256),
          options.contentType(),
          Optional.empty(),
          Instant.now());
    } catch (IOException e) {
      throw GcsFailures.map(e);
    }
  }

  @Override
  public Optional<StoredObject> head(ObjectKey key) {
    try {
      return Optional.ofNullable(storage.get(blobId(key))).map(blob -> stored(key, blob));
    } catch (BaseServiceException e) {
      throw GcsFailures.map(e);
    }
  }

  @Override
  public InputStream open(ObjectKey key) {
    try {
      Blob blob = storage.get(blobId(key));
      if (blob == null) {
        throw StorageProblems.notFound();
      }
      // Pinned to the generation just seen, so a concurrent overwrite cannot splice two versions.
      // GCS always reports a generation; the in-process test fake omits it for single-request
      // uploads.
      ReadChannel reader =
          blob.getGeneration() == null
              ? storage.reader(blob.getBlobId())
              : storage.reader(
                  blob.getBlobId(), Storage.BlobSourceOption.generationMatch(blob.getGeneration()));
      reader.setChunkSize(settings.chunkSizeBytes());
      return Channels.newInputStream(reader);
    } catch (BaseServiceException e) {
      throw GcsFailures.map(e);
    }
  }

  @Override
  public boolean delete(ObjectKey key) {
    try {
      return storage.delete(blobId(key));
    } catch (BaseServiceException e) {
      throw GcsFailures.map(e);
    }
  }

  @Override
  public Stream<ObjectKey> list(ObjectKeyPrefix prefix) {
    Iterable<Blob> blobs;
    try {
      blobs =
          storage
              .list(
                  settings.bucket(),
                  Storage.BlobListOption.prefix(keyPrefix.apply(prefix)),
                  Storage.BlobListOption.pageSize(LIST_PAGE_SIZE))
              .iterateAll();
    } catch (BaseServiceException e) {
      throw GcsFailures.map(e);
    }
    Iterator<ObjectKey> keys =
        StreamSupport.stream(blobs.spliterator(), false)
            .flatMap(
                blob -> keyPrefix.strip(blob.getName()).flatMap(prefix::resolveListed).stream())
            .iterator();
    return LazyListing.stream(keys, GcsFailures::mapAny, () -> {});
  }

  @Override
  public PresignedUpload presignUpload(ObjectKey key, String contentType, long size, Duration ttl) {
    PresignArguments.check(contentType, size, ttl);
    if (!(storage.getOptions().getCredentials() instanceof ServiceAccountSigner)) {
      throw StorageProblems.presignUnsupported(
          GcsFailures.BACKEND, "the configured credentials cannot sign URLs.");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", contentType);
    // Signed, so GCS rejects a body of any other length.
    headers.put("x-goog-content-length-range", size + "," + size);
    settings.kmsKeyName().ifPresent(kms -> headers.put("x-goog-encryption-kms-key-name", kms));
    List<Storage.SignUrlOption> signOptions =
        new ArrayList<>(
            List.of(
                Storage.SignUrlOption.httpMethod(HttpMethod.PUT),
                Storage.SignUrlOption.withV4Signature(),
                Storage.SignUrlOption.withExtHeaders(headers)));
    settings
        .endpoint()
        .ifPresent(
            endpoint -> signOptions.add(Storage.SignUrlOption.withHostName(endpoint.toString())));
    Instant expiresAt = Instant.now().plus(ttl);
    try {
      URL url =
          storage.signUrl(
              BlobInfo.newBuilder(blobId(key)).build(),
              ttl.toSeconds(),
              TimeUnit.SECONDS,
              signOptions.toArray(Storage.SignUrlOption[]::new));
      return new PresignedUpload("PUT", url.toURI(), headers, expiresAt);
    } catch (BaseServiceException e) {
      throw GcsFailures.map(e);
    } catch (ServiceAccountSigner.SigningException e) {
      throw StorageProblems.unavailable(GcsFailures.BACKEND, e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the client signed a URL that is not a valid URI", e);
    }
  }

  @Override
  public String backend() {
    return GcsFailures.BACKEND;
  }

  @Override
  public void close() {
    if (!ownsClient) {
      return;
    }
    try {
      storage.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the GCS client failed", e);
    }
  }

  private BlobId blobId(ObjectKey key) {
    return BlobId.of(settings.bucket(), keyPrefix.apply(key));
  }

  private BlobInfo blobInfo(BlobId id, String contentType, Optional<String> sha256) {
    BlobInfo.Builder info = BlobInfo.newBuilder(id).setContentType(contentType);
    sha256.ifPresent(value -> info.setMetadata(Map.of(SHA256_METADATA, value)));
    return info.build();
  }

  private Storage.BlobTargetOption[] targetOptions() {
    // Raw assets are mostly compressed already; gzip on the wire would only burn CPU.
    List<Storage.BlobTargetOption> options =
        new ArrayList<>(List.of(Storage.BlobTargetOption.disableGzipContent()));
    settings.kmsKeyName().ifPresent(kms -> options.add(Storage.BlobTargetOption.kmsKeyName(kms)));
    return options.toArray(Storage.BlobTargetOption[]::new);
  }

  private Storage.BlobWriteOption[] writeOptions() {
    List<Storage.BlobWriteOption> options =
        new ArrayList<>(List.of(Storage.BlobWriteOption.disableGzipContent()));
    settings.kmsKeyName().ifPresent(kms -> options.add(Storage.BlobWriteOption.kmsKeyName(kms)));
    return options.toArray(Storage.BlobWriteOption[]::new);
  }

  private static StoredObject stored(ObjectKey key, Blob blob) {
    Optional<String> sha256 =
        Optional.ofNullable(blob.getMetadata())
            .map(metadata -> metadata.get(SHA256_METADATA))
            .map(value -> value.toLowerCase(Locale.ROOT))
            .filter(value -> SHA256_HEX.matcher(value).matches());
    String contentType =
        blob.getContentType() == null ? PutOptions.DEFAULT_CONTENT_TYPE : blob.getContentType();
    long size = blob.getSize() == null ? 0 : blob.getSize();
    return new StoredObject(
        key, size, sha256, contentType, Optional.ofNullable(blob.getEtag()), updated(blob));
  }

  private static Instant updated(Blob blob) {
    OffsetDateTime updated =
        blob.getUpdateTimeOffsetDateTime() != null
            ? blob.getUpdateTimeOffsetDateTime()
            : blob.getCreateTimeOffsetDateTime();
    // GCS always reports both; only an incomplete fake would leave them out.
    return updated == null ? Instant.EPOCH : updated.toInstant();
  }
}
