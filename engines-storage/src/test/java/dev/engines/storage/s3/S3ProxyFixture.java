package dev.engines.storage.s3;

import dev.engines.storage.BucketPrefix;
import dev.engines.storage.StorageTimeouts;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One in-process s3proxy per test class: the real S3 HTTP API with SigV4 authentication on
 * 127.0.0.1 and a random port, backed by its transient in-memory store. Each store a test asks for
 * gets a bucket of its own, so tests never see each other's objects.
 */
final class S3ProxyFixture implements BeforeAllCallback, AfterAllCallback {

  static final String ACCESS_KEY = "AKIAENGINESTEST";
  static final String SECRET_KEY = "engines-test-secret-key-0123456789";
  static final String REGION = "us-east-1";

  private final AtomicInteger buckets = new AtomicInteger();
  private BlobStore blobStore;
  private S3Proxy proxy;
  private S3Client client;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("jclouds.identity", ACCESS_KEY);
    properties.setProperty("jclouds.credential", SECRET_KEY);
    blobStore = BlobStores.create("transient", properties);
    proxy =
        S3Proxy.builder()
            .blobStore(blobStore)
            .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(10);
    }
    client =
        S3Client.builder()
            .region(Region.of(REGION))
            .endpointOverride(endpoint())
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .build();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    client.close();
    proxy.stop();
    blobStore.close();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** A raw SDK client on the proxy, for checks the SPI cannot express. */
  S3Client client() {
    return client;
  }

  /** Creates a new bucket and answers settings for it. */
  S3Settings newBucket(BucketPrefix prefix, S3Settings.Encryption encryption) {
    String bucket = "engines-test-" + buckets.incrementAndGet();
    client.createBucket(request -> request.bucket(bucket));
    return new S3Settings(
        bucket,
        REGION,
        Optional.of(endpoint()),
        true,
        prefix,
        encryption,
        Optional.empty(),
        S3Credentials.staticKeys(ACCESS_KEY, SECRET_KEY),
        new StorageTimeouts(
            Duration.ofSeconds(2),
            Duration.ofSeconds(10),
            Duration.ofSeconds(20),
            Duration.ofSeconds(40)),
        2,
        S3Settings.MIN_PART_SIZE);
  }
}
