package dev.engines.core.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.EnginesException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CursorsTests {

  private static void assertInvalid(String cursor) {
    assertThatThrownBy(() -> Cursors.decode(cursor))
        .as(cursor)
        .isInstanceOfSatisfying(
            EnginesException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isEqualTo("cursor_invalid");
            });
  }

  @Test
  void decodeWhenIssuedThenReturnsTheKey() {
    for (String key :
        new String[] {"u_abc", "2026-01-31T00:00:00Z|ev_1", "a|b|c|d|42", "ünïcödé", "7"}) {
      assertThat(Cursors.decode(Cursors.encode(key))).isEqualTo(key);
    }
    assertThat(Cursors.decodeLong(Cursors.encode("42"), 0)).isEqualTo(42);
    assertThat(Cursors.decode(null)).isEmpty();
    assertThat(Cursors.decode("")).isEmpty();
  }

  @Test
  void decodeWhenDecodableButNotIssuedThenCursorInvalid() {
    // Each of these is valid base64url; none was issued by the API.
    assertInvalid("zzz");
    assertInvalid("AAAA");
    assertInvalid(
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("u_abc".getBytes(StandardCharsets.UTF_8)));
    assertInvalid(
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("0123456789abcdef|u_abc".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void decodeWhenIssuedCursorAlteredThenCursorInvalid() {
    String cursor = Cursors.encode("u_abcdefghijklmnop");
    // Every character but the last, which may only carry padding bits that do not change the bytes.
    for (int i = 0; i < cursor.length() - 1; i++) {
      char replacement = cursor.charAt(i) == 'A' ? 'B' : 'A';
      assertInvalid(cursor.substring(0, i) + replacement + cursor.substring(i + 1));
    }
    assertInvalid(cursor.substring(0, cursor.length() - 3));
  }

  @Test
  void decodeWhenNotBase64ThenCursorInvalid() {
    assertInvalid("!!!notbase64");
    assertInvalid("%ff");
  }

  @Test
  void decodeLongWhenIssuedKeyIsNotANumberThenCursorInvalid() {
    assertThatThrownBy(() -> Cursors.decodeLong(Cursors.encode("u_abc"), 0))
        .isInstanceOfSatisfying(
            EnginesException.class, e -> assertThat(e.code()).isEqualTo("cursor_invalid"));
  }
}
