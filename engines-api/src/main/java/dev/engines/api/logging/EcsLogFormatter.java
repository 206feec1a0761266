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

  private final AtomicReferenceArray<JsonBuffer> buffers = new AtomicReferenceArray<>(SLOTS);
  private final LogRedactor redactor = LogRedactor.shared();
  private final @Nullable StackTracePrinter stackTracePrinter;
  private final ThrowableProxyConverter throwableProxyConverter;
  private final BiConsumer<ILoggingEvent, BiConsumer<String, Object>> contextPairs;

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

  @Override
  public String format(ILoggingEvent event) {
    return new String(formatAsBytes(event, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }

  @Override
  public byte[] formatAsBytes(ILoggingEvent event, Charset charset) {
    int slot = (int) (Thread.currentThread().threadId() & (SLOTS - 1));
    JsonBuffer out = buffers.getAndSet(slot, null);
    if (out == null) {
      out = new JsonBuffer(1024);
    }
    try {
      write(event, out);
      byte[] utf8 = out.toByteArray();
      return charset.equals(StandardCharsets.UTF_8)
          ? utf8
          : new String(utf8, StandardCharsets.UTF_8).getBytes(charset);
    } finally {
      if (out.capacity() <= MAX_KEPT_BYTES) {
        out.reset();
        buffers.set(slot, out);
      }
    }
  }

  private void write(ILoggingEvent event, JsonBuffer out) {
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
    contextPairs.accept(
        event,
        (name, value) -> {
          // A pair named like a member of the line would write that name twice; Spring Boot's
          // writer refuses such a line in the same way (logback reports the failure).
          if (FIXED_MEMBERS.contains(name)
              || (throwable != null && name.equals("error"))
              || (tagged && name.equals("tags"))) {
            throw new IllegalStateException("The name '" + name + "' has already been written");
          }
          out.ascii(",");
          out.string(name);
          out.ascii(":");
          value(out, value, TEXT_MEMBERS.contains(name));
        });
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
