package dev.engines.api.safety;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaParameterizedType;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safety sweep (issue 15, item 5): what the platform's code must never do, as ArchUnit rules
 * over the compiled classes of every module. Engines is plumbing ("engines don't think"), keeps no
 * process-wide state that could mix tenants, talks to the network only through the adapters built
 * for it, keeps request data out of logs, and declares who may call each route.
 *
 * <p>Every rule is built for a base package: {@code dev.engines} for the service, the bad fixture's
 * package ({@code dev.engines.fixture.safety}) in {@code SafetyRulesTests}, which shows each rule
 * fire. {@code bin/engines gates} runs the same rules ({@code GatesCli}). Exceptions are listed
 * here by name with the reason they are safe; a new one is a reviewed change to this file.
 */
public final class SafetyRules {

  /** Model and LLM client libraries: the platform calls none of them. */
  private static final List<String> LLM_CLIENTS =
      List.of(
          "com.openai..",
          "com.anthropic..",
          "com.theokanning..",
          "io.github.sashirestela..",
          "org.springframework.ai..",
          "com.google.genai..",
          "com.google.cloud.vertexai..",
          "com.azure.ai..",
          "software.amazon.awssdk.services.bedrock..",
          "software.amazon.awssdk.services.bedrockruntime..",
          "ai.djl..",
          "dev.ai4j..",
          // langchain4j's chat, language, prompt, agent and memory parts; its embedding API stays
          // allowed in the embedder.
          "dev.langchain4j.model.chat..",
          "dev.langchain4j.model.language..",
          "dev.langchain4j.model.input..",
          "dev.langchain4j.model.openai..",
          "dev.langchain4j.model.anthropic..",
          "dev.langchain4j.model.ollama..",
          "dev.langchain4j.service..",
          "dev.langchain4j.agent..",
          "dev.langchain4j.agentic..",
          "dev.langchain4j.memory..",
          "dev.langchain4j.rag..",
          "dev.langchain4j.data.message..");

  /** Names that mean prompt building or orchestration, matched on the simple class name. */
  private static final String THINKING_NAMES =
      ".*[.$][^.$]*(Prompt|ChatModel|ChatClient|LlmClient|Completion|Orchestrat|Planner|AgentLoop|Reasoner)[^.$]*";

  /** Outbound network clients: HTTP, sockets, cloud SDKs, Spring's clients, remote JWK sets. */
  private static final List<String> NETWORK_PACKAGES =
      List.of(
          "java.net.http..",
          "software.amazon.awssdk..",
          "com.google.cloud..",
          "com.google.api.client..",
          "org.springframework.web.client..",
          "org.springframework.web.reactive.function.client..",
          "okhttp3..",
          "org.apache.hc.client5..",
          "org.apache.http..",
          "io.netty..",
          "jakarta.mail..",
          "com.rabbitmq..",
          "org.apache.kafka..");

  private static final Set<String> NETWORK_CLASSES =
      Set.of(
          "java.net.URLConnection",
          "java.net.HttpURLConnection",
          "java.net.Socket",
          "java.net.DatagramSocket",
          "java.net.MulticastSocket",
          "javax.net.ssl.SSLSocket",
          "javax.net.ssl.HttpsURLConnection",
          "java.nio.channels.SocketChannel",
          "java.nio.channels.AsynchronousSocketChannel",
          "java.nio.channels.DatagramChannel",
          "org.springframework.security.oauth2.jwt.NimbusJwtDecoder",
          "com.nimbusds.jose.jwk.source.RemoteJWKSet",
          "com.nimbusds.jose.jwk.source.JWKSourceBuilder");

  /**
   * Who may open connections, relative to the base package, each with its reason: the raw-storage
   * adapters (S3, GCS), the ledger relay's OpenLineage sink (it posts events to the operator's
   * collector), and the OIDC verifier (it fetches the trusted issuer's signing keys, an
   * operator-set URL).
   */
  private static final Map<String, String> NETWORK_ALLOWED =
      Map.of(
          "storage.s3..", "the S3 raw-storage adapter",
          "storage.gcs..", "the GCS raw-storage adapter",
          "tenant.internal.OidcVerifier", "fetches the configured issuer's JWK set",
          "*.OpenLineageSink", "the ledger relay's sink, posting to the operator's collector");

  /** Map and cache types whose instances are caches when held in a field. */
  private static final Set<String> CACHE_TYPES =
      Set.of(
          "java.util.concurrent.ConcurrentMap",
          "java.util.concurrent.ConcurrentHashMap",
          "java.util.concurrent.ConcurrentSkipListMap",
          "java.util.WeakHashMap",
          "com.github.benmanes.caffeine.cache.Cache",
          "com.github.benmanes.caffeine.cache.LoadingCache",
          "com.github.benmanes.caffeine.cache.AsyncCache",
          "com.github.benmanes.caffeine.cache.AsyncLoadingCache",
          "com.google.common.cache.Cache",
          "com.google.common.cache.LoadingCache",
          "org.springframework.cache.Cache",
          "javax.cache.Cache",
          "dev.engines.core.db.NotifiedCache");

  private static final Set<String> MAP_MUTATORS =
      Set.of(
          "put",
          "putIfAbsent",
          "putAll",
          "computeIfAbsent",
          "compute",
          "computeIfPresent",
          "merge",
          "replace",
          "replaceAll");

  /**
   * Caches whose key lacks the tenant or env, relative to the base package ({@code Class.field}),
   * each safe for the reason given.
   */
  private static final Map<String, String> CACHE_ALLOWED =
      Map.of(
          "api.web.QueryParameterInterceptor.declared",
              "keyed by handler method: route metadata, the same for every tenant",
          "core.db.NotifiedCache.entries",
              "the store of every notified cache, generic in its key: each field holding a NotifiedCache is checked here for its key type (CACHE_TYPES)",
          "api.web.RoutePolicies.RESOLVED",
              "keyed by handler method: its RoutePolicy annotation, the same for every tenant",
          "tenant.KeyCache.entries",
              "keyed by an API key's id and the hash of the secret presented: an entry answers only the credential it was verified for, which belongs to one tenant; dropped on that tenant's change notifications (ADR 0016)",
          "nexus.internal.TenantNexusSlots.stores",
              "keyed by storage location: deployment clients, no tenant data",
          "pii.gdpr.DataSubjects.tenantKeys",
              "keyed by tenant: a data subject's pseudonym key is tenant-wide by design (GDPR spans envs)",
          "pii.PiiPipeline$SubjectKeysOnce.subjectKeys",
              "lives as long as one redactor of one scope");

  /**
   * Scope types: a cache key must be a {@code Scope}, or a type holding one, or a tenant id and an
   * env.
   */
  private static final String SCOPE = "dev.engines.core.scope.Scope";

  private static final String TENANT = "dev.engines.core.scope.TenantId";
  private static final String ENV = "dev.engines.core.scope.Env";

  private static final Set<String> REQUEST_READS =
      Set.of(
          "getHeader",
          "getHeaders",
          "getHeaderNames",
          "getIntHeader",
          "getDateHeader",
          "getParameter",
          "getParameterMap",
          "getParameterValues",
          "getParameterNames",
          "getInputStream",
          "getReader",
          "getQueryString",
          "getCookies",
          "getContentAsByteArray",
          "getContentAsString",
          "getBody",
          "getPart",
          "getParts");
  private static final Set<String> REQUEST_TYPES =
      Set.of(
          "jakarta.servlet.ServletRequest",
          "jakarta.servlet.http.HttpServletRequest",
          "jakarta.servlet.http.HttpServletRequestWrapper",
          "jakarta.servlet.ServletRequestWrapper",
          "org.springframework.web.util.ContentCachingRequestWrapper",
          "org.springframework.http.HttpHeaders",
          "org.springframework.http.HttpEntity",
          "org.springframework.http.RequestEntity",
          "org.springframework.http.HttpRequest",
          "org.springframework.http.server.ServerHttpRequest",
          "org.springframework.web.context.request.WebRequest",
          "org.springframework.web.context.request.NativeWebRequest");

  /**
   * Log calls whose method reads an exception's message, relative to the base package ({@code
   * Class.method}), each safe for the reason given. Every other exception reaches the log as the
   * last argument, whose message and stack trace the redacting customizer scans.
   */
  private static final Map<String, String> MESSAGE_LOGGING_ALLOWED =
      Map.of(
          "api.web.CredentialFilter.doFilterInternal",
              "a database connection failure (DatabaseFailures.unavailable): no request data",
          "api.web.ApiExceptionHandler.unexpected",
              "a database connection failure (DatabaseFailures.unavailable): no request data",
          "api.web.ApiExceptionHandler.engines",
              "a 5xx EnginesException: its message is the service's own text");

  /** Classes that write to stdout by design (command-line tools), relative to the base package. */
  private static final List<String> CONSOLE_ALLOWED = List.of("pii.cli..");

  private static final Set<String> MAPPINGS =
      Set.of(
          "org.springframework.web.bind.annotation.RequestMapping",
          "org.springframework.web.bind.annotation.GetMapping",
          "org.springframework.web.bind.annotation.PostMapping",
          "org.springframework.web.bind.annotation.PutMapping",
          "org.springframework.web.bind.annotation.PatchMapping",
          "org.springframework.web.bind.annotation.DeleteMapping");
  private static final String ROUTE_POLICY = "dev.engines.api.web.RoutePolicy";

  private SafetyRules() {}

  /**
   * The production classes of every Engines module on the classpath: {@code target/classes} in a
   * reactor build, the {@code engines-*.jar} files of a packaged one; never test classes.
   */
  public static synchronized JavaClasses production() {
    // Importing every module takes seconds; the build's classes do not change while a JVM runs.
    if (production == null) {
      production = importProduction();
    }
    return production;
  }

  private static JavaClasses production;

  private static JavaClasses importProduction() {
    return new ClassFileImporter()
        .withImportOption(location -> location.contains("/engines-"))
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.engines");
  }

  /** Every rule by name, built for {@code base}. */
  public static Map<String, ArchRule> all(String base) {
    Map<String, ArchRule> rules = new LinkedHashMap<>();
    rules.put("no-model-clients", noModelClients(base));
    rules.put("embedder-only-in-vector", embedderOnlyInVector(base));
    rules.put("no-prompts-or-orchestration", noThinkingClasses(base));
    rules.put("no-prompt-fields", noPromptFields(base));
    rules.put("caches-keyed-by-scope", cachesKeyedByScope(base));
    rules.put("no-outbound-network", noOutboundNetwork(base));
    rules.put("logs-only-through-the-redacting-logger", logsOnlyThroughSlf4j(base));
    rules.put("no-request-data-or-exception-messages-in-logs", noRequestDataInLogs(base));
    rules.put("every-route-declares-its-policy", everyRouteDeclaresPolicy(base));
    return rules;
  }

  static ArchRule noModelClients(String base) {
    return noClasses()
        .that()
        .resideInAPackage(base + "..")
        .should()
        .dependOnClassesThat(
            resideInAnyPackage(LLM_CLIENTS.toArray(String[]::new))
                .as("are model or LLM clients (chat, completion, prompt, agent, memory)"))
        .because(
            "engines don't think: the platform is plumbing, prompts and model calls belong to its users (issue 15)");
  }

  static ArchRule embedderOnlyInVector(String base) {
    return noClasses()
        .that()
        .resideInAPackage(base + "..")
        .and()
        .resideOutsideOfPackage(base + ".vector..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.langchain4j..")
        .because("the built-in embedder in engines-vector is the one model the platform runs");
  }

  static ArchRule noThinkingClasses(String base) {
    return noClasses()
        .that()
        .resideInAPackage(base + "..")
        .should()
        .haveNameMatching(THINKING_NAMES)
        .because(
            "engines don't think: no prompt builders, model clients or orchestration in the platform");
  }

  static ArchRule noPromptFields(String base) {
    return noFields()
        .that()
        .areDeclaredInClassesThat()
        .resideInAPackage(base + "..")
        .should()
        .haveNameMatching("(?i).*(prompt|system_?message|instruction).*")
        .because("engines don't think: prompt texts have no place in the platform");
  }

  static ArchRule cachesKeyedByScope(String base) {
    return fields()
        .that()
        .areDeclaredInClassesThat()
        .resideInAPackage(base + "..")
        .should(
            new ArchCondition<>("not be a cache whose key lacks the tenant and env") {
              @Override
              public void check(JavaField field, ConditionEvents events) {
                String reason = uncheckedCache(field);
                String name = field.getOwner().getName() + "." + field.getName();
                if (reason != null
                    && !CACHE_ALLOWED.containsKey(
                        name.substring(Math.min(name.length(), base.length() + 1)))) {
                  events.add(
                      SimpleConditionEvent.violated(field, "Field <" + name + "> " + reason));
                }
              }
            })
        .because(
            "process-wide state must never mix tenants or envs: key caches by Scope (or TenantId and Env), "
                + "or list the field in SafetyRules.CACHE_ALLOWED with the reason it is safe");
  }

  /**
   * Why {@code field} is a cache without a scope key, or null when it is none or is keyed by scope.
   */
  private static String uncheckedCache(JavaField field) {
    boolean isStatic = field.getModifiers().contains(JavaModifier.STATIC);
    JavaClass raw = field.getRawType();
    boolean cacheType = CACHE_TYPES.contains(raw.getName());
    boolean map = raw.getName().equals("java.util.Map") || raw.isAssignableTo(Map.class);
    if (isStatic && map && !field.getModifiers().contains(JavaModifier.FINAL)) {
      return "is a static non-final map (process-wide mutable state)";
    }
    if (isStatic && map && !cacheType) {
      // A static constant table is fine; one that code other than its initializer fills is a cache.
      // Bytecode keeps no receiver of a call, so "filled" means: a map mutator called on the line
      // that reads the field, outside the static initializer.
      for (JavaFieldAccess access : field.getAccessesToSelf()) {
        JavaCodeUnit origin = access.getOrigin();
        if (!origin.getName().equals("<clinit>")
            && origin.getMethodCallsFromSelf().stream()
                .anyMatch(
                    call ->
                        MAP_MUTATORS.contains(call.getName())
                            && call.getLineNumber() == access.getLineNumber()
                            && call.getTargetOwner().isAssignableTo(Map.class))) {
          return "is a static map filled by "
              + origin.getFullName()
              + " (a process-wide cache) keyed by "
              + key(field)
              + " "
              + access.getSourceCodeLocation();
        }
      }
      return null;
    }
    if (!cacheType) {
      return null;
    }
    JavaClass key = keyClass(field);
    if (key != null && scoped(key)) {
      return null;
    }
    return "is a "
        + (isStatic ? "static " : "")
        + "cache ("
        + raw.getSimpleName()
        + ") keyed by "
        + key(field)
        + ", which lacks the tenant and env";
  }

  private static JavaClass keyClass(JavaField field) {
    JavaType type = field.getType();
    if (type instanceof JavaParameterizedType parameterized
        && !parameterized.getActualTypeArguments().isEmpty()) {
      return parameterized.getActualTypeArguments().getFirst().toErasure();
    }
    return null;
  }

  private static String key(JavaField field) {
    JavaClass key = keyClass(field);
    return key == null ? "an untyped key" : key.getName();
  }

  private static boolean scoped(JavaClass key) {
    if (key.getName().equals(SCOPE)) {
      return true;
    }
    Set<String> components = new HashSet<>();
    for (JavaField f : key.getFields()) {
      if (!f.getModifiers().contains(JavaModifier.STATIC)) {
        components.add(f.getRawType().getName());
      }
    }
    return components.contains(SCOPE) || components.contains(TENANT) && components.contains(ENV);
  }

  static ArchRule noOutboundNetwork(String base) {
    DescribedPredicate<JavaClass> allowed =
        describe(
            "are allowed network clients " + NETWORK_ALLOWED.keySet(),
            c -> NETWORK_ALLOWED.keySet().stream().anyMatch(pattern -> matches(base, pattern, c)));
    DescribedPredicate<JavaClass> network =
        describe(
            "are outbound network clients (HTTP, sockets, cloud SDKs, remote JWK sets)",
            c ->
                NETWORK_CLASSES.contains(c.getName())
                    || NETWORK_PACKAGES.stream()
                        .anyMatch(
                            p -> c.getPackageName().startsWith(p.substring(0, p.length() - 2))));
    return noClasses()
        .that()
        .resideInAPackage(base + "..")
        .and(DescribedPredicate.not(allowed))
        .should()
        .dependOnClassesThat(network)
        .orShould()
        .callMethodWhere(
            describe(
                "URL.openConnection or URL.openStream",
                (JavaMethodCall call) ->
                    call.getTargetOwner().getName().equals("java.net.URL")
                        && (call.getName().equals("openConnection")
                            || call.getName().equals("openStream"))))
        .because(
            "only the storage adapters, the ledger relay's sink and the OIDC key fetch talk to the network; "
                + "anything else could carry tenant data out unseen");
  }

  private static boolean matches(String base, String pattern, JavaClass c) {
    if (pattern.startsWith("*.")) {
      return c.getSimpleName().equals(pattern.substring(2))
          || c.getName().contains("." + pattern.substring(2) + "$");
    }
    String full = base + "." + pattern;
    if (full.endsWith("..")) {
      String pkg = full.substring(0, full.length() - 2);
      return c.getPackageName().equals(pkg) || c.getPackageName().startsWith(pkg + ".");
    }
    return c.getName().equals(full) || c.getName().startsWith(full + "$");
  }

  static ArchRule logsOnlyThroughSlf4j(String base) {
    DescribedPredicate<JavaClass> console =
        describe(
            "are command-line tools " + CONSOLE_ALLOWED,
            c -> CONSOLE_ALLOWED.stream().anyMatch(pattern -> matches(base, pattern, c)));
    return noClasses()
        .that()
        .resideInAPackage(base + "..")
        .and(DescribedPredicate.not(console))
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .orShould()
        .callMethodWhere(
            describe(
                "Throwable.printStackTrace",
                (JavaMethodCall call) ->
                    call.getName().equals("printStackTrace")
                        && call.getTargetOwner().isAssignableTo(Throwable.class)))
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.util.logging..", "org.apache.logging.log4j..", "org.apache.commons.logging..")
        .because(
            "every log line goes through SLF4J into the structured log, where LogRedactor scans it; "
                + "System.out, printStackTrace and other loggers bypass it");
  }

  static ArchRule noRequestDataInLogs(String base) {
    return codeUnits()
        .that()
        .areDeclaredInClassesThat()
        .resideInAPackage(base + "..")
        .should(
            new ArchCondition<>(
                "not log request headers, parameters, bodies or exception messages") {
              @Override
              public void check(JavaCodeUnit unit, ConditionEvents events) {
                List<JavaMethodCall> calls = List.copyOf(unit.getMethodCallsFromSelf());
                if (calls.stream()
                    .noneMatch(c -> c.getTargetOwner().getName().equals("org.slf4j.Logger"))) {
                  return;
                }
                String name = unit.getOwner().getName() + "." + unit.getName();
                for (JavaMethodCall call : calls) {
                  String owner = call.getTargetOwner().getName();
                  if (REQUEST_TYPES.contains(owner) && REQUEST_READS.contains(call.getName())) {
                    events.add(
                        SimpleConditionEvent.violated(
                            unit,
                            "Method <"
                                + unit.getFullName()
                                + "> logs and reads "
                                + owner
                                + "."
                                + call.getName()
                                + "() "
                                + call.getSourceCodeLocation()));
                  }
                  boolean message =
                      call.getName().equals("getMessage")
                          || call.getName().equals("getLocalizedMessage");
                  if (message
                      && call.getTargetOwner().isAssignableTo(Throwable.class)
                      && !MESSAGE_LOGGING_ALLOWED.containsKey(
                          name.substring(Math.min(name.length(), base.length() + 1)))) {
                    events.add(
                        SimpleConditionEvent.violated(
                            unit,
                            "Method <"
                                + unit.getFullName()
                                + "> logs and reads "
                                + owner
                                + "."
                                + call.getName()
                                + "() "
                                + call.getSourceCodeLocation()));
                  }
                }
              }
            })
        .because(
            "request headers, parameters and bodies carry credentials and PII, and exception messages often quote "
                + "the input: log ids and codes, pass the exception itself as the last argument, or list the method in "
                + "SafetyRules.MESSAGE_LOGGING_ALLOWED with the reason its message holds no request data");
  }

  static ArchRule everyRouteDeclaresPolicy(String base) {
    return methods()
        .that()
        .areDeclaredInClassesThat()
        .resideInAPackage(base + "..")
        .and(describe("are request mappings", SafetyRules::mapped))
        .should(
            new ArchCondition<>("be annotated with @RoutePolicy") {
              @Override
              public void check(JavaMethod method, ConditionEvents events) {
                if (method.getAnnotations().stream()
                    .noneMatch(a -> a.getRawType().getName().equals(ROUTE_POLICY))) {
                  events.add(
                      SimpleConditionEvent.violated(
                          method,
                          "Method <"
                              + method.getFullName()
                              + "> maps a route but declares no @RoutePolicy (audience, role, surface, action) in "
                              + method.getSourceCodeLocation()));
                }
              }
            })
        .because(
            "every route says who may call it; the filter chain refuses one that does not, and the build must too");
  }

  private static boolean mapped(JavaMethod method) {
    return method.getAnnotations().stream()
        .anyMatch(a -> MAPPINGS.contains(a.getRawType().getName()));
  }

  /**
   * The allowances that name nothing in {@code classes}: an exception outliving its class (renamed,
   * moved, deleted) must go, or it would silently allow whatever takes its name next.
   */
  public static List<String> staleAllowances(JavaClasses classes, String base) {
    List<String> stale = new ArrayList<>();
    for (String pattern : NETWORK_ALLOWED.keySet()) {
      if (classes.stream().noneMatch(c -> matches(base, pattern, c))) {
        stale.add("network " + pattern);
      }
    }
    for (String pattern : CONSOLE_ALLOWED) {
      if (classes.stream().noneMatch(c -> matches(base, pattern, c))) {
        stale.add("console " + pattern);
      }
    }
    for (String field : CACHE_ALLOWED.keySet()) {
      String owner = base + "." + field.substring(0, field.lastIndexOf('.'));
      String name = field.substring(field.lastIndexOf('.') + 1);
      if (!classes.contain(owner)
          || classes.get(owner).getFields().stream().noneMatch(f -> f.getName().equals(name))) {
        stale.add("cache " + field);
      }
    }
    for (String method : MESSAGE_LOGGING_ALLOWED.keySet()) {
      String owner = base + "." + method.substring(0, method.lastIndexOf('.'));
      String name = method.substring(method.lastIndexOf('.') + 1);
      if (!classes.contain(owner)
          || classes.get(owner).getCodeUnits().stream().noneMatch(u -> u.getName().equals(name))) {
        stale.add("message logging " + method);
      }
    }
    return stale;
  }

  /** The names of the rules. */
  public static List<String> names() {
    return List.copyOf(all("dev.engines").keySet());
  }
}
