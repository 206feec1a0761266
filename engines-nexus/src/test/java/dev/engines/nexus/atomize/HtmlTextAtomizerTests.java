package dev.engines.nexus.atomize;

import static dev.engines.nexus.atomize.Atomize.text;
import static dev.engines.nexus.atomize.Atomize.texts;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HtmlTextAtomizerTests {

  private static final String PAGE =
      """
      <!doctype html>
      <html><head><title>The  title</title><style>p { color: red }</style>
      <script>var secret = "not text";</script></head>
      <body>
        <h1>Heading &amp; more</h1>
        <div>Intro <b>bold</b>
          text<p>First
             paragraph.</p>tail of div</div>
        <ul><li>one</li><li>two<br>lines</li></ul>
        <noscript>enable js</noscript>
        <pre>  keep   this
        spacing</pre>
        <p>   </p>
      </body></html>
      """;

  @Test
  void htmlWhenDocumentThenOneAtomPerBlockTextRunWithScriptsAndStylesDropped() {
    List<AtomDraft> drafts = text("html.text", Map.of(), PAGE);

    assertThat(texts(drafts))
        .containsExactly(
            "The title",
            "Heading & more",
            "Intro bold text",
            "First paragraph.",
            "tail of div",
            "one",
            "two\nlines",
            "keep   this\n  spacing");
  }

  @Test
  void htmlWhenDocumentThenSpansNameTheBlockElementAndItsSourceRange() {
    List<AtomDraft> drafts = text("html.text", Map.of(), PAGE);

    assertThat(drafts)
        .extracting(d -> d.span().elementPath())
        .containsExactly(
            "/html[1]/head[1]/title[1]",
            "/html[1]/body[1]/h1[1]",
            "/html[1]/body[1]/div[1]",
            "/html[1]/body[1]/div[1]/p[1]",
            "/html[1]/body[1]/div[1]",
            "/html[1]/body[1]/ul[1]/li[1]",
            "/html[1]/body[1]/ul[1]/li[2]",
            "/html[1]/body[1]/pre[1]");
    Span heading = drafts.get(1).span();
    assertThat(PAGE.substring(heading.startChar().intValue(), heading.endChar().intValue()))
        .isEqualTo("Heading &amp; more");
    Span intro = drafts.get(2).span();
    assertThat(PAGE.substring(intro.startChar().intValue(), intro.endChar().intValue()))
        .isEqualTo("Intro <b>bold</b>\n    text");
  }

  @Test
  void htmlWhenSiblingsShareATagThenPathIndexCountsOnlyThatTag() {
    List<AtomDraft> drafts =
        text("html.text", Map.of(), "<body><p>a</p><div>b</div><p>c</p></body>");

    assertThat(drafts)
        .extracting(d -> d.span().elementPath())
        .containsExactly(
            "/html[1]/body[1]/p[1]", "/html[1]/body[1]/div[1]", "/html[1]/body[1]/p[2]");
  }

  @Test
  void htmlWhenBomAndCrlfThenOffsetsAreIntoTheDecodedTextWithoutBom() {
    String html = "<p>one</p>\r\n<p>two</p>";
    byte[] withBom = ("\uFEFF" + html).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<AtomDraft> drafts = Atomize.bytes("html.text", Map.of(), withBom);

    assertThat(texts(drafts)).containsExactly("one", "two");
    Span second = drafts.get(1).span();
    assertThat(html.substring(second.startChar().intValue(), second.endChar().intValue()))
        .isEqualTo("two");
  }

  @Test
  void htmlWhenEmptyOrOnlyMarkupThenNoAtoms() {
    assertThat(text("html.text", Map.of(), "")).isEmpty();
    assertThat(text("html.text", Map.of(), "<div> <script>x()</script> </div>")).isEmpty();
  }

  @Test
  void htmlWhenRunTwiceThenIdenticalDrafts() {
    assertThat(text("html.text", Map.of(), PAGE)).isEqualTo(text("html.text", Map.of(), PAGE));
  }

  @Test
  void derivationWhenAnyParamThenValidationFailed() {
    Atomize.problem(
        () -> Atomize.ATOMIZERS.get("html.text").derivation(Map.of("min_chars", 1)),
        400,
        "validation_failed");
  }
}
