package dev.engines.api.logging;

import dev.engines.pii.PiiEngine;
import dev.engines.pii.PiiSettings;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last line of defence for logs: {@link EcsLogFormatter} passes every line's {@code message}
 * and exception {@code message}/{@code stack_trace} through {@link #redact} before it is written
 * ({@link RedactingLogCustomizer} does the same for Spring Boot's own JSON formats). {@link
 * PiiEngine#redactForLog}'s secret detectors replace Engines credentials ({@code eng_…} API keys as
 * {@code <ENGINES_API_KEY>}, {@code eop_…} operator tokens as {@code <ENGINES_OPERATOR_TOKEN>})
 * like any other secret, and a last pattern replaces anything else credential-shaped with {@code
 * <ENGINES_CREDENTIAL>}. The formatter runs inside Spring Boot's logging system, before any bean
 * exists, so the engine is built with the default settings (phone regions included) rather than the
 * configured ones.
 *
 * <p>Operational values are not PII and stay readable: the scheme, host and port of a URL ({@code
 * jdbc:postgresql://10.0.0.5:5432/engines}, {@code https://storage.googleapis.com/…}) and a socket
 * address ({@code 127.0.0.1:5432}) are kept as they are, whereas a bare IP address (a client's,
 * say) is still redacted. Secrets inside them go: the password of a URL's user info and the value
 * of a {@code password=}, {@code secret=}, {@code token=} or key parameter become {@code <SECRET>}.
 *
 * <p>Ids that the logging context adds (tenant, env, actor, request and trace ids) are not scanned:
 * they are ids by construction, and scanning timestamps and hex ids would only produce false
 * positives.
 */
public final class LogRedactor {

  private static final LogRedactor SHARED = new LogRedactor();

  /** Engines API keys and operator tokens: fixed alphabets and lengths, so the match is linear. */
  private static final Pattern CREDENTIAL =
      Pattern.compile("\\b(?:eng_[a-z2-7]{16}_[a-z2-7]{32}|eop_[A-Za-z0-9_-]{8,256})\\b");

  /**
   * Values of parameters that name a secret ({@code ?password=…}, {@code sslpassword=…}, {@code
   * token=…}).
   */
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile(
          "(?i)(?<![A-Za-z0-9_])((?:ssl)?(?:password|passwd|pwd)"
              + "|(?:client_|aws_)?secret(?:_key|_access_key)?|(?:access_|refresh_|id_)?token|api_?key|access_key)=[^&\\s;,'\")]+");

  /**
   * A URL's scheme and authority (user info, host, port; {@code jdbc:postgresql://} counts as one
   * scheme), or a socket address ({@code 10.0.0.5:5432}, {@code [fd00::1]:5432}). Each part has a
   * closed alphabet and the scheme must start a word, so matching stays linear.
   */
  private static final Pattern AUTHORITY =
      Pattern.compile(
          "(?<![A-Za-z0-9+.-])(?<scheme>[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z][A-Za-z0-9+.-]*:)?//)"
              + "(?:(?<user>[^:@/\\s]*)(?::(?<password>[^@/\\s]*))?@)?(?<host>\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+)(?<port>:[0-9]{1,5})?"
              + "|(?<![0-9.])[0-9]{1,3}(?:\\.[0-9]{1,3}){3}:[0-9]{1,5}(?![0-9])|\\[[0-9A-Fa-f:.]+]:[0-9]{1,5}(?![0-9])");

  private final PiiEngine engine = new PiiEngine(PiiSettings.defaults());

  LogRedactor() {}

  /** The one instance the log formatter and the access log share (the engine is immutable). */
  public static LogRedactor shared() {
    return SHARED;
  }

  /** The text as it may be logged; {@code null} stays {@code null}. */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    // Each pattern is only run on text holding a literal every match of it contains ('=' for a
    // parameter, ':' for an authority, "eng_"/"eop_" for a credential): an indexOf is far cheaper
    // than a search with look-behinds at every position, and most lines (the access line among
    // them) hold none of them, so the result is the same text the search would have left.
    String unparameterised =
        text.indexOf('=') < 0 ? text : SECRET_PARAMETER.matcher(text).replaceAll("$1=<SECRET>");
    // The engine's own detectors find Engines keys (ENGINES_API_KEY, ENGINES_OPERATOR_TOKEN) with
    // every other secret; the pattern afterwards still catches credential-shaped leftovers the
    // detectors deliberately skip (operator tokens shorter than 16 chars).
    String redacted = redactAroundAuthorities(unparameterised);
    return redacted.contains("eng_") || redacted.contains("eop_")
        ? CREDENTIAL.matcher(redacted).replaceAll("<ENGINES_CREDENTIAL>")
        : redacted;
  }

  /**
   * {@link #redact} of {@code text}, as a value that says so: logged as the only argument of the
   * pattern <code>"{}"</code>, the formatted message is exactly this redaction's output, so {@link
   * EcsLogFormatter} writes it without scanning it a second time. Only this class makes one.
   */
  public Redacted redacted(String text) {
    return new Redacted(redact(text));
  }

  /**
   * The engine's redaction of everything but URL authorities and socket addresses, which are kept.
   */
  private String redactAroundAuthorities(String text) {
    if (text.indexOf(':') < 0) {
      return engine.redactForLog(text);
    }
    Matcher authority = AUTHORITY.matcher(text);
    if (!authority.find()) {
      return engine.redactForLog(text);
    }
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    do {
      out.append(engine.redactForLog(text.substring(last, authority.start())));
      if (authority.group("scheme") == null) {
        out.append(authority.group());
      } else {
        out.append(authority.group("scheme"));
        if (authority.group("user") != null) {
          out.append(engine.redactForLog(authority.group("user")))
              .append(authority.group("password") == null ? "" : ":<SECRET>")
              .append('@');
        }
        out.append(authority.group("host"))
            .append(authority.group("port") == null ? "" : authority.group("port"));
      }
      last = authority.end();
    } while (authority.find());
    return out.append(engine.redactForLog(text.substring(last))).toString();
  }

  /**
   * Text that came out of {@link #redact}. The constructor is private to {@link LogRedactor}, so
   * holding one proves the text was redacted; {@link #toString} is the text, which is what SLF4J
   * formats into a message.
   */
  public static final class Redacted {

    private final String text;

    private Redacted(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
