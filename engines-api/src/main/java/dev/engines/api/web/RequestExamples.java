package dev.engines.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * One example request body per JSON operation, kept in {@code openapi/request-examples.json} by
 * operationId and written into the document's request bodies, so the reader of the document (and a
 * generated client's docs) sees a body the route accepts. {@code OpenApiExamplesIntegrationTests}
 * holds every example to the document's schema and to the route's own body type and validation.
 */
final class RequestExamples implements OpenApiCustomizer {

  static final String RESOURCE = "openapi/request-examples.json";

  private final Map<String, JsonNode> examples;

  RequestExamples() {
    this.examples = load();
  }

  /**
   * The examples by operationId, as written in the resource (Jackson 2: swagger-models' own
   * mapper).
   */
  static Map<String, JsonNode> load() {
    try (InputStream in = RequestExamples.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      Map<String, JsonNode> byOperation = new TreeMap<>();
      Json.mapper()
          .readTree(in)
          .properties()
          .forEach(e -> byOperation.put(e.getKey(), e.getValue()));
      return byOperation;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  @Override
  public void customise(OpenAPI openApi) {
    openApi
        .getPaths()
        .values()
        .forEach(
            path ->
                path.readOperations()
                    .forEach(
                        operation -> {
                          JsonNode example = examples.get(operation.getOperationId());
                          if (example == null
                              || operation.getRequestBody() == null
                              || operation.getRequestBody().getContent() == null) {
                            return;
                          }
                          MediaType json =
                              operation.getRequestBody().getContent().get("application/json");
                          if (json != null) {
                            json.setExample(example);
                          }
                        }));
  }
}
