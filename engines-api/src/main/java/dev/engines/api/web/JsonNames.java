package dev.engines.api.web;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.PropertyNamingStrategy;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.json.JsonMapper;

/**
 * The wire names of Java properties, taken from the application's {@link JsonMapper}: its naming
 * strategy ({@code spring.jackson.property-naming-strategy}) is the one source of the names the
 * OpenAPI document describes and the field names problems report, so neither can drift from what
 * the API reads and writes.
 */
@Component
public final class JsonNames {

  /** A bracketed index or map key (kept as is) or a property name (translated). */
  private static final Pattern SEGMENT = Pattern.compile("\\[[^\\]]*\\]|[^.\\[]+");

  private final UnaryOperator<String> translate;

  public JsonNames(JsonMapper json) {
    SerializationConfig config = json.serializationConfig();
    PropertyNamingStrategy strategy = config.getPropertyNamingStrategy();
    // A NamingBase translates names alone (it needs no member); no strategy means Java names.
    this.translate =
        strategy instanceof PropertyNamingStrategies.NamingBase base
            ? name -> base.nameForField(config, null, name)
            : UnaryOperator.identity();
  }

  /** The wire name of a Java property name, e.g. {@code displayName} → {@code display_name}. */
  public String property(String javaName) {
    return translate.apply(javaName);
  }

  /**
   * The wire path of a Java property path as bean validation reports it: {@code owner.displayName}
   * → {@code owner.display_name}, {@code items[2].refType} → {@code items[2].ref_type}. Indexes and
   * map keys in brackets stay as they are.
   */
  public String path(String javaPath) {
    StringBuilder out = new StringBuilder(javaPath.length() + 8);
    Matcher m = SEGMENT.matcher(javaPath);
    int last = 0;
    while (m.find()) {
      out.append(javaPath, last, m.start());
      String segment = m.group();
      out.append(segment.startsWith("[") ? segment : property(segment));
      last = m.end();
    }
    return out.append(javaPath.substring(last)).toString();
  }
}
