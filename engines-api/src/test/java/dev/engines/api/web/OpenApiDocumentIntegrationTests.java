package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI document is a contract clients are generated from (GeneratedClientIntegrationTests
 * uses one): it names the wire format, every operation has a meaningful id, and the committed copy
 * ({@code docs/openapi.json}, the generator's input) is the document the service serves.
 */
class OpenApiDocumentIntegrationTests extends IntegrationTest {

  /**
   * The committed document; {@code -Dengines.openapi.update=true} rewrites it from the live one.
   */
  private static final Path COMMITTED =
      Path.of(System.getProperty("engines.openapi.document", "../docs/openapi.json"));

  private static final Pattern SNAKE_CASE = Pattern.compile("^[a-z][a-z0-9]*(_[a-z0-9]+)*$");
  private static final Pattern OPERATION_ID = Pattern.compile("^[a-z]+[A-Z][A-Za-z]*$");

  @Test
  void documentWhenServedThenEqualsTheCommittedCopy() throws IOException {
    JsonNode live = sorted(document());
    if (Boolean.getBoolean("engines.openapi.update")) {
      Files.writeString(
          COMMITTED, TestApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(live) + "\n");
    }
    JsonNode committed = TestApi.JSON.readTree(Files.readString(COMMITTED));
    List<String> differences = new ArrayList<>();
    diff("", committed, live, differences);
    assertThat(differences)
        .as(
            "docs/openapi.json differs from /v3/api-docs; review the change and rerun this test with -Dengines.openapi.update=true")
        .isEmpty();
  }

  @Test
  void schemasWhenDescribedThenNameEveryPropertyAndQueryParameterInSnakeCase() {
    // Regression: schemas carried the Java (camelCase) names while the API reads and writes
    // snake_case.
    List<String> names = new ArrayList<>();
    collectNames("", document(), names);
    assertThat(names)
        .as("property, required and query parameter names")
        .isNotEmpty()
        .contains("components.schemas.CreateKey.properties.act_on_behalf");
    assertThat(
            names.stream()
                .filter(n -> !SNAKE_CASE.matcher(n.substring(n.lastIndexOf('.') + 1)).matches()))
        .as("names that are not snake_case")
        .isEmpty();
  }

  @Test
  void operationsWhenDescribedThenHaveUniqueMeaningfulIds() {
    // Regression: springdoc's defaults were method names with counters (create_1, list_3).
    List<String> ids = new ArrayList<>();
    operations()
        .forEach(
            (where, operation) ->
                ids.add(operation.path("operationId").asString("<missing at " + where + ">")));
    assertThat(ids)
        .doesNotHaveDuplicates()
        .allSatisfy(id -> assertThat(id).as("operationId").matches(OPERATION_ID))
        .contains("createApiKey", "uploadAsset", "deriveAtoms", "listEvents");
  }

  @Test
  void operationsWhenDescribedThenSpeakJsonWithTypedBodies() {
    List<String> problems = new ArrayList<>();
    operations()
        .forEach(
            (where, operation) -> {
              for (JsonNode content : List.of(operation.path("requestBody").path("content"))) {
                content
                    .propertyNames()
                    .forEach(
                        type ->
                            check(where + " request " + type, type, content.get(type), problems));
              }
              operation
                  .path("responses")
                  .properties()
                  .forEach(
                      response -> {
                        JsonNode content = response.getValue().path("content");
                        content
                            .propertyNames()
                            .forEach(
                                type ->
                                    check(
                                        where + " " + response.getKey() + " " + type,
                                        type,
                                        content.get(type),
                                        problems));
                      });
            });
    assertThat(problems).as("media types and schemas").isEmpty();
    JsonNode upload = document().path("paths").path("/v1/assets").path("post").path("requestBody");
    assertThat(upload.path("required").asBoolean()).isTrue();
    assertThat(
            upload
                .path("content")
                .path("application/octet-stream")
                .path("schema")
                .path("format")
                .asString())
        .isEqualTo("binary");
  }

  @Test
  void closedSetsWhenDescribedThenEnumerateTheJavaEnums() {
    JsonNode schemas = document().path("components").path("schemas");
    assertThat(schemas.path("Role").path("enum").toString())
        .isEqualTo(
            values(
                java.util.Arrays.stream(dev.engines.core.scope.Role.values())
                    .map(dev.engines.core.scope.Role::wire)
                    .toList()));
    assertThat(schemas.path("Env").path("enum").toString())
        .isEqualTo(
            values(
                java.util.Arrays.stream(dev.engines.core.scope.Env.values())
                    .map(dev.engines.core.scope.Env::wire)
                    .toList()));
    assertThat(schemas.path("CreateKey").path("properties").path("role").path("$ref").asString())
        .endsWith("/Role");
    assertThat(
            schemas
                .path("KeyView")
                .path("properties")
                .path("envs")
                .path("items")
                .path("$ref")
                .asString())
        .endsWith("/Env");
    assertThat(schemas.path("CreateKey").path("properties").path("kind").path("enum").toString())
        .isEqualTo("[\"personal\",\"service\"]");
    assertThat(schemas.path("RefType").path("enum").toString())
        .isEqualTo(
            values(
                java.util.Arrays.stream(dev.engines.ledger.RefType.values())
                    .map(dev.engines.ledger.RefType::wire)
                    .toList()));
    assertThat(schemas.path("Ref").path("properties").path("type").path("$ref").asString())
        .endsWith("/RefType");
  }

  private static String values(List<String> values) {
    return TestApi.JSON.writeValueAsString(values);
  }

  /** A JSON body has a named (or array of named) schema; raw bodies are binary strings. */
  private static void check(String where, String type, JsonNode media, List<String> problems) {
    JsonNode schema = media.path("schema");
    switch (type) {
      case "application/json", "application/problem+json" -> {
        JsonNode named =
            schema.path("type").asString("").equals("array") ? schema.path("items") : schema;
        if (!named.has("$ref") && !where.contains("/v1/config/{slot} request")) {
          problems.add(where + ": schema is not a named type: " + schema);
        }
      }
      case "application/octet-stream" -> {
        if (!schema.path("format").asString("").equals("binary")) {
          problems.add(where + ": raw body is not described as binary");
        }
      }
      default -> problems.add(where + ": unexpected media type");
    }
  }

  private JsonNode document() {
    TestApi.Response doc = api.get("/v3/api-docs").send();
    assertThat(doc.status()).as("%s", doc).isEqualTo(200);
    return doc.json();
  }

  /** Every operation by "METHOD path". */
  private Map<String, JsonNode> operations() {
    Map<String, JsonNode> operations = new TreeMap<>();
    document()
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op ->
                            operations.put(
                                op.getKey().toUpperCase(java.util.Locale.ROOT)
                                    + " "
                                    + path.getKey(),
                                op.getValue())));
    assertThat(operations).hasSizeGreaterThan(40);
    return operations;
  }

  /**
   * Names the wire sees: schema property names, required entries and query parameter names, with
   * where they are.
   */
  private static void collectNames(String where, JsonNode node, List<String> names) {
    if (node.isObject()) {
      if (node.path("properties").isObject() && !where.endsWith(".properties")) {
        node.get("properties")
            .propertyNames()
            .forEach(name -> names.add(where + ".properties." + name));
      }
      if (node.path("required").isArray()) {
        node.get("required").forEach(name -> names.add(where + ".required." + name.asString()));
      }
      if (node.path("in").asString("").equals("query")) {
        names.add(where + ".query." + node.path("name").asString());
      }
      node.properties()
          .forEach(
              e ->
                  collectNames(
                      where.isEmpty() ? e.getKey() : where + "." + e.getKey(),
                      e.getValue(),
                      names));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectNames(where + "[" + i + "]", node.get(i), names);
      }
    }
  }

  /** The node with object members in name order, so the committed copy diffs line by line. */
  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = TestApi.JSON.createObjectNode();
      Map<String, JsonNode> members = new TreeMap<>();
      node.properties().forEach(e -> members.put(e.getKey(), e.getValue()));
      members.forEach((name, value) -> out.set(name, sorted(value)));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = TestApi.JSON.createArrayNode();
      node.forEach(item -> out.add(sorted(item)));
      return out;
    }
    return node;
  }

  /** JSON pointers where the two documents differ (at most 50). */
  private static void diff(String at, JsonNode expected, JsonNode actual, List<String> out) {
    if (out.size() >= 50 || expected.equals(actual)) {
      return;
    }
    if (expected.isObject() && actual.isObject()) {
      Set<String> names = new HashSet<>(expected.propertyNames());
      names.addAll(actual.propertyNames());
      names.stream()
          .sorted()
          .forEach(name -> diff(at + "/" + name, expected.path(name), actual.path(name), out));
    } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
      for (int i = 0; i < expected.size(); i++) {
        diff(at + "/" + i, expected.get(i), actual.get(i), out);
      }
    } else {
      out.add(
          at
              + (expected.isMissingNode()
                  ? " (added)"
                  : actual.isMissingNode() ? " (removed)" : " (changed)"));
    }
  }
}
