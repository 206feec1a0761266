package dev.engines.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.EnginesException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PutOptionsTests {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/pdf",
        "text/plain; charset=utf-8",
        "text/plain;charset=\"utf-8\"",
        "application/vnd.ms-excel",
        "image/svg+xml"
      })
  void ofWhenContentTypeIsAMediaTypeThenAccepted(String contentType) {
    assertThat(PutOptions.of(contentType, 1).contentType()).isEqualTo(contentType);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "pdf",
        "text/",
        "/plain",
        "text/plain\r\nX-Injected: 1",
        "text/plain\nx",
        "text/plain; charset=\"a\nb\"",
        "text /plain",
        "text/plain;"
      })
  void ofWhenContentTypeIsMalformedThenRejected(String contentType) {
    assertThatThrownBy(() -> PutOptions.of(contentType, 1))
        .isInstanceOfSatisfying(EnginesException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void ofWhenMaxBytesNotPositiveThenRejected() {
    assertThatThrownBy(() -> PutOptions.of("text/plain", 0)).isInstanceOf(EnginesException.class);
  }

  @Test
  void withExpectedSha256NormalisesToLowercase() {
    String upper = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";

    assertThat(PutOptions.of("text/plain", 1).withExpectedSha256(upper).expectedSha256())
        .contains(upper.toLowerCase());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "abc",
        "zz0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8550"
      })
  void withExpectedSha256WhenNotHexSha256ThenRejected(String sha256) {
    assertThatThrownBy(() -> PutOptions.of("text/plain", 1).withExpectedSha256(sha256))
        .isInstanceOfSatisfying(EnginesException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void withExpectedSizeWhenAboveMaxBytesThenRejected413BeforeAnyByteIsRead() {
    assertThatThrownBy(() -> PutOptions.of("text/plain", 10).withExpectedSize(11))
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> assertThat(e.code()).isEqualTo(StorageProblems.PAYLOAD_TOO_LARGE));
    assertThatThrownBy(() -> PutOptions.of("text/plain", 10).withExpectedSize(-1))
        .isInstanceOfSatisfying(EnginesException.class, e -> assertThat(e.status()).isEqualTo(400));
  }
}
