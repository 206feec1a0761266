package dev.engines.api.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Marker;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.json.WritableJson;
import org.springframework.boot.logging.StackTracePrinter;
import org.springframework.boot.logging.structured.ContextPairs;
import org.springframework.boot.logging.structured.ElasticCommonSchemaProperties;
import org.springframework.boot.logging.structured.StructuredLogFormatter;
import org.springframework.core.env.Environment;
import org.springframework.util.ObjectUtils;

/**
 * Writes each log event as the JSON document of Spring Boot's {@code ecs} format (Elastic Common
 * Schema 8.11), member for member and byte for byte, with every {@code message} and exception
 * {@code message}/{@code stack_trace} passed through {@link LogRedactor}. Selected with {@code
 * logging.structured.format.console} (and {@code .file}) set to this class's name.
 *
 * <p>Why not the {@code ecs} format itself: Spring Boot's generic {@code JsonWriter} resolves every
 * value through lambdas, {@code LambdaSafe} callbacks and generic type checks, which made the one
 * access line per request cost a fifth of the service's CPU. This writer emits the same members in
 * the same order straight into a reused UTF-8 buffer: {@code @timestamp}, {@code log.level}, {@code
 * log.logger}, {@code process.pid}, {@code process.thread.name}, {@code service.*} ({@code
 * logging.structured.ecs.service.*}, falling back to {@code spring.application.name} and {@code
 * .version}), {@code message}, the MDC entries and the event's key-value pairs nested at their
 * dots, {@code error.type}, {@code error.message} and {@code error.stack_trace} for an exception,
 * {@code tags} for markers and {@code ecs.version}. {@code logging.structured.json.context} and
 * {@code logging.structured.json.stacktrace} apply as they do to {@code ecs}; the member settings
 * ({@code include}, {@code exclude}, {@code rename}, {@code add}, {@code customizer}) do not.
 */
public final class EcsLogFormatter implements StructuredLogFormatter<ILoggingEvent> {

  /**
   * Members whose strings are redacted, wherever they sit: the same rule as {@link
   * RedactingLogCustomizer#holdsText}, so a key-value pair named {@code message} is redacted too.
   */
  private static final Set<String> TEXT_MEMBERS = Set.of("message", "stack_trace");

  /** The top-level members every line has. */
  private static final Set<String> FIXED_MEMBERS =
      Set.of("@timestamp", "log", "process", "service", "message", "ecs");

  private static final JsonWriter.PairExtractor<org.slf4j.event.KeyValuePair> KEY_VALUE =
      JsonWriter.PairExtractor.of(pair -> pair.key, pair -> pair.value);

  /**
   * Buffers kept between lines. Logback encodes outside its write lock, so threads format
   * concurrently; a thread takes the slot its id hashes to (or makes a buffer when it is taken) and
   * puts it back. Requests run on virtual threads, for which a thread-local buffer would be made
   * afresh per request.
   */
  private static final int SLOTS = 16;

  /** A buffer grown past this (a long stack trace) is dropped after use rather than kept. */
  private static final int MAX_KEPT_BYTES = 64 * 1024;

  private final AtomicReferenceArray<Line> lines = new AtomicReferenceArray<>(SLOTS);
  private final LogRedactor redactor = LogRedactor.shared();
  private final @Nullable StackTracePrinter stackTracePrinter;
  private final ThrowableProxyConverter throwableProxyConverter;
  private final BiConsumer<ILoggingEvent, BiConsumer<String, Object>> contextPairs;

  /**
   * Whether the context pairs go in as they are named ({@code logging.structured.json.context}: on,
   * no prefix), the case {@link #directContext} writes without Spring Boot's intermediate maps.
   */
  private final boolean plainContext;

  /** The constant members between {@code process.thread.name} and {@code message}. */
  private final byte[] pidMember;

  private final byte[] serviceMember;

  /**
   * Built by Spring Boot's {@code StructuredLogEncoder} with the parameters it offers every
   * formatter.
   *
   * @param environment where {@code spring.application.pid} and the service members come from
   * @param stackTracePrinter the {@code logging.structured.json.stacktrace} printer, if configured
   * @param contextPairs the {@code logging.structured.json.context} settings
   * @param throwableProxyConverter logback's stack trace rendering, used without a printer
   */
  public EcsLogFormatter(
      Environment environment,
      @Nullable StackTracePrinter stackTracePrinter,
      ContextPairs contextPairs,
      ThrowableProxyConverter throwableProxyConverter) {
    this.stackTracePrinter = stackTracePrinter;
    this.throwableProxyConverter = throwableProxyConverter;
    this.contextPairs =
        contextPairs.nested(
            pairs -> {
              pairs.addMapEntries(ILoggingEvent::getMDCPropertyMap);
              pairs.add(ILoggingEvent::getKeyValuePairs, KEY_VALUE);
            });
    Binder binder = Binder.get(environment);
    this.plainContext =
        binder.bind("logging.structured.json.context.include", Boolean.class).orElse(true)
            && binder
                .bind("logging.structured.json.context.prefix", String.class)
                .orElse("")
                .isEmpty();
    Long pid = environment.getProperty("spring.application.pid", Long.class);
    this.pidMember = ascii(pid == null ? "" : "\"pid\":" + pid + ",");
    this.serviceMember = serviceMember(ElasticCommonSchemaProperties.get(environment).service());
  }

  private static byte[] serviceMember(ElasticCommonSchemaProperties.Service service) {
    JsonBuffer out = new JsonBuffer(128);
    out.ascii(",\"service\":{");
    boolean first = true;
    first = optional(out, first, "name", service.name());
    first = optional(out, first, "version", service.version());
    first = optional(out, first, "environment", service.environment());
    out.ascii(first ? "\"node\":{" : ",\"node\":{");
    optional(out, true, "name", service.nodeName());
    out.ascii("}}");
    return out.toByteArray();
  }

  /** Writes {@code "name":"value"} when the value has length; whether nothing was written yet. */
  private static boolean optional(JsonBuffer out, boolean first, String name, @Nullable String v) {
    if (v == null || v.isEmpty()) {
      return first;
    }
    if (!first) {
      out.ascii(",");
    }
    out.string(name);
    out.ascii(":");
    out.string(v);
    return false;
  }

  /** The line {@link #formatAsBytes} writes, decoded (a lone surrogate reads as {@code ?}). */
  @Override
  public String format(ILoggingEvent event) {
    return new String(formatAsBytes(event, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }

  @Override
  public byte[] formatAsBytes(ILoggingEvent event, Charset charset) {
    int slot = (int) (Thread.currentThread().threadId() & (SLOTS - 1));
    Line line = lines.getAndSet(slot, null);
    if (line == null) {
      line = new Line();
    }
    try {
      write(event, line);
      byte[] utf8 = line.out.toByteArray();
      return charset.equals(StandardCharsets.UTF_8)
          ? utf8
          : new String(utf8, StandardCharsets.UTF_8).getBytes(charset);
    } finally {
      if (line.out.capacity() <= MAX_KEPT_BYTES) {
        line.clear();
        lines.set(slot, line);
      }
    }
  }

  private void write(ILoggingEvent event, Line line) {
    JsonBuffer out = line.out;
    out.ascii("{\"@timestamp\":");
    out.string(event.getInstant().toString());
    out.ascii(",\"log\":{\"level\":");
    out.string(event.getLevel().toString());
    out.ascii(",\"logger\":");
    out.string(event.getLoggerName());
    out.ascii("},\"process\":{");
    out.raw(pidMember);
    out.ascii("\"thread\":{\"name\":");
    out.string(event.getThreadName());
    out.ascii("}}");
    out.raw(serviceMember);
    out.ascii(",\"message\":");
    out.string(message(event));
    IThrowableProxy throwable = event.getThrowableProxy();
    List<Marker> markers = event.getMarkerList();
    boolean tagged = markers != null && !markers.isEmpty();
    if (!plainContext || !directContext(event, line, throwable != null, tagged)) {
      contextPairs.accept(
          event,
          (name, value) -> {
            checkNotWritten(name, 0, name.length(), throwable != null, tagged);
            out.ascii(",");
            out.string(name);
            out.ascii(":");
            value(out, value, TEXT_MEMBERS.contains(name));
          });
    }
    if (throwable != null) {
      out.ascii(",\"error\":{\"type\":");
      out.string(throwable.getClassName());
      out.ascii(",\"message\":");
      out.string(redactor.redact(throwable.getMessage()));
      out.ascii(",\"stack_trace\":");
      out.string(redactor.redact(stackTrace(event, throwable)));
      out.ascii("}");
    }
    if (tagged) {
      Set<String> tags = new TreeSet<>();
      addMarkers(tags, markers.iterator());
      out.ascii(",\"tags\":");
      value(out, tags, false);
    }
    out.ascii(",\"ecs\":{\"version\":\"8.11\"}}\n");
  }

  /**
   * The redacted message. A message that is exactly one {@link LogRedactor.Redacted} (the pattern
   * <code>"{}"</code> and that one argument) is already {@link LogRedactor#redact}'s output, which
   * is what scanning it here would have produced from the original text: it is written as it is.
   */
  private @Nullable String message(ILoggingEvent event) {
    Object[] arguments = event.getArgumentArray();
    if (arguments != null
        && arguments.length == 1
        && arguments[0] instanceof LogRedactor.Redacted redacted
        && "{}".equals(event.getMessage())) {
      return redacted.toString();
    }
    return redactor.redact(event.getFormattedMessage());
  }

  private String stackTrace(ILoggingEvent event, IThrowableProxy throwable) {
    if (stackTracePrinter == null) {
      return throwableProxyConverter.convert(event);
    }
    if (!(throwable instanceof ThrowableProxy proxy)) {
      throw new IllegalStateException(
          "Instance must be a ThrowableProxy in order to print exception");
    }
    return stackTracePrinter.printStackTraceToString(proxy.getThrowable());
  }

  /**
   * A top-level pair named like a member of the line would write that name twice; Spring Boot's
   * writer refuses such a line, and so does this one (logback reports the failure).
   */
  private static void checkNotWritten(
      String name, int from, int to, boolean failed, boolean tagged) {
    String member = name.substring(from, to);
    if (FIXED_MEMBERS.contains(member)
        || (failed && member.equals("error"))
        || (tagged && member.equals("tags"))) {
      throw new IllegalStateException("The name '" + member + "' has already been written");
    }
  }

  /**
   * Writes the MDC entries and key-value pairs nested at their dots, as Spring Boot's {@code
   * ContextPairs} would (a member per first segment, in the order the segments first appear), but
   * without building a map per line and per segment. Only for the regular case: names of non-empty
   * segments, non-null values, no name equal to another or a segment path of another. Anything else
   * (where Spring Boot replaces a null, refuses a duplicate, or keeps an empty segment) returns
   * false before writing anything, and {@code ContextPairs} writes the pairs instead.
   */
  private boolean directContext(ILoggingEvent event, Line line, boolean failed, boolean tagged) {
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) {
      for (Map.Entry<String, String> entry : mdc.entrySet()) {
        if (!line.add(entry.getKey(), entry.getValue())) {
          return false;
        }
      }
    }
    List<org.slf4j.event.KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      for (org.slf4j.event.KeyValuePair pair : pairs) {
        if (!line.add(pair.key, pair.value)) {
          return false;
        }
      }
    }
    int count = line.count;
    String[] names = line.names;
    for (int i = 0; i < count; i++) {
      for (int j = i + 1; j < count; j++) {
        if (nests(names[i], names[j]) || nests(names[j], names[i])) {
          return false;
        }
      }
    }
    for (int i = 0; i < count; i++) {
      int dot = names[i].indexOf('.');
      checkNotWritten(names[i], 0, dot < 0 ? names[i].length() : dot, failed, tagged);
    }
    for (int i = 0; i < count; i++) {
      if (!line.written[i]) {
        line.out.ascii(",");
        member(line, i, 0);
      }
    }
    return true;
  }

  /** Whether {@code inner} is {@code outer} or lies under it ({@code outer} followed by a dot). */
  private static boolean nests(String outer, String inner) {
    return inner.startsWith(outer)
        && (inner.length() == outer.length() || inner.charAt(outer.length()) == '.');
  }

  /**
   * Writes the member of pair {@code i} at the segment starting at {@code from}: its value, or an
   * object of every later unwritten pair under the same segment path.
   */
  private void member(Line line, int i, int from) {
    String name = line.names[i];
    int dot = name.indexOf('.', from);
    JsonBuffer out = line.out;
    if (dot < 0) {
      out.string(name, from, name.length());
      out.ascii(":");
      line.written[i] = true;
      value(out, line.values[i], isTextMember(name, from));
      return;
    }
    out.string(name, from, dot);
    out.ascii(":{");
    boolean first = true;
    for (int j = i; j < line.count; j++) {
      if (!line.written[j] && line.names[j].regionMatches(0, name, 0, dot + 1)) {
        if (!first) {
          out.ascii(",");
        }
        first = false;
        member(line, j, dot + 1);
      }
    }
    out.ascii("}");
  }

  private static boolean isTextMember(String name, int from) {
    int length = name.length() - from;
    return (length == 7 && name.startsWith("message", from))
        || (length == 11 && name.startsWith("stack_trace", from));
  }

  /** A line being written: its buffer and the context pairs gathered for it, reused together. */
  private static final class Line {

    final JsonBuffer out = new JsonBuffer(1024);
    String[] names = new String[16];
    Object[] values = new Object[16];
    boolean[] written = new boolean[16];
    int count;

    /** Adds a pair; false when its name or value is not the regular case. */
    boolean add(String name, Object value) {
      if (value == null
          || name == null
          || name.isEmpty()
          || name.charAt(0) == '.'
          || name.charAt(name.length() - 1) == '.'
          || name.contains("..")) {
        return false;
      }
      if (count == names.length) {
        names = Arrays.copyOf(names, count * 2);
        values = Arrays.copyOf(values, count * 2);
        written = Arrays.copyOf(written, count * 2);
      }
      names[count] = name;
      values[count] = value;
      count++;
      return true;
    }

    void clear() {
      Arrays.fill(names, 0, count, null);
      Arrays.fill(values, 0, count, null);
      Arrays.fill(written, 0, count, false);
      count = 0;
      out.reset();
    }
  }

  // SLF4J deprecates walking a marker's references, yet they are how a marker nests others; the
  // ecs format lists those nested names too (sorted, once each), so this does the same.
  @SuppressWarnings("deprecation")
  private static void addMarkers(Set<String> tags, Iterator<Marker> markers) {
    while (markers.hasNext()) {
      Marker marker = markers.next();
      tags.add(marker.getName());
      if (marker.hasReferences()) {
        addMarkers(tags, marker.iterator());
      }
    }
  }

  /**
   * A context value as Spring Boot's {@code JsonWriter} writes it: arrays and iterables as arrays,
   * maps as objects, numbers and booleans bare, anything else as its string. {@code text}: whether
   * the nearest named member is a text member, whose strings are redacted.
   */
  private void value(JsonBuffer out, @Nullable Object value, boolean text) {
    if (value == null) {
      out.ascii("null");
    } else if (value instanceof String string) {
      out.string(text ? redactor.redact(string) : string);
    } else if (value instanceof WritableJson json) {
      out.json(json.toJsonString());
    } else if (value instanceof Iterable<?> iterable && !(value instanceof java.nio.file.Path)) {
      out.ascii("[");
      boolean first = true;
      for (Object element : iterable) {
        if (!first) {
          out.ascii(",");
        }
        first = false;
        value(out, element, text);
      }
      out.ascii("]");
    } else if (ObjectUtils.isArray(value)) {
      value(out, Arrays.asList(ObjectUtils.toObjectArray(value)), text);
    } else if (value instanceof Map<?, ?> map) {
      out.ascii("{");
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!first) {
          out.ascii(",");
        }
        first = false;
        String name = entry.getKey().toString();
        out.string(name);
        out.ascii(":");
        value(out, entry.getValue(), TEXT_MEMBERS.contains(name));
      }
      out.ascii("}");
    } else if (value instanceof Number || value instanceof Boolean) {
      out.ascii(value.toString());
    } else {
      out.string(value.toString());
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
