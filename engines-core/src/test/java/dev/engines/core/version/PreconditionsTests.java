package dev.engines.core.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.EnginesException;
import java.util.OptionalLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class PreconditionsTests {

  private static final OptionalLong AT_3 = OptionalLong.of(3);
  private static final OptionalLong ABSENT = OptionalLong.empty();

  @Test
  void checkWhenNoHeadersThenAnyStateHolds() {
    assertThatCode(() -> Preconditions.of(null, null).check(AT_3, "It")).doesNotThrowAnyException();
    assertThatCode(() -> Preconditions.NONE.check(ABSENT, "It")).doesNotThrowAnyException();
  }

  @Test
  void checkWhenIfMatchNamesCurrentVersionThenHolds() {
    assertThatCode(() -> Preconditions.of("\"3\"", null).check(AT_3, "It"))
        .doesNotThrowAnyException();
    assertThatCode(() -> Preconditions.of("\"1\", \"3\"", null).check(AT_3, "It"))
        .doesNotThrowAnyException();
  }

  @Test
  void checkWhenIfMatchStaleThen412() {
    assertPreconditionFailed(() -> Preconditions.of("\"2\"", null).check(AT_3, "It"));
  }

  @Test
  void checkWhenIfMatchWeakTagThen412EvenForTheCurrentVersion() {
    // Strong comparison (RFC 9110 §13.1.1): a weak tag never matches a write.
    assertPreconditionFailed(() -> Preconditions.of("W/\"3\"", null).check(AT_3, "It"));
  }

  @Test
  void checkWhenIfMatchStarThenHoldsOnlyWhileTheResourceExists() {
    assertThatCode(() -> Preconditions.of("*", null).check(AT_3, "It")).doesNotThrowAnyException();
    assertPreconditionFailed(() -> Preconditions.of("*", null).check(ABSENT, "It"));
    assertPreconditionFailed(() -> Preconditions.of("\"3\"", null).check(ABSENT, "It"));
  }

  @Test
  void checkWhenIfMatchZeroThenHoldsOnlyBeforeTheFirstWrite() {
    assertThatCode(() -> Preconditions.of("\"0\"", null).check(ABSENT, "It"))
        .doesNotThrowAnyException();
    assertThatCode(() -> Preconditions.of("\"0\"", null).check(OptionalLong.of(0), "It"))
        .doesNotThrowAnyException();
    assertThatCode(() -> Preconditions.of("\"0\"", null).check(0L, "It"))
        .doesNotThrowAnyException();
    assertPreconditionFailed(() -> Preconditions.of("\"0\"", null).check(AT_3, "It"));
    assertPreconditionFailed(() -> Preconditions.of("W/\"0\"", null).check(ABSENT, "It"));
  }

  @Test
  void checkWhenVersionZeroMeansNeverWrittenThenStarFailsAndStaleFails() {
    assertPreconditionFailed(() -> Preconditions.of("*", null).check(0L, "It"));
    assertThatCode(() -> Preconditions.of("*", null).check(2L, "It")).doesNotThrowAnyException();
    assertPreconditionFailed(() -> Preconditions.of("\"1\"", null).check(2L, "It"));
    assertThatCode(() -> Preconditions.of(null, "*").check(0L, "It")).doesNotThrowAnyException();
    assertPreconditionFailed(() -> Preconditions.of(null, "*").check(1L, "It"));
  }

  @Test
  void checkWhenIfNoneMatchStarThenHoldsOnlyWhileAbsent() {
    assertThatCode(() -> Preconditions.of(null, "*").check(ABSENT, "It"))
        .doesNotThrowAnyException();
    assertPreconditionFailed(() -> Preconditions.of(null, "*").check(AT_3, "It"));
    // weak comparison for If-None-Match
    assertPreconditionFailed(() -> Preconditions.of(null, "W/\"3\"").check(AT_3, "It"));
    assertThatCode(() -> Preconditions.of(null, "\"2\"").check(AT_3, "It"))
        .doesNotThrowAnyException();
  }

  @Test
  void checkWhenForeignButWellFormedTagThen412NotMalformed() {
    assertPreconditionFailed(() -> Preconditions.of("\"abc\"", null).check(AT_3, "It"));
  }

  @Test
  void ofWhenHeaderMalformedThen400() {
    for (String bad : new String[] {"3", "", " ", "\"3", "W/3", "\"3\",", "\"a\"b\""}) {
      assertThatThrownBy(() -> Preconditions.of(bad, null))
          .as(bad)
          .isInstanceOf(EnginesException.class)
          .extracting(e -> ((EnginesException) e).code())
          .isEqualTo("validation_failed");
    }
  }

  @Test
  void etagWhenVersionThenStrongQuotedTag() {
    assertThat(Preconditions.etag(7)).isEqualTo("\"7\"");
  }

  private static void assertPreconditionFailed(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(EnginesException.class)
        .satisfies(
            e -> {
              assertThat(((EnginesException) e).status()).isEqualTo(412);
              assertThat(((EnginesException) e).code()).isEqualTo("precondition_failed");
            });
  }
}
