package dev.engines.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.EnginesException;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The presigned-upload part of the {@link RawStore} contract, for adapters that presign as the test
 * sets them up: a client uploads through the URL with exactly the declared content type and length.
 */
public interface PresignContract {

  /** Headers the JDK client sets itself and refuses to be given. */
  Set<String> CLIENT_SET_HEADERS = Set.of("content-length", "host");

  RawStore store();

  void assertNothingStored(ObjectKey key);

  @Test
  default void presignUploadThenClientUploadsThroughUrlAndVerifyComputesSha256() throws Exception {
    ObjectKey key = RawStoreContractTests.newKey("direct.pdf");
    byte[] body = "%PDF-1.7 uploaded directly".getBytes(StandardCharsets.UTF_8);

    PresignedUpload upload =
        store().presignUpload(key, "application/pdf", body.length, Duration.ofMinutes(5));

    assertThat(upload.method()).isEqualTo("PUT");
    assertThat(upload.expiresAt()).isAfter(Instant.now());
    assertThat(upload.toString()).doesNotContain(upload.url().getRawQuery());
    assertThat(
            send(upload, body, upload.requiredHeaders().get(contentTypeHeader(upload)))
                .statusCode())
        .isEqualTo(200);
    StoredObject verified =
        store().verify(key, body.length, TestContent.sha256(new ByteArrayInputStream(body)));
    assertThat(verified.sha256()).contains(TestContent.sha256(new ByteArrayInputStream(body)));
    assertThat(verified.contentType()).isEqualTo("application/pdf");
  }

  @Test
  default void presignUploadWhenClientSendsOtherContentTypeThenBackendRefuses() throws Exception {
    ObjectKey key = RawStoreContractTests.newKey("direct.pdf");
    byte[] body = "not a pdf".getBytes(StandardCharsets.UTF_8);
    PresignedUpload upload =
        store().presignUpload(key, "application/pdf", body.length, Duration.ofMinutes(5));

    assertThat(send(upload, body, "text/html").statusCode()).isEqualTo(403);
    assertNothingStored(key);
  }

  @Test
  default void presignUploadWhenTtlBeyondSevenDaysThenRejected() {
    assertThatThrownBy(
            () ->
                store()
                    .presignUpload(
                        RawStoreContractTests.newKey("direct.pdf"),
                        "application/pdf",
                        1,
                        Duration.ofDays(8)))
        .isInstanceOfSatisfying(EnginesException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  private static String contentTypeHeader(PresignedUpload upload) {
    return upload.requiredHeaders().keySet().stream()
        .filter("content-type"::equalsIgnoreCase)
        .findFirst()
        .orElseThrow();
  }

  private static HttpResponse<String> send(PresignedUpload upload, byte[] body, String contentType)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(upload.url()).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    upload
        .requiredHeaders()
        .forEach(
            (name, value) -> {
              if (!CLIENT_SET_HEADERS.contains(name.toLowerCase())
                  && !"content-type".equalsIgnoreCase(name)) {
                request.header(name, value);
              }
            });
    request.header("Content-Type", contentType);
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }
}
