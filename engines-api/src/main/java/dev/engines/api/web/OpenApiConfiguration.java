package dev.engines.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.engines.core.scope.Env;
import dev.engines.core.scope.Role;
import dev.engines.ledger.RefType;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document: every operation gets the scoping headers, the role it needs and the problem
 * responses it can answer with, all derived from its {@link RoutePolicy} so the document cannot
 * drift from what the interceptor enforces. Schemas carry the wire names: swagger-core reads types
 * with its own (Jackson 2) mapper, which is given the application mapper's naming strategy through
 * {@link JsonNames}, so a client generated from the document speaks snake_case.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

  private static final String PROBLEM_REF = "#/components/schemas/Problem";
  private static final String FIELD_ERROR_REF = "#/components/schemas/FieldError";

  /**
   * Resolves schemas with the wire names. springdoc puts ModelConverter beans ahead of its default
   * resolver, whose mapper knows nothing of {@code spring.jackson.property-naming-strategy}.
   */
  @Bean
  ModelResolver wireNameModelResolver(JsonNames names, SpringDocConfigProperties springdoc) {
    boolean openapi31 =
        springdoc.getApiDocs().getVersion()
            == SpringDocConfigProperties.ApiDocs.OpenApiVersion.OPENAPI_3_1;
    ObjectMapper mapper =
        (openapi31 ? Json31.mapper() : Json.mapper())
            .copy()
            .setPropertyNamingStrategy(
                new PropertyNamingStrategies.NamingBase() {
                  @Override
                  public String translate(String name) {
                    return names.property(name);
                  }
                });
    return new ModelResolver(mapper).openapi31(openapi31);
  }

  @Bean
  OpenAPI enginesOpenApi() {
    ObjectSchema fieldError = new ObjectSchema();
    fieldError
        .description(
            "One invalid field: its JSON path (dotted, with [index] for list elements) and the rule it breaks")
        .addProperty("field", new StringSchema().example("owner.display_name"))
        .addProperty("message", new StringSchema().example("must not be blank"));
    fieldError.setRequired(List.of("field", "message"));
    ObjectSchema problem = new ObjectSchema();
    problem
        .description("RFC 9457 problem details with a stable machine code")
        .addProperty("type", new StringSchema())
        .addProperty("title", new StringSchema())
        .addProperty("status", new IntegerSchema())
        .addProperty("detail", new StringSchema())
        .addProperty("instance", new StringSchema())
        .addProperty(
            "code",
            new StringSchema()
                .description("stable code, e.g. tenant_required, forbidden_role, not_found"))
        .addProperty("request_id", new StringSchema())
        .addProperty("trace_id", new StringSchema())
        .addProperty(
            "errors",
            new ArraySchema()
                .items(new Schema<>().$ref(FIELD_ERROR_REF))
                .description(
                    "validation_failed only: every invalid field, named by its JSON path"));
    problem.setRequired(
        List.of("type", "title", "status", "detail", "instance", "code", "request_id", "trace_id"));
    return new OpenAPI()
        .info(
            new Info()
                .title("Engines API")
                .version("v1")
                .description(
                    "Multi-tenant deterministic engines. Tenant-scoped routes need X-Tenant-Id and X-Env; "
                        + "errors are application/problem+json with a stable code."))
        // Relative: the document is served by the API it describes, wherever that runs.
        .servers(List.of(new Server().url("/").description("This server")))
        .components(
            new Components()
                .addSchemas("FieldError", fieldError)
                .addSchemas("Problem", problem)
                .addResponses(
                    "TooManyRequests",
                    gateRefusal(
                        "Over a rate limit of the tenant, env, key or route class"
                            + " (rate_limited) or a quota of the env (quota_exceeded)",
                        true))
                .addResponses(
                    "BudgetExceeded",
                    gateRefusal(
                        "A budget of the env's gates slot is spent for this period"
                            + " (budget_exceeded)",
                        false))
                .addHeaders(
                    "RateLimit-Policy",
                    new Header()
                        .schema(new StringSchema())
                        .description(
                            "The limits this request took from, e.g. \"env\";q=3000;w=60 (draft-ietf-httpapi-ratelimit-headers)"))
                .addHeaders(
                    "RateLimit",
                    new Header()
                        .schema(new StringSchema())
                        .description(
                            "Where each limit stands after this request, e.g. \"env\";r=2999;t=1"))
                .addSecuritySchemes(
                    "bearer",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description(
                            "An API key (eng_…), an OIDC JWT from a trusted issuer, or the operator token (eop_…)"))
                .addSecuritySchemes(
                    "apiKey",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER)
                        .name(RequestHeaders.API_KEY)));
  }

  /**
   * The closed sets the Java enums define, as shared schemas: every schema property named {@code
   * role} is a {@link Role}, {@code env} an {@link Env}, {@code envs} a list of them, and an event
   * ref's {@code type} a {@link RefType}. Derived from the enums, so a new role, env or ref type
   * reaches the document by itself.
   */
  @Bean
  @SuppressWarnings({"rawtypes", "unchecked"}) // swagger-models' maps hold raw Schema
  OpenApiCustomizer closedSetCustomizer() {
    return openApi -> {
      Map<String, Schema> schemas = openApi.getComponents().getSchemas();
      EngineClosedSets.apply(schemas);
      schemas.put(
          "Role",
          new StringSchema()
              .description("A tenant role; owner ⊃ admin ⊃ member ⊃ viewer")
              ._enum(Arrays.stream(Role.values()).map(Role::wire).toList()));
      schemas.put(
          "Env",
          new StringSchema()
              .description("An environment of a tenant")
              ._enum(Arrays.stream(Env.values()).map(Env::wire).toList()));
      schemas.put(
          "RefType",
          new StringSchema()
              .description("What a DatasetEvent ref names (docs/api.md, \"Refs\")")
              ._enum(Arrays.stream(RefType.values()).map(RefType::wire).toList()));
      if (schemas.get("Ref") != null) {
        schemas
            .get("Ref")
            .getProperties()
            .computeIfPresent("type", (name, property) -> ref("RefType", (Schema) property));
      }
      schemas
          .values()
          .forEach(
              schema -> {
                Map<String, Schema> properties = schema.getProperties();
                if (properties == null) {
                  return;
                }
                // A property with a closed set of its own (a turn's role) keeps it; the shared sets
                // fill the rest.
                properties.computeIfPresent(
                    "role",
                    (name, property) ->
                        property.getEnum() == null ? ref("Role", property) : property);
                properties.computeIfPresent(
                    "env",
                    (name, property) ->
                        property.getEnum() == null ? ref("Env", property) : property);
                properties.computeIfPresent(
                    "envs", (name, property) -> property.items(ref("Env", property.getItems())));
              });
    };
  }

  private static Schema<?> ref(String name, Schema<?> replaced) {
    return new Schema<>()
        .$ref("#/components/schemas/" + name)
        .description(replaced.getDescription());
  }

  @Bean
  OpenApiCustomizer requestExampleCustomizer() {
    return new RequestExamples();
  }

  @Bean
  OperationCustomizer routePolicyCustomizer() {
    return (operation, handler) -> {
      RoutePolicy policy = handler.getMethodAnnotation(RoutePolicy.class);
      if (policy == null) {
        return operation;
      }
      operation.addParametersItem(
          header(
              RequestHeaders.REQUEST_ID,
              false,
              "Correlation id; synthesised when absent and echoed"));
      operation.addParametersItem(
          header(
              RequestHeaders.TRACEPARENT,
              false,
              "W3C trace context; echoed with this service's span"));
      if (policy.audience() == RoutePolicy.Audience.PUBLIC) {
        return operation;
      }
      operation.addSecurityItem(new SecurityRequirement().addList("bearer"));
      operation.addSecurityItem(new SecurityRequirement().addList("apiKey"));
      ApiResponses responses =
          operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
      responses.addApiResponse("401", problem("Missing, invalid, expired or revoked credential"));
      if (policy.audience() == RoutePolicy.Audience.OPERATOR) {
        responses.addApiResponse("403", problem("Not the operator credential (forbidden_role)"));
        describe(operation, "Operator credential only.", policy);
      } else {
        operation.addParametersItem(
            header(RequestHeaders.TENANT, true, "Tenant id, ^t_[a-z0-9_-]+$"));
        operation.addParametersItem(
            header(RequestHeaders.ENV, true, "dev | staging | prod (stage = staging)"));
        operation.addParametersItem(
            header(
                RequestHeaders.USER,
                false,
                "Act on behalf of this user (service keys with the grant only)"));
        responses.addApiResponse(
            "400",
            problem(
                "Missing or malformed headers or body (tenant_required, env_required, validation_failed)"));
        responses.addApiResponse(
            "403",
            problem(
                "Not a member, env not granted, or role too low (tenant_mismatch, env_forbidden,"
                    + " forbidden_role); or the env's kill switch disables this action (kill_switch_blocked)"));
        responses.addApiResponse(
            "404", problem("Not found in this tenant/env (other tenants' ids answer the same)"));
        gates(responses);
        describe(
            operation,
            "Requires role **" + policy.role().wire() + "** or higher in the tenant.",
            policy);
      }
      responses.addApiResponse("503", problem("A dependency is unavailable; retry later"));
      if (policy.creates()) {
        retries(operation, responses);
      }
      boolean conditional =
          operation.getParameters() != null
              && operation.getParameters().stream()
                  .anyMatch(p -> "header".equals(p.getIn()) && "If-Match".equals(p.getName()));
      if (conditional) {
        responses.addApiResponse(
            "412",
            problem(
                "If-Match names a version that is no longer current, or a weak tag"
                    + " (precondition_failed): read the resource again and retry with its ETag"));
      }
      responses.forEach(
          (status, response) -> {
            if (status.equals("201")) {
              response.addHeaderObject(
                  "Location",
                  new Header().description("The created resource").schema(new StringSchema()));
            }
          });
      if (policy.audience() == RoutePolicy.Audience.TENANT) {
        rateLimitHeaders(responses);
      }
      operation.setResponses(responses);
      return operation;
    };
  }

  /**
   * A creating route's retries (docs/api.md, "Retries"): the Idempotency-Key header, the problems
   * it adds and the header that marks a replayed answer.
   */
  private static void retries(Operation operation, ApiResponses responses) {
    operation.addParametersItem(
        new HeaderParameter()
            .name("Idempotency-Key")
            .required(false)
            .description(
                "Makes a retry safe: the same key with the same request within 24 h answers the first response again"
                    + " (Idempotent-Replayed: true) instead of running twice; 1 to 255 printable ASCII characters, bare or quoted")
            .schema(new StringSchema().minLength(1).maxLength(255)));
    responses.forEach(
        (status, response) -> {
          if (status.startsWith("2")) {
            response.addHeaderObject(
                "Idempotent-Replayed",
                new Header()
                    .description(
                        "true when this is the response kept for the Idempotency-Key, sent again")
                    .schema(new StringSchema()._enum(List.of("true"))));
          }
        });
    responses.addApiResponse(
        "400",
        problem(
            "Missing or malformed headers or body (tenant_required, env_required,"
                + " validation_failed, idempotency_key_invalid)"));
    responses.addApiResponse(
        "409",
        problem(
            "The first request with this Idempotency-Key is still running"
                + " (idempotency_key_in_flight, with Retry-After) or changed data without a response to replay (idempotency_outcome_unknown);"
                + " or the route's own conflicts"));
    responses.addApiResponse(
        "422",
        problem("This Idempotency-Key was used with another request (idempotency_key_reused)"));
  }

  /**
   * The refusals the gates add to every tenant route (docs/api.md, "Rate limits, quotas and
   * budgets"), shared from the components, and the IETF rate-limit headers on the answers a client
   * paces itself by (successes and those refusals; every answer of a request that reached the gates
   * carries them).
   */
  private static void gates(ApiResponses responses) {
    responses.addApiResponse(
        "429", new ApiResponse().$ref("#/components/responses/TooManyRequests"));
    responses.addApiResponse(
        "402", new ApiResponse().$ref("#/components/responses/BudgetExceeded"));
  }

  private static void rateLimitHeaders(ApiResponses responses) {
    responses.forEach(
        (status, response) -> {
          if (status.startsWith("2")) {
            response.addHeaderObject(
                "RateLimit-Policy", new Header().$ref("#/components/headers/RateLimit-Policy"));
            response.addHeaderObject(
                "RateLimit", new Header().$ref("#/components/headers/RateLimit"));
          }
        });
  }

  private static ApiResponse gateRefusal(String description, boolean retryAfter) {
    ApiResponse response = problem(description);
    if (retryAfter) {
      response.addHeaderObject(
          "Retry-After",
          new Header()
              .description("Seconds until the limit admits the request again")
              .schema(new IntegerSchema()));
    }
    response.addHeaderObject(
        "RateLimit-Policy", new Header().$ref("#/components/headers/RateLimit-Policy"));
    response.addHeaderObject("RateLimit", new Header().$ref("#/components/headers/RateLimit"));
    return response;
  }

  private static void describe(Operation operation, String access, RoutePolicy policy) {
    String existing = operation.getDescription() == null ? "" : operation.getDescription() + "\n\n";
    operation.setDescription(
        existing
            + access
            + " Ledger: surface `"
            + policy.surface()
            + "`, action `"
            + policy.action()
            + "`, kind `"
            + policy.kind().name().toLowerCase(Locale.ROOT)
            + "`."
            + (policy.gate().isEmpty()
                ? ""
                : " Action name (kill switch, strategy locks): `" + policy.gate() + "`."));
  }

  private static Parameter header(String name, boolean required, String description) {
    return new HeaderParameter()
        .name(name)
        .required(required)
        .description(description)
        .schema(new StringSchema());
  }

  private static ApiResponse problem(String description) {
    return new ApiResponse()
        .description(description)
        .content(
            new Content()
                .addMediaType(
                    "application/problem+json",
                    new MediaType().schema(new Schema<>().$ref(PROBLEM_REF))));
  }
}
