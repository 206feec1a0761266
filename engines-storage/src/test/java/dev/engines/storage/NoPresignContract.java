package dev.engines.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.EnginesException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The {@link RawStore} contract for adapters that cannot presign as the test sets them up: asking
 * answers 501 {@code presign_unsupported} and writes nothing, so callers upload through the API.
 */
public interface NoPresignContract {

  RawStore store();

  void assertNothingStored(ObjectKey key);

  @Test
  default void presignUploadWhenUnsupportedThenAnswers501AndStoresNothing() {
    ObjectKey key = RawStoreContractTests.newKey("direct.pdf");

    assertThatThrownBy(
            () -> store().presignUpload(key, "application/pdf", 10, Duration.ofMinutes(5)))
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> {
              assertThat(e.status()).isEqualTo(501);
              assertThat(e.code()).isEqualTo(StorageProblems.PRESIGN_UNSUPPORTED);
            });
    assertNothingStored(key);
  }
}
