package dev.engines.api.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.event.KeyValuePair;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.mock.env.MockEnvironment;

/**
 * Prices one access line: Spring Boot's {@code ecs} format (with {@link RedactingLogCustomizer})
 * against {@link EcsLogFormatter}, single-threaded, after a warm-up. Not a test; run with {@code
 * java -cp <test classpath> dev.engines.api.logging.EcsLogFormatterMicroBench [events]}.
 */
public final class EcsLogFormatterMicroBench {

  private EcsLogFormatterMicroBench() {}

  /** Prints the nanoseconds per line of each formatter, the ratio, and what the redaction adds. */
  public static void main(String[] args) {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    LoggerContext context = new LoggerContext();
    MockEnvironment environment =
        new MockEnvironment()
            .withProperty("spring.application.name", "engines")
            .withProperty("spring.application.pid", "4711");
    context.putObject(Environment.class.getName(), environment);
    StructuredLogEncoder ecs = encoder(context, "ecs");
    StructuredLogEncoder ours = encoder(context, EcsLogFormatter.class.getName());
    String message = "GET /v1/atoms/at_0123456789abcdef0123456789abcdef -> 200 in 3 ms";
    LoggingEvent plain = event(context, message, null);
    LoggingEvent preRedacted = event(context, "{}", LogRedactor.shared().redacted(message));
    for (int round = 0; round < 3; round++) {
      long spring = time(ecs, plain, events);
      long formatter = time(ours, plain, events);
      long formatterPreRedacted = time(ours, preRedacted, events);
      long redactOnly = 0;
      long start = System.nanoTime();
      for (int i = 0; i < events; i++) {
        redactOnly += LogRedactor.shared().redact(message).length();
      }
      long redact = System.nanoTime() - start;
      System.out.printf(
          "round %d: ecs %d ns/line, EcsLogFormatter %d ns/line (%.1fx), pre-redacted message %d"
              + " ns/line, redact(message) alone %d ns (%d)%n",
          round,
          spring / events,
          formatter / events,
          (double) spring / formatter,
          formatterPreRedacted / events,
          redact / events,
          redactOnly % 10);
    }
  }

  private static long time(StructuredLogEncoder encoder, LoggingEvent event, int events) {
    long bytes = 0;
    long start = System.nanoTime();
    for (int i = 0; i < events; i++) {
      bytes += encoder.encode(event).length;
    }
    long elapsed = System.nanoTime() - start;
    if (bytes == 0) {
      throw new IllegalStateException();
    }
    return elapsed;
  }

  private static LoggingEvent event(LoggerContext context, String pattern, Object argument) {
    LoggingEvent event =
        new LoggingEvent(
            EcsLogFormatterMicroBench.class.getName(),
            context.getLogger("dev.engines.access"),
            Level.INFO,
            pattern,
            null,
            argument == null ? null : new Object[] {argument});
    Map<String, String> mdc = new LinkedHashMap<>();
    mdc.put(LogFields.TRANSACTION_ID, "6f1c2a9e-5b7d-4c1e-9a0b-3d2f1e0c9b8a");
    mdc.put(LogFields.TRACE_ID, "4bf92f3577b34da6a3ce929d0e0e4736");
    mdc.put(LogFields.SPAN_ID, "00f067aa0ba902b7");
    mdc.put(LogFields.TENANT_ID, "t_bench");
    mdc.put(LogFields.ENV, "dev");
    mdc.put(LogFields.ACTOR, "k_0123456789");
    event.setMDCPropertyMap(mdc);
    event.addKeyValuePair(new KeyValuePair(LogFields.HTTP_METHOD, "GET"));
    event.addKeyValuePair(
        new KeyValuePair(LogFields.URL_PATH, "/v1/atoms/at_0123456789abcdef0123456789abcdef"));
    event.addKeyValuePair(new KeyValuePair(LogFields.HTTP_STATUS, 200));
    event.addKeyValuePair(new KeyValuePair(LogFields.EVENT_DURATION, 3_141_592L));
    event.setThreadName("tomcat-handler-12");
    return event;
  }

  private static StructuredLogEncoder encoder(LoggerContext context, String format) {
    StructuredLogEncoder encoder = new StructuredLogEncoder();
    encoder.setContext(context);
    encoder.setFormat(format);
    encoder.start();
    return encoder;
  }
}
