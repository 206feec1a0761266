package dev.engines.api.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;
import org.slf4j.event.KeyValuePair;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link EcsLogFormatter} writes the bytes Spring Boot's {@code ecs} format (with {@link
 * RedactingLogCustomizer}, as the service logged before) writes for the same event, escapes hostile
 * text as JSON and redacts every message and stack trace.
 */
class EcsLogFormatterTests {

  private static final String KEY = "eng_abcdefghijklmnop_abcdefghijklmnopqrstuvwxyz234567";
  private static final String EMAIL = "leaky.person@mail.example";
  private static final String HOSTILE =
      "q\"uote\\back/slash\nnew\rret\ttab\b\f\u0000nul\u001f\u007fdel\u0085nel\u009f"
          + " \u2028\u2029 é ü 中文 \uD83D\uDE00 lone-high \uD800 lone-low \uDC00 end-high \uD83D";

  private final LoggerContext context = loggerContext();

  /**
   * Lines the service wrote (PiiLogRedactionIntegrationTests) before this formatter existed, with
   * Spring Boot 4.1.2's {@code ecs} format and {@link RedactingLogCustomizer}.
   */
  private static final String ACCESS_LINE =
      "{\"@timestamp\":\"2026-12-07T09:42:48.397349629Z\",\"log\":{\"level\":\"INFO\",\"logger\":\"dev.engines.access\"},"
          + "\"process\":{\"pid\":22478,\"thread\":{\"name\":\"tomcat-handler-930\"}},\"service\":{\"name\":\"engines\",\"node\":{}},"
          + "\"message\":\"POST /v1/users -> 409 user_exists in 12 ms\",\"transaction\":{\"id\":\"logq-duplicate\"},"
          + "\"labels\":{\"actor\":\"u_uzg6r45vd6w7oj3oe6eblqeitv\",\"env\":\"dev\",\"tenant_id\":\"t_logq_wibivbrhhd\"},"
          + "\"trace\":{\"id\":\"a8e309c12f8b174f37a34cc082bdfbd5\"},\"span\":{\"id\":\"af7d4a5a63d2df58\"},"
          + "\"http\":{\"request\":{\"method\":\"POST\"},\"response\":{\"status_code\":409}},\"url\":{\"path\":\"/v1/users\"},"
          + "\"event\":{\"duration\":12405933},\"error\":{\"code\":\"user_exists\"},\"ecs\":{\"version\":\"8.11\"}}\n";

  private static final String OPERATOR_LINE =
      "{\"@timestamp\":\"2026-12-07T09:42:48.319092454Z\",\"log\":{\"level\":\"INFO\",\"logger\":\"dev.engines.access\"},"
          + "\"process\":{\"pid\":22478,\"thread\":{\"name\":\"tomcat-handler-927\"}},\"service\":{\"name\":\"engines\",\"node\":{}},"
          + "\"message\":\"POST /v1/operator/tenants -> 201 in 51 ms\",\"transaction\":{\"id\":\"req_thejmigcrvxa5mjcoxpadkflyf\"},"
          + "\"trace\":{\"id\":\"4266752946af413645397b943d537f82\"},\"span\":{\"id\":\"0aaee04035269d8b\"},"
          + "\"http\":{\"request\":{\"method\":\"POST\"},\"response\":{\"status_code\":201}},\"url\":{\"path\":\"/v1/operator/tenants\"},"
          + "\"event\":{\"duration\":51847797},\"ecs\":{\"version\":\"8.11\"}}\n";

  private static final String CARELESS_LINE =
      "{\"@timestamp\":\"2026-12-07T09:42:48.319744591Z\",\"log\":{\"level\":\"WARN\",\"logger\":\"dev.engines.api.logging.PiiLogRedactionIntegrationTests\"},"
          + "\"process\":{\"pid\":22478,\"thread\":{\"name\":\"main\"}},\"service\":{\"name\":\"engines\",\"node\":{}},"
          + "\"message\":\"careless: user <EMAIL_ADDRESS> paid with <CREDIT_CARD> using <ENGINES_API_KEY>\",\"ecs\":{\"version\":\"8.11\"}}\n";

  @Test
  void formatWhenAnyEventThenSameBytesAsSpringBootsEcsFormat() {
    MockEnvironment environment = environment();
    StructuredLogEncoder ecs = encoder("ecs", environment);
    StructuredLogEncoder ours = encoder(EcsLogFormatter.class.getName(), environment);
    List<ILoggingEvent> events = events();
    for (ILoggingEvent event : events) {
      String expected = new String(ecs.encode(event), StandardCharsets.UTF_8);
      assertThat(new String(ours.encode(event), StandardCharsets.UTF_8))
          .as(event.getMessage())
          .isEqualTo(expected);
    }
  }

  /** The same bytes, or the same refusal where Spring Boot's nesting refuses the pairs. */
  private static void assertSameLine(
      StructuredLogEncoder ecs, StructuredLogEncoder ours, ILoggingEvent event) {
    byte[] expected;
    try {
      expected = ecs.encode(event);
    } catch (IllegalStateException refused) {
      assertThatIllegalStateException().isThrownBy(() -> ours.encode(event));
      return;
    }
    assertThat(new String(ours.encode(event), StandardCharsets.UTF_8))
        .as(event.getMessage())
        .isEqualTo(new String(expected, StandardCharsets.UTF_8));
  }

  @Test
  void formatWhenServiceConfiguredOrNoPidThenSameBytesAsSpringBootsEcsFormat() {
    MockEnvironment bare = new MockEnvironment();
    MockEnvironment configured =
        new MockEnvironment()
            .withProperty("spring.application.pid", "1")
            .withProperty("logging.structured.ecs.service.name", "svc \"x\"")
            .withProperty("logging.structured.ecs.service.version", "1.2")
            .withProperty("logging.structured.ecs.service.environment", "prod")
            .withProperty("logging.structured.ecs.service.node-name", "node-7");
    MockEnvironment nodeOnly =
        new MockEnvironment().withProperty("logging.structured.ecs.service.node-name", "n");
    MockEnvironment prefixed =
        environment().withProperty("logging.structured.json.context.prefix", "ctx");
    MockEnvironment noContext =
        environment().withProperty("logging.structured.json.context.include", "false");
    for (MockEnvironment environment : List.of(bare, configured, nodeOnly, prefixed, noContext)) {
      StructuredLogEncoder ecs = encoder("ecs", environment);
      StructuredLogEncoder ours = encoder(EcsLogFormatter.class.getName(), environment);
      for (ILoggingEvent event : events()) {
        assertSameLine(ecs, ours, event);
      }
    }
  }

  @Test
  void formatWhenCapturedLinesReplayedThenSameLines() {
    MockEnvironment environment =
        new MockEnvironment()
            .withProperty("spring.application.name", "engines")
            .withProperty("spring.application.pid", "22478");
    StructuredLogEncoder ours = encoder(EcsLogFormatter.class.getName(), environment);
    LoggingEvent duplicate =
        event(Level.INFO, "dev.engines.access", "POST /v1/users -> 409 user_exists in 12 ms", null);
    duplicate.setInstant(Instant.parse("2026-12-07T09:42:48.397349629Z"));
    duplicate.setThreadName("tomcat-handler-930");
    // The MDC's own (hash) order, as captured.
    Map<String, String> mdc = new LinkedHashMap<>();
    mdc.put(LogFields.TRANSACTION_ID, "logq-duplicate");
    mdc.put(LogFields.ACTOR, "u_uzg6r45vd6w7oj3oe6eblqeitv");
    mdc.put(LogFields.ENV, "dev");
    mdc.put(LogFields.TENANT_ID, "t_logq_wibivbrhhd");
    mdc.put(LogFields.TRACE_ID, "a8e309c12f8b174f37a34cc082bdfbd5");
    mdc.put(LogFields.SPAN_ID, "af7d4a5a63d2df58");
    duplicate.setMDCPropertyMap(mdc);
    duplicate.addKeyValuePair(new KeyValuePair(LogFields.HTTP_METHOD, "POST"));
    duplicate.addKeyValuePair(new KeyValuePair(LogFields.URL_PATH, "/v1/users"));
    duplicate.addKeyValuePair(new KeyValuePair(LogFields.HTTP_STATUS, 409));
    duplicate.addKeyValuePair(new KeyValuePair(LogFields.EVENT_DURATION, 12_405_933L));
    duplicate.addKeyValuePair(new KeyValuePair(LogFields.ERROR_CODE, "user_exists"));
    assertThat(new String(ours.encode(duplicate), StandardCharsets.UTF_8)).isEqualTo(ACCESS_LINE);

    LoggingEvent operator =
        event(Level.INFO, "dev.engines.access", "POST /v1/operator/tenants -> 201 in 51 ms", null);
    operator.setInstant(Instant.parse("2026-12-07T09:42:48.319092454Z"));
    operator.setThreadName("tomcat-handler-927");
    Map<String, String> operatorMdc = new LinkedHashMap<>();
    operatorMdc.put(LogFields.TRANSACTION_ID, "req_thejmigcrvxa5mjcoxpadkflyf");
    operatorMdc.put(LogFields.TRACE_ID, "4266752946af413645397b943d537f82");
    operatorMdc.put(LogFields.SPAN_ID, "0aaee04035269d8b");
    operator.setMDCPropertyMap(operatorMdc);
    operator.addKeyValuePair(new KeyValuePair(LogFields.HTTP_METHOD, "POST"));
    operator.addKeyValuePair(new KeyValuePair(LogFields.URL_PATH, "/v1/operator/tenants"));
    operator.addKeyValuePair(new KeyValuePair(LogFields.HTTP_STATUS, 201));
    operator.addKeyValuePair(new KeyValuePair(LogFields.EVENT_DURATION, 51_847_797L));
    assertThat(new String(ours.encode(operator), StandardCharsets.UTF_8)).isEqualTo(OPERATOR_LINE);

    LoggingEvent careless =
        event(
            Level.WARN,
            "dev.engines.api.logging.PiiLogRedactionIntegrationTests",
            "careless: user {} paid with {} using {}",
            null,
            EMAIL,
            "5555 5555 5555 4444",
            KEY);
    careless.setInstant(Instant.parse("2026-12-07T09:42:48.319744591Z"));
    careless.setThreadName("main");
    assertThat(new String(ours.encode(careless), StandardCharsets.UTF_8)).isEqualTo(CARELESS_LINE);
  }

  @Test
  void formatWhenHostileTextThenEscapedAndReadBackAsWritten() {
    StructuredLogEncoder ours = encoder(EcsLogFormatter.class.getName(), environment());
    LoggingEvent event = event(Level.INFO, "dev.engines.test", HOSTILE, null);
    event.addKeyValuePair(new KeyValuePair("labels.hostile", HOSTILE));
    String line = new String(ours.encode(event), StandardCharsets.UTF_8);
    assertThat(line)
        .endsWith("}\n")
        .hasLineCount(1)
        .contains(
            "q\\\"uote\\\\back/slash\\nnew\\rret\\ttab\\b\\f\\u0000nul\\u001F\\u007Fdel\\u0085nel\\u009F")
        .contains("\u2028\u2029 é ü 中文 \uD83D\uDE00 lone-high ? lone-low ? end-high ?");
    JsonNode json = JsonMapper.shared().readTree(line);
    String readBack =
        HOSTILE.replace("\uD800", "?").replace("\uDC00", "?").replaceAll("\uD83D$", "?");
    assertThat(json.at("/message").asString()).isEqualTo(readBack);
    assertThat(json.at("/labels/hostile").asString()).isEqualTo(readBack);
  }

  @Test
  void formatWhenVeryLongMessageThenOneCompleteLine() {
    StructuredLogEncoder ours = encoder(EcsLogFormatter.class.getName(), environment());
    String longText = "x\"\n".repeat(200_000);
    String line =
        new String(
            ours.encode(event(Level.INFO, "dev.engines.test", longText, null)),
            StandardCharsets.UTF_8);
    JsonNode json = JsonMapper.shared().readTree(line);
    // Past the PII engine's size cap a message cannot be vouched for and is replaced whole.
    assertThat(json.at("/message").asString()).isIn(longText, "<REDACTED:pii_unavailable>");
    assertThat(line).hasLineCount(1);
    String tooLongToScan = "a".repeat(3_000_000);
    JsonNode capped =
        JsonMapper.shared()
            .readTree(ours.encode(event(Level.INFO, "dev.engines.test", tooLongToScan, null)));
    assertThat(capped.at("/message").asString()).isEqualTo("<REDACTED:pii_unavailable>");
  }

  @Test
  void formatWhenSecretsInMessageExceptionOrTextPairsThenRedacted() {
    StructuredLogEncoder ours = encoder(EcsLogFormatter.class.getName(), environment());
    IllegalStateException failure =
        new IllegalStateException(
            "bad row for " + EMAIL,
            new RuntimeException("key " + KEY + " card 4111 1111 1111 1111"));
    LoggingEvent event =
        event(Level.ERROR, "dev.engines.test", "user " + EMAIL + " used " + KEY, failure);
    event.addKeyValuePair(new KeyValuePair("labels.message", "to " + EMAIL));
    event.addKeyValuePair(new KeyValuePair("labels.note", "kept " + EMAIL));
    String line = new String(ours.encode(event), StandardCharsets.UTF_8);
    JsonNode json = JsonMapper.shared().readTree(line);
    assertThat(json.at("/message").asString())
        .isEqualTo("user <EMAIL_ADDRESS> used <ENGINES_API_KEY>");
    assertThat(json.at("/error/type").asString()).isEqualTo(IllegalStateException.class.getName());
    assertThat(json.at("/error/message").asString()).isEqualTo("bad row for <EMAIL_ADDRESS>");
    assertThat(json.at("/error/stack_trace").asString())
        .contains("Caused by: java.lang.RuntimeException: key <ENGINES_API_KEY> card <CREDIT_CARD>")
        .contains("at dev.engines.api.logging.EcsLogFormatterTests");
    assertThat(json.at("/labels/message").asString()).isEqualTo("to <EMAIL_ADDRESS>");
    // Pairs other than text members are ids and closed values by convention, not scanned (as
    // before).
    assertThat(json.at("/labels/note").asString()).isEqualTo("kept " + EMAIL);
    assertThat(line.replace("kept " + EMAIL, ""))
        .doesNotContain(EMAIL)
        .doesNotContain(KEY)
        .doesNotContain("4111");
  }

  @Test
  void formatWhenMessageIsOneRedactedValueThenWrittenAsRedactedOnce() {
    StructuredLogEncoder ours = encoder(EcsLogFormatter.class.getName(), environment());
    StructuredLogEncoder ecs = encoder("ecs", environment());
    LogRedactor.Redacted message =
        LogRedactor.shared().redacted("GET /v1/users/" + EMAIL + " -> 200 in 3 ms");
    LoggingEvent event = event(Level.INFO, "dev.engines.access", "{}", null, message);
    JsonNode json = JsonMapper.shared().readTree(ours.encode(event));
    assertThat(json.at("/message").asString())
        .isEqualTo("GET /v1/users/<EMAIL_ADDRESS> -> 200 in 3 ms");
    // Redacting it again (Spring Boot's path) changes nothing: the shortcut loses no redaction.
    assertThat(ours.encode(event)).isEqualTo(ecs.encode(event));
    // Only the exact pattern "{}" with that one argument is trusted.
    LoggingEvent around =
        event(Level.INFO, "dev.engines.access", "to " + EMAIL + " {}", null, message);
    assertThat(new String(ours.encode(around), StandardCharsets.UTF_8)).doesNotContain(EMAIL);
  }

  @Test
  void formatWhenPairCollidesWithAMemberThenRefusedLikeSpringBoot() {
    StructuredLogEncoder ecs = encoder("ecs", environment());
    StructuredLogEncoder ours = encoder(EcsLogFormatter.class.getName(), environment());
    for (String name : List.of("message", "log.level", "ecs", "@timestamp", "service.name")) {
      LoggingEvent event = event(Level.INFO, "dev.engines.test", "m", null);
      event.addKeyValuePair(new KeyValuePair(name, "x"));
      assertThatIllegalStateException().as(name).isThrownBy(() -> ecs.encode(event));
      assertThatIllegalStateException().as(name).isThrownBy(() -> ours.encode(event));
    }
    for (List<String> names :
        List.of(List.of("a", "a.b"), List.of("a.b", "a"), List.of("a.b", "a.b"))) {
      LoggingEvent event = event(Level.INFO, "dev.engines.test", "m", null);
      names.forEach(name -> event.addKeyValuePair(new KeyValuePair(name, "x")));
      assertThatIllegalStateException().as(names.toString()).isThrownBy(() -> ecs.encode(event));
      assertThatIllegalStateException().as(names.toString()).isThrownBy(() -> ours.encode(event));
    }
    LoggingEvent failed =
        event(Level.ERROR, "dev.engines.test", "m", new IllegalStateException("x"));
    failed.addKeyValuePair(new KeyValuePair("error.code", "c"));
    assertThatIllegalStateException().isThrownBy(() -> ecs.encode(failed));
    assertThatIllegalStateException().isThrownBy(() -> ours.encode(failed));
  }

  // Marker.add is deprecated, yet it is how a marker nests others, which the tags must list.
  @SuppressWarnings("deprecation")
  private List<ILoggingEvent> events() {
    List<ILoggingEvent> events = new ArrayList<>();
    LoggingEvent accessLine =
        event(Level.INFO, "dev.engines.access", "GET /v1/atoms/at_0123abcd -> 200 in 3 ms", null);
    accessLine.setMDCPropertyMap(mdc());
    accessLine.addKeyValuePair(new KeyValuePair(LogFields.HTTP_METHOD, "GET"));
    accessLine.addKeyValuePair(new KeyValuePair(LogFields.URL_PATH, "/v1/atoms/at_0123abcd"));
    accessLine.addKeyValuePair(new KeyValuePair(LogFields.HTTP_STATUS, 200));
    accessLine.addKeyValuePair(new KeyValuePair(LogFields.EVENT_DURATION, 3_141_592L));
    events.add(accessLine);
    LoggingEvent problem =
        event(Level.INFO, "dev.engines.access", "POST /v1/users -> 409 user_exists in 12 ms", null);
    problem.setMDCPropertyMap(mdc());
    problem.addKeyValuePair(new KeyValuePair(LogFields.HTTP_STATUS, 409));
    problem.addKeyValuePair(new KeyValuePair(LogFields.ERROR_CODE, "user_exists"));
    events.add(problem);
    events.add(
        event(
            Level.WARN,
            "dev.engines.test",
            "careless: user {} paid with {} using {}",
            null,
            EMAIL,
            "5555 5555 5555 4444",
            KEY));
    events.add(event(Level.DEBUG, "dev.engines.test", null, null));
    events.add(event(Level.TRACE, "dev.engines.test", "", null));
    IllegalStateException failure =
        new IllegalStateException("bad row for " + EMAIL, new RuntimeException("cause " + KEY));
    failure.addSuppressed(new IllegalArgumentException("suppressed +44 20 7946 0481"));
    LoggingEvent failed =
        event(Level.ERROR, "dev.engines.test", "failure while handling a record", failure);
    failed.setMDCPropertyMap(mdc());
    events.add(failed);
    events.add(event(Level.ERROR, "dev.engines.test", "no message", new NullPointerException()));
    LoggingEvent marked = event(Level.INFO, "dev.engines.test", "marked", null);
    Marker audit = MarkerFactory.getDetachedMarker("AUDIT");
    audit.add(MarkerFactory.getDetachedMarker("SECURITY"));
    marked.addMarker(audit);
    marked.addMarker(MarkerFactory.getDetachedMarker("ALPHA"));
    events.add(marked);
    LoggingEvent hostile = event(Level.INFO, "dev.engines.\"hostile\"\n", HOSTILE, null);
    hostile.setThreadName("thread \"7\"\t" + HOSTILE);
    hostile.setMDCPropertyMap(Map.of("labels.hostile", HOSTILE, "plain", "v", "trailing.", "dot"));
    hostile.addKeyValuePair(new KeyValuePair("labels.null", null));
    hostile.addKeyValuePair(new KeyValuePair("labels.flag", true));
    hostile.addKeyValuePair(new KeyValuePair("labels.ratio", 0.25));
    hostile.addKeyValuePair(new KeyValuePair("labels.list", List.of("a", 1, "b\"")));
    hostile.addKeyValuePair(new KeyValuePair("labels.ints", new int[] {1, 2}));
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("k", "v\n");
    map.put("message", "mail " + EMAIL);
    hostile.addKeyValuePair(new KeyValuePair("labels.map", map));
    hostile.addKeyValuePair(new KeyValuePair("labels.message", "mail " + EMAIL));
    hostile.addKeyValuePair(new KeyValuePair("x.stack_trace", List.of("at +44 20 7946 0481")));
    hostile.addKeyValuePair(new KeyValuePair("labels.instant", Instant.EPOCH));
    hostile.addKeyValuePair(new KeyValuePair("", "no name"));
    events.add(hostile);
    // Nesting in the order segments first appear, several levels deep, MDC before key-values.
    LoggingEvent nested = event(Level.INFO, "dev.engines.test", "nested", null);
    nested.setMDCPropertyMap(Map.of("z.m", "1"));
    nested.addKeyValuePair(new KeyValuePair("a.b.c", "1"));
    nested.addKeyValuePair(new KeyValuePair("x", 2));
    nested.addKeyValuePair(new KeyValuePair("a.d", "3"));
    nested.addKeyValuePair(new KeyValuePair("a.b.e", "4"));
    nested.addKeyValuePair(new KeyValuePair("z.n.message", "mail " + EMAIL));
    nested.addKeyValuePair(new KeyValuePair("a.b.stack_trace", "at " + EMAIL));
    events.add(nested);
    // What Spring Boot's own nesting does with a null replaced, empty segments and stray dots.
    LoggingEvent irregular = event(Level.INFO, "dev.engines.test", "irregular", null);
    irregular.addKeyValuePair(new KeyValuePair("labels.dup", null));
    irregular.addKeyValuePair(new KeyValuePair("labels.dup", "second"));
    irregular.addKeyValuePair(new KeyValuePair("a..b", "1"));
    irregular.addKeyValuePair(new KeyValuePair(".lead", "2"));
    irregular.addKeyValuePair(new KeyValuePair("end.", "3"));
    irregular.addKeyValuePair(new KeyValuePair(".", "4"));
    irregular.addKeyValuePair(new KeyValuePair(null, "5"));
    events.add(irregular);
    events.add(
        event(Level.INFO, "dev.engines.test", "long " + "é\"\n".repeat(20_000) + EMAIL, null));
    events.add(
        event(
            Level.INFO,
            "dev.engines.test",
            "url jdbc:postgresql://db.internal.example:5432/engines?user=a&password=s3cr3t and 203.0.113.77",
            null));
    return events;
  }

  private static Map<String, String> mdc() {
    Map<String, String> mdc = new LinkedHashMap<>();
    mdc.put(LogFields.TRANSACTION_ID, "req-1");
    mdc.put(LogFields.TRACE_ID, "4bf92f3577b34da6a3ce929d0e0e4736");
    mdc.put(LogFields.SPAN_ID, "00f067aa0ba902b7");
    mdc.put(LogFields.TENANT_ID, "t_logs");
    mdc.put(LogFields.ENV, "dev");
    mdc.put(LogFields.ACTOR, "k_0123");
    return mdc;
  }

  private LoggingEvent event(
      Level level, String logger, String message, Throwable failure, Object... arguments) {
    LoggingEvent event =
        new LoggingEvent(
            getClass().getName(),
            context.getLogger(logger),
            level,
            message,
            failure,
            arguments.length == 0 ? null : arguments);
    event.setInstant(Instant.parse("2026-12-07T09:31:02.123456Z"));
    return event;
  }

  private static LoggerContext loggerContext() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    return context;
  }

  private static MockEnvironment environment() {
    return new MockEnvironment()
        .withProperty("spring.application.name", "engines")
        .withProperty("spring.application.pid", "4711");
  }

  private StructuredLogEncoder encoder(String format, MockEnvironment environment) {
    LoggerContext encoderContext = new LoggerContext();
    encoderContext.putObject(org.springframework.core.env.Environment.class.getName(), environment);
    StructuredLogEncoder encoder = new StructuredLogEncoder();
    encoder.setContext(encoderContext);
    encoder.setFormat(format);
    encoder.start();
    return encoder;
  }
}
