package dev.engines.nexus.atomize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.engines.core.error.EnginesException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Runs atomizers over in-memory content, and checks problems, for the atomizer tests. */
final class Atomize {

  static final Atomizers ATOMIZERS = Atomizers.standard();

  private Atomize() {}

  static List<AtomDraft> text(String opType, Map<String, ?> params, String content) {
    return bytes(opType, params, content.getBytes(StandardCharsets.UTF_8));
  }

  static List<AtomDraft> bytes(String opType, Map<String, ?> params, byte[] content) {
    Atomizer atomizer = ATOMIZERS.get(opType);
    Derivation derivation = atomizer.derivation(params);
    List<AtomDraft> drafts = new ArrayList<>();
    try {
      long count = atomizer.atomize(new ByteArrayInputStream(content), derivation, drafts::add);
      assertThat(count).isEqualTo(drafts.size());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int i = 0; i < drafts.size(); i++) {
      assertThat(drafts.get(i).ordinal()).isEqualTo(i);
    }
    return drafts;
  }

  static List<String> texts(List<AtomDraft> drafts) {
    return drafts.stream().map(AtomDraft::text).toList();
  }

  /** Every draft's text equals the source text between its span's char offsets. */
  static void assertOffsetsAddressText(String source, List<AtomDraft> drafts) {
    for (AtomDraft draft : drafts) {
      Span span = draft.span();
      assertThat(
              source.substring(Math.toIntExact(span.startChar()), Math.toIntExact(span.endChar())))
          .as("span of ordinal %d", draft.ordinal())
          .isEqualTo(draft.text());
    }
  }

  static EnginesException problem(ThrowingCallable call, int status, String code) {
    EnginesException e = catchThrowableOfType(EnginesException.class, call);
    assertThat(e).as("expected a problem %s", code).isNotNull();
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.code()).isEqualTo(code);
    return e;
  }
}
