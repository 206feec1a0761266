package dev.engines.core.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.engines.core.error.EnginesException;

/**
 * Cursors come back from clients as arbitrary strings. Committed inputs under {@code
 * CursorsFuzzTestsInputs/} replay in every build; {@code bin/engines fuzz} explores further.
 */
class CursorsFuzzTests {

  @FuzzTest(maxDuration = "10s")
  void decodeWhenAnyStringThenAKeyOrCursorInvalid(FuzzedDataProvider data) {
    String cursor = data.consumeRemainingAsString();
    try {
      String key = Cursors.decode(cursor);
      // What decodes is what this API could have issued: re-encoding gives a cursor for the same
      // key
      // (the empty cursor, "from the start", is the one that names no key).
      if (!key.isEmpty()) {
        assertThat(Cursors.decode(Cursors.encode(key))).isEqualTo(key);
      } else {
        assertThat(cursor).isEmpty();
      }
      assertThat(key.length()).isLessThanOrEqualTo(512);
    } catch (EnginesException e) {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.code()).isEqualTo("cursor_invalid");
    }
    try {
      Cursors.decodeLong(cursor, -1);
    } catch (EnginesException e) {
      assertThat(e.code()).isEqualTo("cursor_invalid");
    }
  }

  @FuzzTest(maxDuration = "10s")
  void encodeWhenAnyPrintableKeyThenDecodesToTheSameKey(FuzzedDataProvider data) {
    String key = data.consumeString(512).replaceAll("[\\x00-\\x1f]", "");
    if (key.isEmpty()) {
      // Found by this test: the empty key encoded into a cursor that then decoded as invalid.
      assertThatThrownBy(() -> Cursors.encode(key)).isInstanceOf(IllegalArgumentException.class);
      return;
    }
    assertThat(Cursors.decode(Cursors.encode(key))).isEqualTo(key);
  }
}
