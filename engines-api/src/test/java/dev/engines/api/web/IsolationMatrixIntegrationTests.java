package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.api.support.GateFixtures;
import dev.engines.api.support.IntegrationTest;
import dev.engines.api.support.NexusFixtures;
import dev.engines.api.support.RawHttp;
import dev.engines.api.support.SessionFixtures;
import dev.engines.api.support.TestApi;
import dev.engines.api.support.TestTenants.Fixture;
import dev.engines.api.support.TestTenants.Member;
import dev.engines.api.support.VectorFixtures;
import dev.engines.core.scope.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Attacks every tenant-scoped route: 2 tenants × 2 envs × every kind of principal × every way of
 * reaching across a boundary (another tenant, another env, and, on routes that name a principal, up
 * the tenant's ranks: a principal of the attacker's own rank or above). Routes come from the
 * handler mapping, so a new route joins the matrix by existing; a route whose path variable has no
 * fixture below fails the test until one is added.
 */
class IsolationMatrixIntegrationTests extends IntegrationTest {

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  /**
   * The ways of reaching across a boundary. {@code PEER_PRINCIPAL} and {@code SUPERIOR_PRINCIPAL}
   * run only on routes that name a principal (a member or a key): in the attacker's own tenant/env,
   * against another principal of the attacker's rank, or of the next rank up (an owner for owners).
   */
  enum Case {
    OWN_RESOURCE,
    OTHER_TENANT_ID,
    OTHER_TENANT_HEADER,
    OTHER_ENV,
    MISSING_HEADERS,
    PEER_PRINCIPAL,
    SUPERIOR_PRINCIPAL;

    boolean ranked() {
      return this == PEER_PRINCIPAL || this == SUPERIOR_PRINCIPAL;
    }

    Role target(Role attacker) {
      return this == PEER_PRINCIPAL
          ? attacker
          : Role.values()[Math.min(attacker.ordinal() + 1, Role.OWNER.ordinal())];
    }
  }

  /**
   * How the matrix makes a resource for a path variable (given its owner and the env the cell runs
   * in), whether that resource lives in one env, and whether its id belongs to one tenant. A name
   * that every tenant shares (a config slot) has no other tenant's id to probe with: the request
   * resolves it in the caller's own tenant/env, so it is expected to succeed there.
   */
  record VariableFixture(
      boolean envScoped,
      boolean tenantOwned,
      BiFunction<Member, String, String> fresh,
      Ranked ranked) {
    VariableFixture(boolean envScoped, BiFunction<Member, String, String> fresh) {
      this(envScoped, true, fresh, null);
    }

    VariableFixture(
        boolean envScoped, boolean tenantOwned, BiFunction<Member, String, String> fresh) {
      this(envScoped, tenantOwned, fresh, null);
    }
  }

  /**
   * A path variable that names a principal: {@code atRank} makes one of a role (given the tenant's
   * owner); callers below {@code visibleFrom} see only their own, so others' answer 404.
   */
  record Ranked(Role visibleFrom, BiFunction<Member, Role, String> atRank) {}

  /**
   * The rank rule of members and keys: owners manage everyone; admins the ranks below their own.
   */
  private static boolean manages(Role caller, Role target) {
    return caller == Role.OWNER || (caller == Role.ADMIN && !target.atLeast(Role.ADMIN));
  }

  private Map<String, VariableFixture> variableFixtures() {
    NexusFixtures nexus = new NexusFixtures(api);
    GateFixtures gates = new GateFixtures(api);
    SessionFixtures sessions = new SessionFixtures(api);
    VectorFixtures vectors = new VectorFixtures(api);
    return Map.ofEntries(
        Map.entry(
            "userId",
            new VariableFixture(
                false,
                true,
                (owner, env) -> tenants.user(owner, "viewer").userId(),
                new Ranked(
                    Role.VIEWER, (owner, role) -> tenants.user(owner, role.wire()).userId()))),
        Map.entry(
            "keyId",
            new VariableFixture(
                false,
                true,
                (owner, env) -> tenants.serviceKey(owner, "viewer", null, false).keyId(),
                new Ranked(Role.ADMIN, (owner, role) -> tenants.user(owner, role.wire()).keyId()))),
        Map.entry("assetId", new VariableFixture(true, nexus::asset)),
        Map.entry("atomId", new VariableFixture(true, nexus::atom)),
        Map.entry("holdId", new VariableFixture(false, (owner, env) -> tenants.legalHold(owner))),
        Map.entry("slot", new VariableFixture(false, false, (owner, env) -> "storage")),
        // KPI names and surfaces are names a tenant chooses, like slots: every tenant may have its
        // own.
        Map.entry(
            "kpi",
            new VariableFixture(false, false, (owner, env) -> gates.kpi(owner, env, "checkout"))),
        Map.entry("surface", new VariableFixture(false, false, (owner, env) -> "checkout")),
        Map.entry(
            "lockId",
            new VariableFixture(
                true,
                (owner, env) ->
                    gates.draft(owner, env, "checkout", List.of("kpi:corridor_upsert")))),
        Map.entry(
            "snapshotId",
            new VariableFixture(true, (owner, env) -> gates.snapshot(owner, env, "checkout"))),
        // Sessions are the owner's: other users of the same tenant find them not found, like other
        // tenants.
        Map.entry("sessionId", new VariableFixture(true, sessions::session)),
        Map.entry("turnId", new VariableFixture(true, sessions::turn)),
        Map.entry("bundleId", new VariableFixture(true, sessions::bundle)),
        // A blackboard key is a name every session may use, like a slot.
        Map.entry("blackboardKey", new VariableFixture(false, false, (owner, env) -> "matrix.key")),
        // operator routes only: a purged tenant, whose retained records the operator reads (one
        // will do)
        Map.entry("tenantId", new VariableFixture(false, false, (owner, env) -> purgedTenant())),
        // Vector space names and vector ids are chosen by the tenant too: both tenants have space
        // docs with vector v-1 in every env, and each request must reach its own.
        Map.entry("space", new VariableFixture(false, false, vectors::space)),
        Map.entry("vectorId", new VariableFixture(false, false, vectors::vector)));
  }

  private String purged;

  private String purgedTenant() {
    if (purged == null) {
      purged = tenants.purgedTenant("mxp");
    }
    return purged;
  }

  /**
   * Valid bodies for mutating routes whose handler validates the body before looking the resource
   * up; other mutating routes get {@code {}}.
   */
  private static final Map<String, String> BODIES =
      Map.of(
          "PATCH /v1/users/{userId}", "{\"role\":\"viewer\"}",
          "POST /v1/assets/{assetId}/derivations", "{\"op_type\":\"text.lines\"}",
          "POST /v1/sessions/{sessionId}/turns", "{\"role\":\"user\",\"content\":\"hello\"}",
          "PUT /v1/sessions/{sessionId}/memory",
              "{\"pinned_refs\":[],\"summary_refs\":[],\"preferences\":{}}",
          "PUT /v1/sessions/{sessionId}/blackboard/{blackboardKey}", "{\"value\":1}",
          "POST /v1/sessions/{sessionId}/bundles",
              "{\"to_session_id\":\"matrix-target\",\"refs\":[{\"type\":\"external\",\"id\":\"x\"}]}");

  /**
   * A credential of the attacking tenant; {@code role} null for credentials that must not
   * authenticate; {@code userless} for a service key acting for nobody (no {@code X-User-Id}).
   */
  record Attacker(
      String name,
      String token,
      Role role,
      Set<String> envs,
      int brokenStatus,
      String brokenCode,
      boolean userless) {}

  private static List<Attacker> attackers(Fixture f) {
    return List.of(
        new Attacker("owner", f.owner().token(), Role.OWNER, null, 0, null, false),
        new Attacker("admin", f.admin().token(), Role.ADMIN, null, 0, null, false),
        new Attacker("member", f.member().token(), Role.MEMBER, null, 0, null, false),
        new Attacker("viewer", f.viewer().token(), Role.VIEWER, null, 0, null, false),
        new Attacker(
            "service-key(member,dev)",
            f.service().token(),
            Role.MEMBER,
            Set.of("dev"),
            0,
            null,
            true),
        new Attacker("anonymous", null, null, null, 401, "unauthenticated", false),
        new Attacker(
            "expired-key", f.expired().token(), null, null, 401, "credential_expired", false),
        new Attacker(
            "revoked-key", f.revoked().token(), null, null, 401, "credential_revoked", false),
        new Attacker(
            "deactivated-user",
            f.deactivated().token(),
            null,
            null,
            403,
            "user_deactivated",
            false),
        new Attacker("operator", TestApi.OPERATOR_TOKEN, null, null, 403, "forbidden_role", false));
  }

  @Test
  void everyTenantRouteWhenAttackedThenDeniedAndNothingLeaks() {
    Fixture a = tenants.fixture("mxa");
    Fixture b = tenants.fixture("mxb");
    for (Fixture f : List.of(a, b)) {
      for (String env : List.of("dev", "prod")) {
        tenants.configureNexus(f.owner(), env);
        tenants.configureSession(f.owner(), env);
      }
    }
    List<Routes.Route> routes = Routes.audience(mapping, RoutePolicy.Audience.TENANT);
    assertThat(routes).isNotEmpty();
    Map<String, VariableFixture> fixtures = variableFixtures();
    for (Routes.Route route : routes) {
      for (String variable : Routes.variables(route.pattern())) {
        assertThat(fixtures)
            .as(
                "%s: path variable {%s} needs a fixture in IsolationMatrixIntegrationTests",
                route, variable)
            .containsKey(variable);
      }
    }
    // shared: ids a tenant uses on its own resources, per env (they must never show up in the other
    // tenant); probes: ids the other tenant is attacked with (the attacker names them itself, so
    // its
    // own ledger may record them as the input refs of its failed requests).
    Map<String, Map<String, String>> shared = new LinkedHashMap<>();
    Map<String, Map<String, String>> probes = new LinkedHashMap<>();
    // ranks: per tenant and role, a principal of that role for each variable that names one
    // (tenant-level).
    Map<String, Map<Role, Map<String, String>>> ranks = new LinkedHashMap<>();
    for (Fixture f : List.of(a, b)) {
      Map<Role, Map<String, String>> byRole = new LinkedHashMap<>();
      for (Role role : Role.values()) {
        Map<String, String> ids = new LinkedHashMap<>();
        fixtures.forEach(
            (name, fixture) -> {
              if (fixture.ranked() != null) {
                ids.put(name, fixture.ranked().atRank().apply(f.owner(), role));
              }
            });
        byRole.put(role, ids);
      }
      ranks.put(f.tenantId(), byRole);
      for (String env : List.of("dev", "prod")) {
        for (Map<String, Map<String, String>> target : List.of(shared, probes)) {
          Map<String, String> ids = new LinkedHashMap<>();
          fixtures.forEach((name, fixture) -> ids.put(name, fixture.fresh().apply(f.owner(), env)));
          target.put(f.tenantId() + "/" + env, ids);
        }
      }
    }

    int cells = 0;
    int denied = 0;
    int leaked = 0;
    List<String> failures = new ArrayList<>();
    for (Fixture[] pair : new Fixture[][] {{a, b}, {b, a}}) {
      Fixture own = pair[0];
      Fixture other = pair[1];
      List<String> otherSecrets = new ArrayList<>(other.secrets());
      for (String otherEnv : List.of("dev", "prod")) {
        // Only ids that belong to the other tenant; a shared name (a config slot) is no secret.
        shared
            .get(other.tenantId() + "/" + otherEnv)
            .forEach(
                (variable, id) -> {
                  if (fixtures.get(variable).tenantOwned()) {
                    otherSecrets.add(id);
                  }
                });
      }
      for (String env : List.of("dev", "prod")) {
        for (Routes.Route route : routes) {
          List<String> variables = Routes.variables(route.pattern());
          boolean mutating = !route.method().equals("GET");
          boolean namesPrincipal =
              variables.stream().anyMatch(v -> fixtures.get(v).ranked() != null);
          for (Attacker attacker : attackers(own)) {
            for (Case c : Case.values()) {
              if (c.ranked() && (!namesPrincipal || attacker.role() == null)) {
                continue;
              }
              boolean tenantIds = variables.stream().anyMatch(v -> fixtures.get(v).tenantOwned());
              Expectation expected =
                  expect(route, attacker, c, env, tenantIds, fixtures, variables);
              Map<String, String> ids = new LinkedHashMap<>();
              for (String variable : variables) {
                boolean reachesHandler = expected.status() == 0 || expected.status() == 404;
                Fixture owner = c == Case.OTHER_TENANT_ID ? other : own;
                Ranked ranked = fixtures.get(variable).ranked();
                if (c.ranked() && ranked != null) {
                  Role target = c.target(attacker.role());
                  ids.put(
                      variable,
                      mutating && reachesHandler
                          ? ranked.atRank().apply(own.owner(), target)
                          : ranks.get(own.tenantId()).get(target).get(variable));
                  continue;
                }
                ids.put(
                    variable,
                    mutating && reachesHandler
                        ? fixtures.get(variable).fresh().apply(owner.owner(), env)
                        : (c == Case.OTHER_TENANT_ID ? probes : shared)
                            .get(owner.tenantId() + "/" + env)
                            .get(variable));
              }
              String path = Routes.expand(route.pattern(), ids);
              TestApi.Call call = api.call(route.method(), path).bearer(attacker.token());
              String requestEnv = c == Case.OTHER_ENV ? flip(env) : env;
              switch (c) {
                case MISSING_HEADERS -> {}
                case OTHER_TENANT_HEADER -> call.scope(other.tenantId(), requestEnv);
                default -> call.scope(own.tenantId(), requestEnv);
              }
              if (mutating) {
                call.json(BODIES.getOrDefault(route.toString(), "{}"));
              }
              TestApi.Response response = call.send();
              cells++;
              String cell =
                  route
                      + " as "
                      + attacker.name()
                      + " / "
                      + c
                      + " / "
                      + env
                      + " ("
                      + own.tenantId()
                      + ")";
              if (!expected.matches(response)) {
                failures.add(cell + ": expected " + expected + " got " + response);
              }
              if (response.status() == 401
                  || response.status() == 403
                  || response.status() == 404
                  || response.status() == 400) {
                denied++;
              }
              String body = response.body().replace(path, "");
              for (String secret : otherSecrets) {
                if (secret != null && body.contains(secret)) {
                  leaked++;
                  failures.add(cell + ": response contains another tenant's value " + secret);
                }
              }
            }
          }
        }
      }
    }
    System.out.printf(
        "isolation matrix: %d routes x %d principals x %d cases x 2 tenants x 2 envs (rank cases on routes naming a"
            + " principal) = %d requests, denied=%d, leaked=%d%n",
        routes.size(), attackers(a).size(), Case.values().length, cells, denied, leaked);
    assertThat(failures).as("isolation failures").isEmpty();
    assertThat(leaked).isZero();
    assertIntact(a);
    assertIntact(b);
  }

  /**
   * One request with hostile input. {@code status}/{@code code}/{@code field} are what it must
   * answer; 0/null means "any refusal": every case must be a problem below 500 either way.
   */
  record Hostile(
      String name,
      String method,
      String target,
      Map<String, String> headers,
      String body,
      int status,
      String code,
      String field) {}

  /**
   * C1 (NEL), a zero-width space (Tomcat reads its UTF-8 bytes as Latin-1, C1 included) and a BOM.
   */
  private static final List<String> HEADER_CHARACTERS = List.of("\u0085", "\u200b", "\ufeff");

  private static final Map<String, String> HEADER_CODES =
      Map.of(
          RequestHeaders.TENANT,
          "tenant_invalid",
          RequestHeaders.ENV,
          "env_invalid",
          RequestHeaders.USER,
          "user_invalid",
          RequestHeaders.AGENT,
          "agent_invalid",
          "Authorization",
          "header_invalid",
          RequestHeaders.API_KEY,
          "header_invalid");

  /**
   * Every route of the inventory (tenant, operator, public and framework ones) under hostile input:
   * bad percent-encoding and control characters in the query, control and zero-width characters in
   * each scoping header, path variants the firewall or Tomcat refuse, XML and forms, NUL in a body
   * field, a forged cursor. Whatever the route, the answer is a problem (code and request id) and
   * never a 5xx; where the input decides the answer, the code (and field) are checked too.
   */
  @Test
  void everyRouteWhenSentHostileInputThenProblemAndNever5xx() {
    Member owner = tenants.nexusTenant("mxh");
    tenants.configureSession(owner, "dev");
    RawHttp raw = new RawHttp(api.port());
    Map<String, VariableFixture> fixtures = variableFixtures();
    Map<String, String> realIds = new LinkedHashMap<>();
    List<Routes.Route> routes = Routes.all(mapping);
    int cases = 0;
    int serverErrors = 0;
    int nonProblems = 0;
    List<String> failures = new ArrayList<>();
    for (Routes.Route route : routes) {
      Map<String, String> dummies = new LinkedHashMap<>();
      for (String variable : Routes.variables(route.pattern())) {
        dummies.put(variable, variable.equals("slot") ? "storage" : "x_" + variable);
      }
      for (Hostile c :
          hostileCases(route, Routes.expand(route.pattern(), dummies), credentials(route, owner))) {
        failures.addAll(check(raw, route, c));
        cases++;
      }
      // A forged cursor and NUL in a body field must reach the handler: real ids, so nothing
      // answers 404 first.
      boolean lists =
          Arrays.stream(route.handler().getMethodParameters())
              .anyMatch(
                  p ->
                      "cursor".equals(p.getParameterName())
                          || p.hasParameterAnnotation(RequestParam.class)
                              && "cursor"
                                  .equals(p.getParameterAnnotation(RequestParam.class).name()));
      Optional<Routes.NulBody> nul = Routes.nulBody(route);
      if (lists || nul.isPresent()) {
        for (String variable : Routes.variables(route.pattern())) {
          realIds.computeIfAbsent(variable, v -> fixtures.get(v).fresh().apply(owner, "dev"));
        }
        String path = Routes.expand(route.pattern(), realIds);
        Map<String, String> headers = credentials(route, owner);
        if (lists) {
          failures.addAll(
              check(
                  raw,
                  route,
                  new Hostile(
                      "forged cursor",
                      route.method(),
                      path + "?cursor=zzz",
                      headers,
                      null,
                      400,
                      "cursor_invalid",
                      null)));
          cases++;
        }
        if (nul.isPresent()) {
          Map<String, String> json = new LinkedHashMap<>(headers);
          json.put("Content-Type", "application/json");
          failures.addAll(
              check(
                  raw,
                  route,
                  new Hostile(
                      "NUL in body field",
                      route.method(),
                      path,
                      json,
                      nul.get().json(),
                      400,
                      "validation_failed",
                      nul.get().field())));
          cases++;
        }
      }
    }
    for (String failure : failures) {
      if (failure.contains(" 5xx ")) {
        serverErrors++;
      } else if (failure.contains(" non-problem ")) {
        nonProblems++;
      }
    }
    System.out.printf(
        "isolation matrix (hostile input): %d routes, %d requests (bad encoding, control characters, paths, "
            + "XML, forms, NUL, forged cursors), 5xx=%d, non-problem=%d, unexpected=%d%n",
        routes.size(),
        cases,
        serverErrors,
        nonProblems,
        failures.size() - serverErrors - nonProblems);
    assertThat(failures).as("hostile input answers").isEmpty();
  }

  private static Map<String, String> credentials(Routes.Route route, Member owner) {
    Map<String, String> headers = new LinkedHashMap<>();
    RoutePolicy.Audience audience =
        route.policy() == null ? RoutePolicy.Audience.PUBLIC : route.policy().audience();
    if (audience == RoutePolicy.Audience.TENANT) {
      headers.put("Authorization", "Bearer " + owner.token());
      headers.put(RequestHeaders.TENANT, owner.tenantId());
      headers.put(RequestHeaders.ENV, "dev");
    } else if (audience == RoutePolicy.Audience.OPERATOR) {
      headers.put("Authorization", "Bearer " + TestApi.OPERATOR_TOKEN);
    }
    return headers;
  }

  private static List<Hostile> hostileCases(
      Routes.Route route, String path, Map<String, String> headers) {
    String method = route.method();
    List<Hostile> cases = new ArrayList<>();
    for (String query : List.of("%ff", "%ED%A0%80", "%zz", "a%00b", "%C2%85", "a%0Db")) {
      cases.add(
          new Hostile(
              "query " + query,
              method,
              path + "?probe=" + query,
              headers,
              null,
              400,
              "validation_failed",
              "probe"));
    }
    // An unassigned code point passes the boundary (it is no control character); the firewall
    // refuses it where it is read.
    cases.add(
        new Hostile(
            "query unassigned",
            method,
            path + "?cursor=%CD%B8&limit=%CD%B8",
            headers,
            null,
            0,
            null,
            null));
    for (var header : HEADER_CODES.entrySet()) {
      for (String character : HEADER_CHARACTERS) {
        Map<String, String> bad = new LinkedHashMap<>(headers);
        bad.put(header.getKey(), headers.getOrDefault(header.getKey(), "x") + character);
        boolean control = !character.equals("\ufeff");
        cases.add(
            new Hostile(
                header.getKey() + " U+" + Integer.toHexString(character.charAt(0)),
                method,
                path,
                bad,
                null,
                control ? 400 : 0,
                control ? header.getValue() : null,
                null));
      }
      Map<String, String> c0 = new LinkedHashMap<>(headers);
      c0.put(header.getKey(), headers.getOrDefault(header.getKey(), "x") + "\u0001");
      cases.add(
          new Hostile(header.getKey() + " U+1", method, path, c0, null, 400, "bad_request", null));
    }
    int second = path.indexOf('/', 1);
    String first = second < 0 ? path : path.substring(0, second);
    String rest = second < 0 ? "" : path.substring(second);
    for (String variant :
        List.of(
            first + ";x=1" + rest,
            "/" + path,
            first + "/." + rest,
            first + "/%2e%2e" + path,
            first + "/%25" + rest,
            path + "/%2e")) {
      cases.add(
          new Hostile(
              "path " + variant, method, variant, headers, null, 400, "request_rejected", null));
    }
    for (String variant :
        List.of(
            first + "%2f" + rest.substring(Math.min(1, rest.length())),
            first + "%5c" + rest,
            path + "%00",
            path + "%ff")) {
      cases.add(
          new Hostile("path " + variant, method, variant, headers, null, 400, "bad_request", null));
    }
    Map<String, String> xmlAccept = new LinkedHashMap<>(headers);
    xmlAccept.put("Accept", "application/xml");
    cases.add(new Hostile("Accept XML", method, path, xmlAccept, null, 0, null, null));
    if (!method.equals("GET")) {
      Map<String, String> xml = new LinkedHashMap<>(headers);
      xml.put("Content-Type", "application/xml");
      cases.add(
          new Hostile(
              "XML body", method, path, xml, "<probe><unknown>1</unknown></probe>", 0, null, null));
      Map<String, String> form = new LinkedHashMap<>(headers);
      form.put("Content-Type", "application/x-www-form-urlencoded");
      cases.add(new Hostile("form body", method, path, form, "probe=%ff&other=%00", 0, null, null));
    }
    return cases;
  }

  /**
   * The ways {@code c}'s answer is wrong (empty when it is right), each naming the route and the
   * case.
   */
  private static List<String> check(RawHttp raw, Routes.Route route, Hostile c) {
    String cell = route + " / " + c.name() + ": ";
    TestApi.Response r;
    try {
      r = raw.send(c.method(), c.target(), c.headers(), c.body());
    } catch (RuntimeException e) {
      return List.of(cell + "no answer " + e);
    }
    List<String> wrong = new ArrayList<>();
    String type = r.header("Content-Type");
    // Only a problem's body is parsed: Tomcat's and Spring's default error bodies are HTML or other
    // JSON.
    boolean problem = type != null && type.startsWith("application/problem+json");
    String code = problem ? r.code() : null;
    if (r.status() >= 500) {
      wrong.add(cell + "5xx " + r);
    }
    if (r.status() >= 400 && (code == null || r.text("request_id") == null)) {
      wrong.add(cell + "non-problem " + r);
    } else if (r.status() < 400 && c.status() != 0) {
      wrong.add(cell + "accepted " + r.status());
    }
    if (c.status() != 0 && r.status() != c.status() || c.code() != null && !c.code().equals(code)) {
      wrong.add(cell + "expected " + c.status() + " " + c.code() + ", got " + r);
    } else if (c.field() != null
        && !r.json().path("errors").path(0).path("field").asString("").equals(c.field())) {
      wrong.add(cell + "expected field " + c.field() + ", got " + r);
    }
    return wrong;
  }

  /**
   * The attacks changed nothing in either tenant's fixture: every member still active with their
   * role.
   */
  private void assertIntact(Fixture f) {
    for (Member m : List.of(f.owner(), f.admin(), f.member(), f.viewer())) {
      TestApi.Response me = api.get("/v1/me").as(m, "dev").send();
      assertThat(me.status()).as("%s still works", m.userId()).isEqualTo(200);
    }
    assertThat(api.get("/v1/me").as(f.owner(), "dev").send().text("role")).isEqualTo("owner");
    assertThat(api.get("/v1/me").as(f.admin(), "dev").send().text("role")).isEqualTo("admin");
    assertThat(api.get("/v1/me").as(f.viewer(), "dev").send().text("role")).isEqualTo("viewer");
  }

  /**
   * status 0 means "allowed": the route ran (any non-5xx answer but 401 and tenant/env denials).
   */
  record Expectation(int status, String code) {
    boolean matches(TestApi.Response response) {
      if (status == 0) {
        if (response.status() >= 500 || response.status() == 401) {
          return false;
        }
        if (response.status() == 403) {
          return "forbidden_role".equals(response.code());
        }
        return response.status() != 400 || "validation_failed".equals(response.code());
      }
      return response.status() == status && (code == null || code.equals(response.code()));
    }

    @Override
    public String toString() {
      return status == 0 ? "allowed" : status + (code == null ? "" : " " + code);
    }
  }

  private static Expectation expect(
      Routes.Route route,
      Attacker attacker,
      Case c,
      String env,
      boolean hasIds,
      Map<String, VariableFixture> fixtures,
      List<String> variables) {
    if (attacker.brokenStatus() == 401) {
      return new Expectation(401, attacker.brokenCode());
    }
    if (c == Case.MISSING_HEADERS) {
      return new Expectation(400, "tenant_required");
    }
    if (c == Case.OTHER_TENANT_HEADER) {
      return new Expectation(
          403,
          attacker.role() == null && attacker.name().equals("operator")
              ? "forbidden_role"
              : "tenant_mismatch");
    }
    if (attacker.role() == null) {
      return new Expectation(attacker.brokenStatus(), attacker.brokenCode());
    }
    String requestEnv = c == Case.OTHER_ENV ? flip(env) : env;
    if (attacker.envs() != null && !attacker.envs().contains(requestEnv)) {
      return new Expectation(403, "env_forbidden");
    }
    if (!attacker.role().atLeast(route.policy().role())) {
      return new Expectation(403, "forbidden_role");
    }
    if (attacker.userless() && route.policy().surface().equals("session")) {
      // Sessions belong to users: a service key names one with X-User-Id before any id is looked
      // up.
      return new Expectation(400, "user_required");
    }
    if (c == Case.OTHER_TENANT_ID && hasIds) {
      return new Expectation(404, "not_found");
    }
    if (c == Case.OTHER_ENV && variables.stream().anyMatch(v -> fixtures.get(v).envScoped())) {
      return new Expectation(404, "not_found");
    }
    if (c.ranked() && !manages(attacker.role(), c.target(attacker.role()))) {
      Ranked ranked =
          variables.stream()
              .map(v -> fixtures.get(v).ranked())
              .filter(r -> r != null)
              .findFirst()
              .orElseThrow();
      if (!attacker.role().atLeast(ranked.visibleFrom())) {
        return new Expectation(404, "not_found");
      }
      return route.method().equals("GET")
          ? new Expectation(0, null)
          : new Expectation(403, "forbidden_role");
    }
    return new Expectation(0, null);
  }

  private static String flip(String env) {
    return env.equals("dev") ? "prod" : "dev";
  }
}
