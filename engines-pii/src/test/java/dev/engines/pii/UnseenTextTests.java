package dev.engines.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Cases from text outside the sample that once went wrong; each names what it guards against. */
class UnseenTextTests {

  @Test
  void emailWhenLocalPartHasApostropheThenWholeAddressIsOneSpan() {
    String text = "Contact: john.o'reilly@sub.example.museum today";
    assertThat(Engines.found(text, PiiTypes.EMAIL_ADDRESS)).containsExactly("9 41");
  }

  @Test
  void emailWhenQuotedThenQuotesStayOutside() {
    String text = "write to 'bob@example.com' now";
    assertThat(Engines.found(text, PiiTypes.EMAIL_ADDRESS)).containsExactly("10 25");
  }
}
