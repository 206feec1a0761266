package dev.engines.api.safety;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The isolation suite run black-box against a running deployment, as {@code bin/engines gates
 * --url} does before a deploy: it knows the deployment only by its URL, its OpenAPI document and
 * the operator token. It creates two throwaway tenants (attacker A, victim B) with a principal of
 * every role, seeds B with resources, attacks every tenant and operator route of {@code
 * /v3/api-docs} in the dev and prod envs, then purges both tenants.
 *
 * <p>The attacks per route and env: no credential (must be 401); A's owner key with B's {@code
 * X-Tenant-Id}; A's owner key in A naming B's resources in the path (routes with a path variable B
 * was seeded with); A's dev-only service key in prod; A's key one role below the route's; for list
 * routes, A's owner reading its own tenant. A <b>leak</b> is a refused case answered 2xx or 3xx, or
 * any answer whose body holds one of B's ids, e-mails or tokens that the request did not itself
 * send. Answers that refuse with another status than the expected one, and 5xx, are counted apart:
 * they are worth a look but reveal nothing.
 *
 * <p>How a route is read from the document: it is a tenant route when it takes the {@code
 * X-Tenant-Id} header, an operator route when its description says "Operator credential only", and
 * the least role is the one its description names ("Requires role **admin** or higher").
 */
public final class BlackBoxIsolation {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern ROLE = Pattern.compile("Requires role \\*\\*(\\w+)\\*\\*");
  private static final Pattern VARIABLE = Pattern.compile("\\{([^}/]+)}");
  private static final List<String> ROLES = List.of("viewer", "member", "admin", "owner");
  private static final List<String> ENVS = List.of("dev", "prod");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final URI base;
  private final String operatorToken;
  private final URI apiDocs;
  private final PrintStream out;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /**
   * What the run found. {@code unexpected} are refusals with another status than expected, and 5xx.
   */
  public record Result(
      int routes,
      int requests,
      int leaked,
      int unexpected,
      List<String> leaks,
      List<String> oddities) {
    /** The one summary line. */
    public String summary() {
      return "isolation: routes="
          + routes
          + " requests="
          + requests
          + " leaked="
          + leaked
          + " unexpected="
          + unexpected;
    }
  }

  /**
   * A route of the document: its audience is {@code tenant}, {@code operator} or {@code public}.
   */
  record Route(String method, String path, String audience, String role, List<String> variables) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** A principal: its token, the user it is (null for service keys) and its key. */
  record Principal(String token, String userId, String keyId, String email) {}

  /** A throwaway tenant with a principal per role and a dev-only service key. */
  record Tenant(String id, Map<String, Principal> byRole, Principal devOnlyService) {
    Principal owner() {
      return byRole.get("owner");
    }
  }

  /** One answer. */
  record Answer(int status, String body) {}

  /**
   * @param base the deployment's root URL
   * @param operatorToken the operator credential ({@code eop_…})
   * @param apiDocs where the OpenAPI document is read; null for {@code <base>/v3/api-docs}
   * @param out where findings are printed, one line each
   */
  public BlackBoxIsolation(URI base, String operatorToken, URI apiDocs, PrintStream out) {
    this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
    this.operatorToken = operatorToken;
    this.apiDocs = apiDocs == null ? this.base.resolve("v3/api-docs") : apiDocs;
    this.out = out;
  }

  /** Runs the suite; the tenants it made are purged even when it fails half-way. */
  public Result run() {
    List<Route> routes = routes(read(apiDocs));
    String run = token(6);
    Tenant a = null;
    Tenant b = null;
    try {
      a = tenant("t_gates_" + run + "_a");
      b = tenant("t_gates_" + run + "_b");
      return attack(routes, a, b);
    } finally {
      for (Tenant t : new Tenant[] {a, b}) {
        if (t != null) {
          purge(t);
        }
      }
    }
  }

  /** Every tenant and operator route of the document. */
  static List<Route> routes(JsonNode document) {
    List<Route> routes = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
      for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
        JsonNode op = operation.getValue();
        boolean tenant = false;
        for (JsonNode parameter : op.path("parameters")) {
          tenant |=
              "header".equals(parameter.path("in").asString())
                  && "X-Tenant-Id".equalsIgnoreCase(parameter.path("name").asString());
        }
        String description = op.path("description").asString("");
        String audience =
            tenant
                ? "tenant"
                : description.contains("Operator credential only") ? "operator" : "public";
        Matcher role = ROLE.matcher(description);
        List<String> variables = new ArrayList<>();
        for (Matcher v = VARIABLE.matcher(path.getKey()); v.find(); ) {
          variables.add(v.group(1));
        }
        if (!audience.equals("public")) {
          routes.add(
              new Route(
                  operation.getKey().toUpperCase(Locale.ROOT),
                  path.getKey(),
                  audience,
                  role.find() ? role.group(1) : "viewer",
                  List.copyOf(variables)));
        }
      }
    }
    return routes;
  }

  private Result attack(List<Route> routes, Tenant a, Tenant b) {
    Map<String, String> victimIds = seed(b);
    Set<String> secrets = new LinkedHashSet<>(victimIds.values());
    secrets.add(b.id());
    for (Principal p : b.byRole().values()) {
      secrets.addAll(List.of(p.token(), p.userId(), p.keyId(), p.email()));
    }
    secrets.addAll(List.of(b.devOnlyService().token(), b.devOnlyService().keyId()));
    // What A itself names in its attacks may come back in A's own records (its ledger keeps the
    // input refs of its refused requests): reading its own lists, A must see none of the rest.
    Set<String> neverSent = new LinkedHashSet<>(secrets);
    neverSent.removeAll(victimIds.values());
    neverSent.remove(b.id());
    List<String> leaks = new ArrayList<>();
    List<String> oddities = new ArrayList<>();
    int requests = 0;
    for (Route route : routes) {
      for (String env : ENVS) {
        List<Attack> attacks = attacks(route, env, a, b, victimIds);
        for (Attack attack : attacks) {
          Answer answer =
              send(route.method(), attack.path(), attack.token(), attack.tenant(), attack.env());
          requests++;
          String cell = route + " [" + attack.name() + ", " + attack.env() + "]";
          if (attack.refused() != null && answer.status() < 400) {
            leaks.add(
                cell + ": answered " + answer.status() + " where " + attack.refused() + " was due");
          } else if (attack.refused() != null && !attack.refused().accepts(answer.status())
              || answer.status() >= 500) {
            oddities.add(
                cell + ": answered " + answer.status() + " where " + attack.refused() + " was due");
          }
          String body = answer.body().replace(attack.path(), "");
          for (String sent : new String[] {attack.tenant(), attack.token()}) {
            if (sent != null) {
              body = body.replace(sent, "");
            }
          }
          for (String secret : attack.refused() == null ? neverSent : secrets) {
            // A value the request itself named (a victim id in the path) may be echoed; the status
            // says whether it was served.
            if (secret != null && body.contains(secret) && !attack.path().contains(secret)) {
              leaks.add(cell + ": the answer holds tenant " + b.id() + "'s value " + shown(secret));
            }
          }
        }
      }
    }
    leaks.forEach(l -> out.println("LEAK " + l));
    oddities.forEach(o -> out.println("odd  " + o));
    return new Result(
        routes.size(),
        requests,
        leaks.size(),
        oddities.size(),
        List.copyOf(leaks),
        List.copyOf(oddities));
  }

  /** Which statuses a refusal may have. */
  enum Refusal {
    UNAUTHENTICATED(401),
    FORBIDDEN(401, 403),
    NOT_FOUND(400, 403, 404),
    ROLE(403);

    private final List<Integer> statuses;

    Refusal(Integer... statuses) {
      this.statuses = List.of(statuses);
    }

    boolean accepts(int status) {
      // A refusal by the rate limiter or a quota (429) says nothing about isolation either way.
      return status == 429 || statuses.contains(status);
    }

    @Override
    public String toString() {
      return String.join("/", statuses.stream().map(String::valueOf).toList());
    }
  }

  /**
   * One request of the suite; {@code refused} null when any answer is fine (only the body is
   * checked).
   */
  record Attack(
      String name, String path, String token, String tenant, String env, Refusal refused) {}

  private List<Attack> attacks(
      Route route, String env, Tenant a, Tenant b, Map<String, String> victimIds) {
    List<Attack> attacks = new ArrayList<>();
    String victimPath = expand(route, victimIds);
    String probePath = expand(route, Map.of());
    if (route.audience().equals("operator")) {
      String operatorPath = expand(route, Map.of("tenantId", b.id()));
      attacks.add(
          new Attack("no credential", operatorPath, null, null, env, Refusal.UNAUTHENTICATED));
      attacks.add(
          new Attack(
              "tenant owner", operatorPath, a.owner().token(), a.id(), env, Refusal.FORBIDDEN));
      return attacks;
    }
    attacks.add(
        new Attack("no credential", victimPath, null, b.id(), env, Refusal.UNAUTHENTICATED));
    attacks.add(
        new Attack(
            "other tenant's key", victimPath, a.owner().token(), b.id(), env, Refusal.FORBIDDEN));
    if (route.variables().stream().anyMatch(victimIds::containsKey)) {
      attacks.add(
          new Attack(
              "other tenant's ids", victimPath, a.owner().token(), a.id(), env, Refusal.NOT_FOUND));
    }
    if (!env.equals("dev")) {
      attacks.add(
          new Attack(
              "key of another env",
              probePath,
              a.devOnlyService().token(),
              a.id(),
              env,
              Refusal.FORBIDDEN));
    }
    int least = ROLES.indexOf(route.role());
    if (least > 0) {
      attacks.add(
          new Attack(
              "role " + ROLES.get(least - 1),
              probePath,
              a.byRole().get(ROLES.get(least - 1)).token(),
              a.id(),
              env,
              Refusal.ROLE));
    }
    if (route.method().equals("GET") && route.variables().isEmpty()) {
      attacks.add(new Attack("own tenant's list", probePath, a.owner().token(), a.id(), env, null));
    }
    return attacks;
  }

  /** The route's path with {@code ids} filled in, and a probe value for every other variable. */
  private static String expand(Route route, Map<String, String> ids) {
    String path = route.path();
    for (String variable : route.variables()) {
      String value = ids.getOrDefault(variable, "gates_probe_" + variable.toLowerCase(Locale.ROOT));
      path = path.replace("{" + variable + "}", URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
    return path;
  }

  /** Resources of the victim whose ids the suite names in paths, by path variable. */
  private Map<String, String> seed(Tenant victim) {
    Map<String, String> ids = new LinkedHashMap<>();
    ids.put("userId", victim.byRole().get("viewer").userId());
    ids.put("keyId", victim.byRole().get("viewer").keyId());
    Answer hold =
        post(
            "v1/gdpr/legal-holds",
            victim.owner().token(),
            victim.id(),
            Map.of(
                "identifiers",
                Map.of("email", "held-" + token(8) + "@gates.example"),
                "reason",
                "bin/engines gates"));
    if (hold.status() == 201) {
      ids.put("holdId", JSON.readTree(hold.body()).path("hold_id").asString());
    }
    Answer session = post("v1/sessions", victim.owner().token(), victim.id(), Map.of());
    if (session.status() == 201) {
      ids.put("sessionId", JSON.readTree(session.body()).path("session_id").asString());
    }
    return ids;
  }

  private Tenant tenant(String id) {
    String email = "owner-" + token(8) + "@gates.example";
    Answer created =
        send(
            "POST",
            "v1/operator/tenants",
            operatorToken,
            null,
            null,
            JSON.writeValueAsString(
                Map.of(
                    "tenant_id",
                    id,
                    "name",
                    "bin/engines gates " + id,
                    "owner",
                    Map.of("email", email, "display_name", "Gates owner"))));
    if (created.status() != 201) {
      throw new IllegalStateException(
          "could not create the throwaway tenant "
              + id
              + ": "
              + created.status()
              + " "
              + created.body());
    }
    JsonNode body = JSON.readTree(created.body());
    Principal owner =
        new Principal(
            body.path("owner_key").path("token").asString(),
            body.path("owner").path("user_id").asString(),
            body.path("owner_key").path("key").path("key_id").asString(),
            email);
    Map<String, Principal> byRole = new LinkedHashMap<>();
    byRole.put("owner", owner);
    for (String role : List.of("admin", "member", "viewer")) {
      String userEmail = role + "-" + token(8) + "@gates.example";
      Answer user =
          post(
              "v1/users",
              owner.token(),
              id,
              Map.of("email", userEmail, "display_name", "Gates " + role, "role", role));
      String userId = JSON.readTree(require(user, "a " + role)).path("user_id").asString();
      Answer key =
          post(
              "v1/api-keys",
              owner.token(),
              id,
              Map.of("kind", "personal", "name", "gates " + role, "user_id", userId));
      JsonNode k = JSON.readTree(require(key, "a key for the " + role));
      byRole.put(
          role,
          new Principal(
              k.path("token").asString(),
              userId,
              k.path("key").path("key_id").asString(),
              userEmail));
    }
    // Session routes answer 409 until the env has a session slot: both tenants get one in each env,
    // so an attack reaches the lookup (a deployment whose bounds refuse these settings keeps the
    // 409s).
    for (String env : ENVS) {
      send(
          "PUT",
          "v1/config/session",
          owner.token(),
          id,
          env,
          JSON.writeValueAsString(
              Map.of(
                  "default_ttl_seconds",
                  3600,
                  "max_ttl_seconds",
                  86400,
                  "max_turns",
                  100,
                  "max_turn_chars",
                  4000,
                  "blackboard_max_bytes",
                  65536,
                  "blackboard_max_keys",
                  100)));
    }
    Answer service =
        post(
            "v1/api-keys",
            owner.token(),
            id,
            Map.of(
                "kind",
                "service",
                "name",
                "gates dev only",
                "role",
                "member",
                "envs",
                List.of("dev"),
                "act_on_behalf",
                false));
    JsonNode s = JSON.readTree(require(service, "a dev-only service key"));
    return new Tenant(
        id,
        byRole,
        new Principal(
            s.path("token").asString(), null, s.path("key").path("key_id").asString(), null));
  }

  private void purge(Tenant t) {
    Answer purged =
        post(
            "v1/gdpr/tenant-purge", t.owner().token(), t.id(), Map.of("confirm_tenant_id", t.id()));
    if (purged.status() != 200) {
      out.println(
          "could not purge the throwaway tenant "
              + t.id()
              + " ("
              + purged.status()
              + "): purge it as its owner");
    }
  }

  private static String require(Answer answer, String what) {
    if (answer.status() != 201) {
      throw new IllegalStateException(
          "could not create " + what + ": " + answer.status() + " " + answer.body());
    }
    return answer.body();
  }

  private Answer post(String path, String token, String tenant, Map<String, ?> body) {
    return send("POST", path, token, tenant, "dev", JSON.writeValueAsString(body));
  }

  private Answer send(String method, String path, String token, String tenant, String env) {
    return send(
        method,
        path,
        token,
        tenant,
        env,
        method.equals("GET") || method.equals("DELETE") ? null : "{}");
  }

  private Answer send(
      String method, String path, String token, String tenant, String env, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (tenant != null) {
      request.header("X-Tenant-Id", tenant);
      request.header("X-Env", env == null ? "dev" : env);
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("no answer from " + base + " to " + method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private JsonNode read(URI document) {
    if (document.getScheme() != null && document.getScheme().startsWith("http")) {
      Answer docs = send("GET", base.relativize(document).toString(), null, null, null);
      if (docs.status() != 200) {
        throw new IllegalStateException(
            document
                + " answered "
                + docs.status()
                + ": pass the build's OpenAPI document with --api-docs");
      }
      return JSON.readTree(docs.body());
    }
    try {
      return JSON.readTree(Files.readString(Path.of(document)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A secret as printed: tokens shortened so the report is no credential. */
  private static String shown(String secret) {
    return secret.startsWith("eng_")
        ? secret.substring(0, Math.min(12, secret.length())) + "…"
        : secret;
  }

  private static String token(int length) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return s.toString();
  }
}
