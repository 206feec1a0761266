package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.IntegrationTest;
import dev.engines.gates.GateActions;
import dev.engines.kpi.KpiActions;
import dev.engines.ledger.RequestLedger;
import dev.engines.session.SessionActions;
import dev.engines.vector.VectorActions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

class RouteInventoryIntegrationTests extends IntegrationTest {

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  @Test
  void everyRouteWhenRegisteredThenDeclaresScopeAndRolePolicy() {
    List<Routes.Route> routes = Routes.all(mapping);
    List<String> undeclared =
        routes.stream()
            .filter(r -> r.policy() == null && !r.infrastructure())
            .map(Routes.Route::toString)
            .toList();
    System.out.printf(
        "route inventory: %d routes, %d tenant-scoped, %d operator, %d public/infrastructure%n",
        routes.size(),
        routes.stream()
            .filter(r -> r.policy() != null && r.policy().audience() == RoutePolicy.Audience.TENANT)
            .count(),
        routes.stream()
            .filter(
                r -> r.policy() != null && r.policy().audience() == RoutePolicy.Audience.OPERATOR)
            .count(),
        routes.stream()
            .filter(r -> r.policy() == null || r.policy().audience() == RoutePolicy.Audience.PUBLIC)
            .count());
    assertThat(undeclared).as("routes without @RoutePolicy").isEmpty();
    assertThat(routes)
        .as("the application registers tenant routes")
        .anyMatch(r -> r.policy() != null && r.policy().audience() == RoutePolicy.Audience.TENANT);
  }

  @Test
  void everyEnginesRouteWhenDeclaredThenHasSurfaceAndAction() {
    assertThat(Routes.all(mapping).stream().filter(r -> r.policy() != null))
        .allSatisfy(
            r -> {
              assertThat(r.policy().surface()).as("%s surface", r).matches("^[a-z_]+$");
              assertThat(r.policy().action()).as("%s action", r).matches("^[a-z_]+\\.[a-z_.]+$");
            });
  }

  @Test
  void everyTenantRouteWhenDeclaredThenHasAnActionNameForTheGatesAndNoOtherRouteHasOne() {
    List<Routes.Route> routes =
        Routes.all(mapping).stream().filter(r -> r.policy() != null).toList();
    assertThat(routes.stream().filter(r -> r.policy().audience() == RoutePolicy.Audience.TENANT))
        .allSatisfy(
            r -> assertThat(r.policy().gate()).as("%s action name", r).matches(GateActions.NAME));
    assertThat(routes.stream().filter(r -> r.policy().audience() != RoutePolicy.Audience.TENANT))
        .allSatisfy(r -> assertThat(r.policy().gate()).as("%s action name", r).isEmpty());
    // The gated actions are actions of routes, so locks and the kill switch name real routes.
    assertThat(routes.stream().map(r -> r.policy().gate()))
        .contains(
            KpiActions.CORRIDOR_UPSERT,
            KpiActions.UPSERT_FLOORS,
            KpiActions.UPSERT_CEILINGS,
            KpiActions.UPSERT_WEIGHTS,
            GateActions.KILL_SWITCH_UPDATE,
            "nexus:derive",
            SessionActions.CREATE,
            SessionActions.TURN_APPEND,
            SessionActions.BLACKBOARD_PUT,
            SessionActions.BUNDLE_FORWARD,
            VectorActions.INGEST);
  }

  /**
   * The routes that create records, so that a retry would create them again: each accepts an
   * Idempotency-Key (docs/api.md, "Retries"). A new creating route joins this list; the operator's
   * tenant creation is idempotent by its natural key (the tenant id) instead.
   */
  private static final java.util.Set<String> CREATING =
      java.util.Set.of(
          "POST /v1/users",
          "POST /v1/api-keys",
          "POST /v1/strategy-locks",
          "POST /v1/temperature/{surface}/snapshots",
          "POST /v1/metrics/observations",
          "POST /v1/sessions",
          "POST /v1/sessions/{sessionId}/turns",
          "POST /v1/sessions/{sessionId}/bundles",
          "POST /v1/vector-spaces",
          "POST /v1/vector-spaces/{space}/index",
          "POST /v1/gdpr/legal-holds",
          "POST /v1/usage",
          "POST /v1/assets",
          "POST /v1/assets/presign",
          "POST /v1/assets/{assetId}/derivations");

  @Test
  void
      creatingRoutesWhenDeclaredThenExactlyTheListedTenantPostsAndTheDocumentOffersTheIdempotencyKey() {
    List<Routes.Route> routes =
        Routes.all(mapping).stream().filter(r -> r.policy() != null).toList();
    assertThat(routes.stream().filter(r -> r.policy().creates()).map(Routes.Route::toString))
        .containsExactlyInAnyOrderElementsOf(CREATING);
    assertThat(routes.stream().filter(r -> r.policy().creates()))
        .allSatisfy(
            r ->
                assertThat(r.policy().audience())
                    .as("%s", r)
                    .isEqualTo(RoutePolicy.Audience.TENANT));
    var paths = api.get("/v3/api-docs").send().json().get("paths");
    for (Routes.Route route :
        routes.stream()
            .filter(r -> r.policy().audience() != RoutePolicy.Audience.PUBLIC)
            .toList()) {
      var operation =
          paths.get(route.pattern()).get(route.method().toLowerCase(java.util.Locale.ROOT));
      assertThat(operation.get("parameters").toString().contains("\"Idempotency-Key\""))
          .as("%s documents Idempotency-Key", route)
          .isEqualTo(route.policy().creates());
      if (route.policy().creates()) {
        assertThat(operation.get("responses").has("422")).as("%s 422", route).isTrue();
      }
    }
  }

  @Test
  void heavyRoutesWhenDeclaredThenUploadsDerivationsSearchesAndIndexingOnlyAndAllTenantRoutes() {
    List<Routes.Route> heavy =
        Routes.all(mapping).stream().filter(r -> r.policy() != null && r.policy().heavy()).toList();
    assertThat(heavy)
        .allSatisfy(r -> assertThat(r.policy().audience()).isEqualTo(RoutePolicy.Audience.TENANT));
    assertThat(heavy.stream().map(r -> r.method() + " " + r.pattern()))
        .containsExactlyInAnyOrder(
            "POST /v1/assets",
            "POST /v1/assets/{assetId}/derivations",
            "POST /v1/vector-spaces/{space}/search",
            "POST /v1/vector-spaces/{space}/index");
  }

  @Test
  void everyPathVariableWhenDeclaredThenNamesOneRefType() {
    assertThat(Routes.all(mapping).stream().filter(r -> !r.infrastructure()))
        .allSatisfy(
            r ->
                Routes.variables(r.pattern())
                    .forEach(
                        v -> assertThat(RequestLedger.refType(v)).as("%s {%s}", r, v).isNotNull()));
  }

  @Test
  void everyRouteWhenUnknownQueryParameterThen400NamingIt() {
    // Guards against filters that are silently ignored (trace_id on /v1/events, derivation_id on
    // /v1/atoms).
    var owner = tenants.tenant("invq");
    List<String> failures = new java.util.ArrayList<>();
    for (Routes.Route route : Routes.all(mapping)) {
      if (route.infrastructure()) {
        continue;
      }
      String path =
          Routes.expand(route.pattern(), java.util.Map.of()).replaceAll("\\{[^}]+}", "x")
              + "?limit=1&no_such_filter=1";
      var call = api.call(route.method(), path);
      if (route.policy().audience() == RoutePolicy.Audience.OPERATOR) {
        call.operator();
      } else {
        call.as(owner, "dev");
      }
      if (!route.method().equals("GET")) {
        call.json("{}");
      }
      var r = call.send();
      boolean takesLimit = Routes.queryParameters(route).contains("limit");
      String named = r.json().path("errors").toString();
      if (r.status() != 400
          || !"validation_failed".equals(r.code())
          || !named.contains("\"no_such_filter\"")
          || named.contains("\"limit\"") == takesLimit) {
        failures.add(route + " -> " + r);
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void infrastructureHandlersWhenPresentThenOnlyFrameworkPublicDocuments() {
    assertThat(Routes.all(mapping).stream().filter(Routes.Route::infrastructure))
        .allSatisfy(
            r -> assertThat(r.handler().getBeanType().getName()).doesNotStartWith("dev.engines"));
  }

  @Test
  void openApiDocumentWhenFetchedThenDocumentsHeadersRolesAndProblems() {
    var doc = api.get("/v3/api-docs").send();
    assertThat(doc.status()).isEqualTo(200);
    var users = doc.json().get("paths").get("/v1/users").get("post");
    assertThat(users.get("description").asString()).contains("admin");
    assertThat(users.get("parameters").toString())
        .contains("X-Tenant-Id")
        .contains("X-Env")
        .contains("X-User-Id");
    assertThat(users.get("responses").get("403").get("content").has("application/problem+json"))
        .isTrue();
    for (Routes.Route route : Routes.audience(mapping, RoutePolicy.Audience.TENANT)) {
      var operation =
          doc.json()
              .get("paths")
              .get(route.pattern())
              .get(route.method().toLowerCase(java.util.Locale.ROOT));
      assertThat(operation).as("%s documented", route).isNotNull();
      assertThat(operation.get("parameters").toString())
          .as("%s headers", route)
          .contains("X-Tenant-Id");
      assertThat(operation.get("responses").has("401")).as("%s 401", route).isTrue();
    }
    assertThat(api.get("/swagger-ui/index.html").send().status()).isEqualTo(200);
  }
}
