package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.TestApi;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The document's request examples and closed sets tell a client what the routes accept, so they are
 * held to the routes themselves: every JSON request body has an example; each example is valid
 * under the document's own schema (JSON Schema 2020-12, the dialect of OpenAPI 3.1) and binds to
 * the route's body type with the application's mapper and Bean Validation. A schema that
 * contradicts the route (a turn's role documented as a tenant role) fails here, as a generated
 * client would.
 */
class OpenApiExamplesIntegrationTests extends IntegrationTest {

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  private RequestMappingHandlerMapping handlers;

  @Autowired private JsonMapper json;

  @Autowired private Validator validator;

  @Test
  void jsonRequestBodiesWhenDocumentedThenEachHasAnExampleAndNoExampleIsStale() {
    Map<String, JsonNode> bodies = jsonRequestBodies();
    assertThat(bodies).hasSizeGreaterThan(30);
    List<String> missing = new ArrayList<>();
    bodies.forEach(
        (id, media) -> {
          if (!media.has("example")) {
            missing.add(id);
          }
        });
    assertThat(missing)
        .as("JSON request bodies without an example (openapi/request-examples.json)")
        .isEmpty();
    assertThat(new TreeSet<>(RequestExamples.load().keySet()))
        .as("examples of operations that take no JSON body")
        .isEqualTo(new TreeSet<>(bodies.keySet()));
  }

  @Test
  void examplesWhenCheckedAgainstTheDocumentThenMatchTheirSchemas() {
    JsonNode document = document();
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    List<String> errors = new ArrayList<>();
    jsonRequestBodies()
        .forEach(
            (id, media) -> {
              ObjectNode root = (ObjectNode) document.deepCopy();
              root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
              root.set("x-target", media.path("schema"));
              root.put("$ref", "#/x-target");
              Schema schema = registry.getSchema(root);
              schema
                  .validate(media.path("example"))
                  .forEach(error -> errors.add(id + ": " + error));
            });
    assertThat(errors).as("examples the document's own schemas refuse").isEmpty();
  }

  @Test
  void examplesWhenReadByTheirRoutesThenBindAndPassValidation() {
    Map<String, HandlerMethod> byOperation = new TreeMap<>();
    handlers
        .getHandlerMethods()
        .values()
        .forEach(
            handler -> {
              Operation operation = handler.getMethodAnnotation(Operation.class);
              if (operation != null && !operation.operationId().isEmpty()) {
                byOperation.put(operation.operationId(), handler);
              }
            });
    List<String> problems = new ArrayList<>();
    RequestExamples.load()
        .forEach(
            (id, example) -> {
              HandlerMethod handler = byOperation.get(id);
              MethodParameter body = handler == null ? null : bodyParameter(handler);
              if (body == null) {
                problems.add(id + ": no route with a @RequestBody has this operationId");
                return;
              }
              try {
                Object bound =
                    json.readValue(
                        example.toString(), json.constructType(body.getGenericParameterType()));
                Set<ConstraintViolation<Object>> violations = validator.validate(bound);
                violations.forEach(
                    v -> problems.add(id + ": " + v.getPropertyPath() + " " + v.getMessage()));
              } catch (RuntimeException e) {
                problems.add(
                    id
                        + ": does not bind to "
                        + body.getGenericParameterType()
                        + ": "
                        + e.getMessage());
              }
            });
    assertThat(problems).as("examples the routes would refuse").isEmpty();
  }

  @Test
  void closedSetsWhenKeptByEnginesThenEveryEntryReachesItsSchema() {
    JsonNode schemas = document().path("components").path("schemas");
    List<String> problems = new ArrayList<>();
    for (EngineClosedSets.Entry entry : EngineClosedSets.ENTRIES) {
      JsonNode property = schemas.path(entry.schema()).path("properties").path(entry.property());
      JsonNode target = entry.mapValues() ? property.path("additionalProperties") : property;
      if (!target.path("enum").toString().equals(TestApi.JSON.writeValueAsString(entry.values()))) {
        problems.add(entry.schema() + "." + entry.property() + " is " + target);
      }
    }
    assertThat(problems).as("closed sets that did not reach the document").isEmpty();
    // Regression: every property named role was documented as a tenant role, a turn's role too.
    assertThat(schemas.path("AppendTurn").path("properties").path("role").path("enum").toString())
        .isEqualTo("[\"assistant\",\"system\",\"tool\",\"user\"]");
  }

  @Test
  void tenantRoutesWhenDocumentedThenNameTheGatesRefusalsAndHeaders() {
    JsonNode document = document();
    JsonNode upload = document.path("paths").path("/v1/assets").path("post").path("responses");
    JsonNode tooMany = document.path("components").path("responses").path("TooManyRequests");
    assertThat(upload.path("429").path("$ref").asString())
        .isEqualTo("#/components/responses/TooManyRequests");
    assertThat(tooMany.path("headers").has("Retry-After")).isTrue();
    assertThat(tooMany.path("description").asString()).contains("rate_limited", "quota_exceeded");
    assertThat(upload.path("402").path("$ref").asString())
        .isEqualTo("#/components/responses/BudgetExceeded");
    assertThat(
            document
                .path("components")
                .path("responses")
                .path("BudgetExceeded")
                .path("description")
                .asString())
        .contains("budget_exceeded");
    assertThat(upload.path("403").path("description").asString()).contains("kill_switch_blocked");
    assertThat(upload.path("201").path("headers").path("RateLimit").path("$ref").asString())
        .isEqualTo("#/components/headers/RateLimit");
    JsonNode operator =
        document.path("paths").path("/v1/operator/tenants").path("post").path("responses");
    assertThat(operator.has("429")).as("operator routes pass no gate").isFalse();
  }

  private static MethodParameter bodyParameter(HandlerMethod handler) {
    for (MethodParameter parameter : handler.getMethodParameters()) {
      if (parameter.hasParameterAnnotation(RequestBody.class)) {
        return parameter;
      }
    }
    return null;
  }

  /** Every operation's JSON request body (its media type object), by operationId. */
  private Map<String, JsonNode> jsonRequestBodies() {
    Map<String, JsonNode> bodies = new TreeMap<>();
    document()
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op -> {
                          JsonNode media =
                              op.getValue()
                                  .path("requestBody")
                                  .path("content")
                                  .path("application/json");
                          if (!media.isMissingNode()) {
                            bodies.put(
                                op.getValue()
                                    .path("operationId")
                                    .asString(
                                        op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey()),
                                media);
                          }
                        }));
    return bodies;
  }

  private JsonNode document() {
    TestApi.Response doc = api.get("/v3/api-docs").send();
    assertThat(doc.status()).as("%s", doc).isEqualTo(200);
    return doc.json();
  }
}
