package dev.engines.api.logging;

import java.util.Set;
import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;

/**
 * {@link LogRedactor} for Spring Boot's own JSON formats ({@code ecs}, {@code logstash}, {@code
 * gelf}): the service writes its lines with {@link EcsLogFormatter}, which redacts by itself, but
 * an operator may still select a built-in format (for a file, say), and the logs stay redacted
 * then: every {@code message} and {@code stack_trace} string passes through {@link
 * LogRedactor#redact}. Registered in {@code META-INF/spring.factories} (not with {@code
 * logging.structured.json.customizer}: any {@code logging.structured.json} setting makes Spring
 * Boot add a rename and a filter step that build strings for every member of every line), so it
 * applies whatever the settings.
 */
public final class RedactingLogCustomizer
    implements StructuredLoggingJsonMembersCustomizer<Object> {

  /** Members holding free text. */
  private static final Set<String> TEXT_MEMBERS = Set.of("message", "stack_trace");

  private final LogRedactor redactor = LogRedactor.shared();

  @Override
  public void customize(JsonWriter.Members<Object> members) {
    members.applyingValueProcessor(
        JsonWriter.ValueProcessor.of(String.class, redactor::redact)
            .whenHasPath(RedactingLogCustomizer::holdsText));
  }

  /**
   * Whether a value sits under a free-text member, directly or as an element of an array in one. An
   * array element's own path has no name (ECS writes markers as a {@code tags} array, for one), so
   * the nearest named ancestor decides.
   */
  static boolean holdsText(JsonWriter.MemberPath path) {
    for (JsonWriter.MemberPath p = path; p != null; p = p.parent()) {
      if (p.name() != null) {
        return TEXT_MEMBERS.contains(p.name());
      }
    }
    return false;
  }
}
