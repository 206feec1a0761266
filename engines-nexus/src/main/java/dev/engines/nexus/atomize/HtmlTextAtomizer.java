package dev.engines.nexus.atomize;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.Range;
import org.jsoup.nodes.TextNode;
import org.jsoup.parser.Parser;
import org.jsoup.select.NodeFilter;

/**
 * {@code html.text}: the visible text of a UTF-8 HTML document, one atom per run of text inside one
 * block element. Parsed with jsoup's HTML5 parser; reads the whole content.
 *
 * <ul>
 *   <li>{@code script}, {@code style}, {@code noscript} and {@code template} are dropped with their
 *       content: none of it is rendered text ({@code noscript} would duplicate the page's
 *       fallback).
 *   <li>Block elements are a fixed list in this class ({@code p}, {@code div}, {@code li}, {@code
 *       td}, headings, {@code title}, …). Entering or leaving one ends the current atom, so text
 *       directly inside a {@code div} before and after a nested {@code p} gives two atoms.
 *   <li>Whitespace: runs of ASCII whitespace become one space, {@code br} becomes {@code \n}, text
 *       in {@code pre}, {@code textarea}, {@code listing}, {@code plaintext} and {@code xmp} keeps
 *       its whitespace, and each atom is trimmed of ASCII whitespace. Character references are
 *       decoded. Atoms that end up empty are not produced.
 * </ul>
 *
 * Span: the path of the block element that holds the text ({@code /html[1]/body[1]/div[1]/p[2]},
 * 1-based among siblings of the same tag) and the char range in the decoded HTML source from the
 * first to the last non-blank text node of the atom — it still contains tags and character
 * references.
 */
final class HtmlTextAtomizer extends BaseAtomizer {

  private static final Set<String> DROPPED = Set.of("script", "style", "noscript", "template");

  // Listed here rather than taken from jsoup's tag table so a jsoup upgrade cannot move atom
  // boundaries within op_version 1. Roughly the elements HTML renders as display: block or as table
  // parts and list items.
  private static final Set<String> BLOCKS =
      Set.of(
          "address",
          "article",
          "aside",
          "blockquote",
          "body",
          "caption",
          "center",
          "dd",
          "details",
          "dialog",
          "dir",
          "div",
          "dl",
          "dt",
          "fieldset",
          "figcaption",
          "figure",
          "footer",
          "form",
          "h1",
          "h2",
          "h3",
          "h4",
          "h5",
          "h6",
          "head",
          "header",
          "hgroup",
          "hr",
          "html",
          "legend",
          "li",
          "listing",
          "main",
          "menu",
          "nav",
          "ol",
          "p",
          "plaintext",
          "pre",
          "section",
          "summary",
          "table",
          "tbody",
          "td",
          "tfoot",
          "th",
          "thead",
          "title",
          "tr",
          "ul",
          "xmp");

  private static final Set<String> PRESERVE_WHITESPACE =
      Set.of("pre", "textarea", "listing", "plaintext", "xmp");

  HtmlTextAtomizer() {
    super(
        "html.text",
        "Visible text of an HTML document, one atom per block element's text run.",
        List.of());
  }

  @Override
  public boolean readsWholeContent() {
    return true;
  }

  @Override
  void run(InputStream content, Map<String, Object> params, Emitter emitter) throws IOException {
    Parser parser = Parser.htmlParser().setTrackPosition(true);
    Node document = parser.parseInput(new Utf8Reader(content), "");
    Collector collector = new Collector(emitter);
    collector.traverse(document);
    collector.flush();
  }

  /** Walks the DOM once, cutting atoms at block boundaries. */
  private static final class Collector implements NodeFilter {

    private final Emitter emitter;
    private final Deque<Element> blocks = new ArrayDeque<>();
    private final StringBuilder text = new StringBuilder();
    private int preserveDepth;
    private long start = -1;
    private long end = -1;

    Collector(Emitter emitter) {
      this.emitter = emitter;
    }

    @Override
    public FilterResult head(Node node, int depth) {
      if (node instanceof Element element) {
        if (DROPPED.contains(element.normalName())) {
          return FilterResult.SKIP_ENTIRELY;
        }
        if (BLOCKS.contains(element.normalName())) {
          flush();
          blocks.push(element);
        } else if ("br".equals(element.normalName())) {
          trimTrailingSpace();
          text.append('\n');
        }
        if (PRESERVE_WHITESPACE.contains(element.normalName())) {
          preserveDepth++;
        }
      } else if (node instanceof TextNode textNode) {
        append(textNode);
      }
      return FilterResult.CONTINUE;
    }

    @Override
    public FilterResult tail(Node node, int depth) {
      if (node instanceof Element element) {
        if (PRESERVE_WHITESPACE.contains(element.normalName())) {
          preserveDepth--;
        }
        if (BLOCKS.contains(element.normalName())) {
          flush();
          blocks.pop();
        }
      }
      return FilterResult.CONTINUE;
    }

    private void append(TextNode node) {
      String raw = node.getWholeText();
      if (!stripAsciiWhitespace(raw).isEmpty()) {
        Range range = node.sourceRange();
        if (range.isTracked()) {
          if (start < 0) {
            start = range.startPos();
          }
          end = range.endPos();
        }
      }
      if (preserveDepth > 0) {
        text.append(raw);
        return;
      }
      for (int i = 0; i < raw.length(); i++) {
        char c = raw.charAt(i);
        if (isAsciiWhitespace(c)) {
          int last = text.length() - 1;
          if (last >= 0 && text.charAt(last) != ' ' && text.charAt(last) != '\n') {
            text.append(' ');
          }
        } else {
          text.append(c);
        }
      }
    }

    private void trimTrailingSpace() {
      while (!text.isEmpty() && text.charAt(text.length() - 1) == ' ') {
        text.setLength(text.length() - 1);
      }
    }

    /** Emits the pending text as one atom, if any is left after trimming. */
    void flush() {
      String atom = stripAsciiWhitespace(text);
      if (!atom.isEmpty() && start >= 0) {
        emitter.emit(atom, Span.element(path(blocks.peek()), start, end));
      }
      text.setLength(0);
      start = -1;
      end = -1;
    }

    private static String path(Element element) {
      StringBuilder path = new StringBuilder();
      for (Element e = element; e != null && e.parent() != null; e = e.parent()) {
        int index = 1;
        Element sibling = e.previousElementSibling();
        while (sibling != null) {
          if (sibling.normalName().equals(e.normalName())) {
            index++;
          }
          sibling = sibling.previousElementSibling();
        }
        path.insert(0, "/" + e.normalName() + "[" + index + "]");
      }
      return path.toString();
    }

    private static boolean isAsciiWhitespace(char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    }

    private static String stripAsciiWhitespace(CharSequence value) {
      int from = 0;
      int to = value.length();
      while (from < to && isAsciiWhitespace(value.charAt(from))) {
        from++;
      }
      while (to > from && isAsciiWhitespace(value.charAt(to - 1))) {
        to--;
      }
      return value.subSequence(from, to).toString();
    }
  }
}
