package dev.engines.storage.s3;

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
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PutObjectPresignRequest;

/**
 * {@link RawStore} on Amazon S3 or an S3-compatible store (AWS SDK v2, Apache HTTP client).
 *
 * <p>Uploads read one part ({@link S3Settings#partSizeBytes()}) at a time. Content that fits in one
 * part goes up as a single PUT with its sha256 as metadata and as an S3-verified checksum. Larger
 * content becomes a multipart upload that is completed only after the last part arrived and the
 * declared size and sha256 matched, and is aborted on any failure, so the key never shows partial
 * content. S3 fixes metadata when a multipart upload starts, so a large object carries its sha256
 * metadata only when the caller declared it; {@link #put} always returns it, and {@link #verify}
 * recomputes it. An abort that itself fails leaves invisible parts behind: configure the bucket's
 * {@code AbortIncompleteMultipartUpload} lifecycle rule.
 *
 * <p>Every call runs under the configured timeouts and retry strategy (standard mode, exponential
 * back-off with jitter). Presigned URLs are signed with the same credentials; URLs signed with
 * temporary credentials stop working when those expire, whatever their ttl.
 */
public final class S3RawStore implements RawStore {

  private static final int MAX_PARTS = 10_000;
  private static final int LIST_PAGE_SIZE = 1000;
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private final S3Settings settings;
  private final BucketPrefix keyPrefix;
  private final S3Requests requests;
  private final AwsCredentialsProvider credentials;
  private final S3Client s3;
  private final S3Presigner presigner;

  /** False for a view from {@link #at}: the store it came from owns the clients. */
  private final boolean ownsClients;

  /** Builds the S3 client and presigner from {@code settings}. */
  public S3RawStore(S3Settings settings) {
    this.settings = settings;
    this.keyPrefix = settings.keyPrefix();
    this.requests = new S3Requests(settings);
    this.ownsClients = true;
    this.credentials =
        switch (settings.credentials().source()) {
          case STATIC ->
              StaticCredentialsProvider.create(
                  AwsBasicCredentials.create(
                      settings.credentials().accessKeyId(),
                      settings.credentials().secretAccessKey()));
          case DEFAULT_CHAIN -> DefaultCredentialsProvider.builder().build();
        };
    Region region = Region.of(settings.region());
    S3ClientBuilder client =
        S3Client.builder()
            .region(region)
            .credentialsProvider(credentials)
            .forcePathStyle(settings.pathStyle())
            .httpClientBuilder(
                Apache5HttpClient.builder()
                    .connectionTimeout(settings.timeouts().connect())
                    .socketTimeout(settings.timeouts().read()))
            .overrideConfiguration(
                ClientOverrideConfiguration.builder()
                    .apiCallAttemptTimeout(settings.timeouts().attempt())
                    .apiCallTimeout(settings.timeouts().total())
                    .retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .maxAttempts(settings.maxAttempts())
                            .backoffStrategy(
                                BackoffStrategy.exponentialDelay(
                                    Duration.ofMillis(100), Duration.ofSeconds(5)))
                            .throttlingBackoffStrategy(
                                BackoffStrategy.exponentialDelay(
                                    Duration.ofMillis(500), Duration.ofSeconds(20)))
                            .build())
                    .build());
    S3Presigner.Builder presign =
        S3Presigner.builder()
            .region(region)
            .credentialsProvider(credentials)
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
    settings
        .endpoint()
        .ifPresent(
            endpoint -> {
              client.endpointOverride(endpoint);
              presign.endpointOverride(endpoint);
            });
    this.s3 = client.build();
    this.presigner = presign.build();
  }

  private S3RawStore(S3Settings settings, S3RawStore clients) {
    this.settings = settings;
    this.keyPrefix = settings.keyPrefix();
    this.requests = new S3Requests(settings);
    this.credentials = clients.credentials;
    this.s3 = clients.s3;
    this.presigner = clients.presigner;
    this.ownsClients = false;
  }

  /**
   * A store for another bucket and key prefix that shares this store's client, presigner and
   * connection pool: one client per deployment however many locations tenants configure. Closing
   * the view releases nothing; closing this store ends the view too.
   */
  public S3RawStore at(String bucket, BucketPrefix keyPrefix) {
    return new S3RawStore(settings.at(bucket, keyPrefix), this);
  }

  @Override
  public StoredObject put(ObjectKey key, InputStream content, PutOptions options) {
    String name = keyPrefix.apply(key);
    ContentMeter meter = new ContentMeter(options);
    byte[] buffer = new byte[meter.bufferSize(settings.partSizeBytes())];
    int filled = meter.fill(content, buffer);
    if (filled < buffer.length) {
      String sha256 = meter.finish();
      try {
        PutObjectResponse response =
            s3.putObject(
                requests.putObject(name, options.contentType(), filled, sha256),
                body(buffer, filled, options.contentType()));
        return new StoredObject(
            key,
            filled,
            Optional.of(sha256),
            options.contentType(),
            Optional.ofNullable(response.eTag()),
            Instant.now());
      } catch (SdkException e) {
        throw S3Failures.map(e);
      }
    }
    return putMultipart(key, name, content, options, meter, buffer);
  }

  private StoredObject putMultipart(
      ObjectKey key,
      String name,
      InputStream content,
      PutOptions options,
      ContentMeter meter,
      byte[] buffer) {
    String uploadId;
    try {
      uploadId =
          s3.createMultipartUpload(
                  requests.createMultipartUpload(
                      name, options.contentType(), options.expectedSha256()))
              .uploadId();
    } catch (SdkException e) {
      throw S3Failures.map(e);
    }
    try {
      List<CompletedPart> parts = new ArrayList<>();
      int filled = buffer.length;
      do {
        int partNumber = parts.size() + 1;
        if (partNumber > MAX_PARTS) {
          throw StorageProblems.payloadTooLarge((long) MAX_PARTS * buffer.length);
        }
        UploadPartResponse part =
            s3.uploadPart(
                UploadPartRequest.builder()
                    .bucket(settings.bucket())
                    .key(name)
                    .uploadId(uploadId)
                    .partNumber(partNumber)
                    .contentLength((long) filled)
                    .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                    .build(),
                body(buffer, filled, options.contentType()));
        parts.add(
            CompletedPart.builder()
                .partNumber(partNumber)
                .eTag(part.eTag())
                .checksumSHA256(part.checksumSHA256())
                .build());
        filled = filled < buffer.length ? 0 : meter.fill(content, buffer);
      } while (filled > 0);
      // Checked before completing: a mismatch aborts, so the wrong content is never visible.
      String sha256 = meter.finish();
      CompleteMultipartUploadResponse done =
          s3.completeMultipartUpload(
              CompleteMultipartUploadRequest.builder()
                  .bucket(settings.bucket())
                  .key(name)
                  .uploadId(uploadId)
                  .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())
                  .build());
      return new StoredObject(
          key,
          meter.size(),
          Optional.of(sha256),
          options.contentType(),
          Optional.ofNullable(done.eTag()),
          Instant.now());
    } catch (RuntimeException e) {
      RuntimeException failure = S3Failures.mapAny(e);
      abort(name, uploadId, failure);
      throw failure;
    }
  }

  private void abort(String name, String uploadId, RuntimeException failure) {
    try {
      s3.abortMultipartUpload(
          AbortMultipartUploadRequest.builder()
              .bucket(settings.bucket())
              .key(name)
              .uploadId(uploadId)
              .build());
    } catch (SdkException abortFailure) {
      // The upload stays invisible; the bucket's lifecycle rule removes its parts.
      failure.addSuppressed(abortFailure);
    }
  }

  /** A body S3 can re-read on every retry without copying the part buffer. */
  private static RequestBody body(byte[] buffer, int length, String contentType) {
    return RequestBody.fromContentProvider(
        () -> new ByteArrayInputStream(buffer, 0, length), length, contentType);
  }

  @Override
  public Optional<StoredObject> head(ObjectKey key) {
    try {
      HeadObjectResponse head =
          s3.headObject(
              HeadObjectRequest.builder()
                  .bucket(settings.bucket())
                  .key(keyPrefix.apply(key))
                  .build());
      Optional<String> sha256 =
          Optional.ofNullable(head.metadata().get(S3Requests.SHA256_METADATA))
              .map(value -> value.toLowerCase(Locale.ROOT))
              .filter(value -> SHA256_HEX.matcher(value).matches());
      String contentType =
          head.contentType() == null ? PutOptions.DEFAULT_CONTENT_TYPE : head.contentType();
      return Optional.of(
          new StoredObject(
              key,
              head.contentLength(),
              sha256,
              contentType,
              Optional.ofNullable(head.eTag()),
              head.lastModified()));
    } catch (SdkException e) {
      if (S3Failures.isMissingObject(e)) {
        return Optional.empty();
      }
      throw S3Failures.map(e);
    }
  }

  @Override
  public InputStream open(ObjectKey key) {
    try {
      return new AbortOnEarlyClose(
          s3.getObject(
              GetObjectRequest.builder()
                  .bucket(settings.bucket())
                  .key(keyPrefix.apply(key))
                  .build()));
    } catch (SdkException e) {
      if (S3Failures.isMissingObject(e)) {
        throw StorageProblems.notFound();
      }
      throw S3Failures.map(e);
    }
  }

  @Override
  public boolean delete(ObjectKey key) {
    // S3 answers a delete the same whether or not the key existed; the head says which it was.
    boolean existed = head(key).isPresent();
    try {
      s3.deleteObject(request -> request.bucket(settings.bucket()).key(keyPrefix.apply(key)));
    } catch (SdkException e) {
      throw S3Failures.map(e);
    }
    return existed;
  }

  @Override
  public Stream<ObjectKey> list(ObjectKeyPrefix prefix) {
    Iterator<ObjectKey> keys;
    try {
      // The paginator fetches the first page here already, later pages while the stream advances.
      keys =
          s3
              .listObjectsV2Paginator(
                  ListObjectsV2Request.builder()
                      .bucket(settings.bucket())
                      .prefix(keyPrefix.apply(prefix))
                      .maxKeys(LIST_PAGE_SIZE)
                      .build())
              .contents()
              .stream()
              .map(S3Object::key)
              .flatMap(name -> keyPrefix.strip(name).flatMap(prefix::resolveListed).stream())
              .iterator();
    } catch (SdkException e) {
      throw S3Failures.map(e);
    }
    return LazyListing.stream(keys, S3Failures::mapAny, () -> {});
  }

  @Override
  public PresignedUpload presignUpload(ObjectKey key, String contentType, long size, Duration ttl) {
    PresignArguments.check(contentType, size, ttl);
    try {
      PresignedPutObjectRequest signed =
          presigner.presignPutObject(
              PutObjectPresignRequest.builder()
                  .signatureDuration(ttl)
                  .putObjectRequest(requests.presignedPut(keyPrefix.apply(key), contentType, size))
                  .build());
      Map<String, String> headers = new LinkedHashMap<>();
      signed
          .signedHeaders()
          .forEach(
              (name, values) -> {
                if (!"host".equalsIgnoreCase(name)) {
                  headers.put(name, String.join(",", values));
                }
              });
      return new PresignedUpload("PUT", signed.url().toURI(), headers, signed.expiration());
    } catch (SdkException e) {
      throw S3Failures.map(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the SDK signed a URL that is not a valid URI", e);
    }
  }

  @Override
  public String backend() {
    return S3Failures.BACKEND;
  }

  @Override
  public void close() {
    if (!ownsClients) {
      return;
    }
    presigner.close();
    s3.close();
    if (credentials instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the S3 credentials provider failed", e);
      }
    }
  }

  /**
   * Closing an S3 response stream before its end would otherwise drain the rest of the object to
   * reuse the connection; aborting drops the connection instead, which is cheaper for large
   * objects.
   */
  private static final class AbortOnEarlyClose extends FilterInputStream {
    private final ResponseInputStream<GetObjectResponse> response;
    private boolean ended;

    AbortOnEarlyClose(ResponseInputStream<GetObjectResponse> response) {
      super(response);
      this.response = response;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      ended |= b < 0;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      ended |= n < 0;
      return n;
    }

    @Override
    public void close() throws IOException {
      if (!ended) {
        response.abort();
      }
      super.close();
    }
  }
}
