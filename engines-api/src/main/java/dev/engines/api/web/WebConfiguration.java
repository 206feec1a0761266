package dev.engines.api.web;

import dev.engines.core.config.EnvSettings;
import dev.engines.core.error.EnginesException;
import dev.engines.core.error.ProblemCodes;
import dev.engines.ledger.RequestLedger;
import dev.engines.tenant.Credentials;
import dev.engines.tenant.Principal;
import dev.engines.tenant.ScopeResolver;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.web.filter.RequestContextFilter;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.json.JsonMapper;

/**
 * The request pipeline, in one place and in order:
 *
 * <ol>
 *   <li>{@link TraceFilter} — request id and trace id (before everything, so every problem has
 *       them);
 *   <li>Spring Boot's {@code http.server.requests} observation (request metrics, tagged by {@link
 *       RequestObservationConvention});
 *   <li>{@link RequestOutcomeFilter} — after the response: the request's DatasetEvent (if no write
 *       transaction recorded it), its event counter and one access event;
 *   <li>{@link RequestInputFilter} — headers and query parameters no route accepts (400);
 *   <li>Spring Security with {@link CredentialFilter} — authentication (401);
 *   <li>{@link AccessInterceptor} — tenant scope (400), membership and role (403), logging context;
 *   <li>{@link QueryParameterInterceptor} — query parameters the route does not declare (400);
 *   <li>the controller.
 * </ol>
 */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration implements WebMvcConfigurer {

  /**
   * Paths that answer without a credential: the probes, the API's documents, the error page and the
   * console's static files ({@link ConsoleConfiguration}), which hold no data: the console calls
   * the API with the key its user types.
   */
  static final String[] PUBLIC_PATHS = {
    "/actuator/health",
    "/actuator/health/**",
    "/v3/api-docs",
    "/v3/api-docs/**",
    "/swagger-ui.html",
    "/swagger-ui/**",
    "/error",
    ConsoleConfiguration.PATHS[0],
    ConsoleConfiguration.PATHS[1]
  };

  /**
   * The other management endpoints (metrics, info): the operator credential only. Metrics describe
   * the whole deployment, so no tenant credential may read them.
   */
  static final String MANAGEMENT_PATHS = "/actuator/**";

  private final ScopeResolver scopes;
  private final EnvSettings envs;
  private final RequestLedger ledger;

  public WebConfiguration(ScopeResolver scopes, EnvSettings envs, RequestLedger ledger) {
    this.scopes = scopes;
    this.envs = envs;
    this.ledger = ledger;
  }

  @Bean
  FilterRegistrationBean<TraceFilter> traceFilter() {
    FilterRegistrationBean<TraceFilter> registration =
        new FilterRegistrationBean<>(new TraceFilter());
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  @Bean
  FilterRegistrationBean<RequestOutcomeFilter> requestOutcomeFilter(MeterRegistry meters) {
    FilterRegistrationBean<RequestOutcomeFilter> registration =
        new FilterRegistrationBean<>(new RequestOutcomeFilter(ledger, meters));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    return registration;
  }

  /** Spring Boot's HTTP server observation picks this convention up instead of its default. */
  @Bean
  RequestObservationConvention requestObservationConvention() {
    return new RequestObservationConvention();
  }

  @Bean
  FilterRegistrationBean<RequestInputFilter> requestInputFilter(Problems problems) {
    FilterRegistrationBean<RequestInputFilter> registration =
        new FilterRegistrationBean<>(new RequestInputFilter(problems));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
    return registration;
  }

  /** Spring MVC's request mappings, with a first test of each route's literal path segments. */
  @Bean
  WebMvcRegistrations routeLookup() {
    return new WebMvcRegistrations() {
      @Override
      public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
        return new RouteLookupHandlerMapping();
      }
    };
  }

  /**
   * Without Spring Boot's request context filter: it binds the request to {@code
   * RequestContextHolder} for the filters before the dispatcher servlet, and no code here reads the
   * request from a thread-bound holder: its context travels in the {@code Caller}
   * (docs/adr/0014-call-context.md). The dispatcher servlet binds it for the handlers on its own.
   */
  @Bean
  FilterRegistrationBean<RequestContextFilter> requestContextFilter() {
    FilterRegistrationBean<RequestContextFilter> registration =
        new FilterRegistrationBean<>(new RequestContextFilter());
    registration.setEnabled(false);
    return registration;
  }

  /**
   * Requests the security firewall refuses (';', '//', '/./', '/../', encoded '%' or '.', control
   * characters) answer a 400 problem, not the container's default body.
   */
  @Bean
  RequestRejectedHandler requestRejectedHandler(Problems problems) {
    return (request, response, e) -> problems.write(request, response, Problems.rejected());
  }

  /**
   * Replaces Tomcat's HTML error report (requests it refuses before any filter runs) with problems.
   */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports(
      Problems problems, JsonMapper json) {
    return factory ->
        factory.addContextCustomizers(
            context -> {
              StandardHost host = (StandardHost) context.getParent();
              // The host adds a valve of this class on start unless one is there already: ours is.
              host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
              host.getPipeline().addValve(new ProblemErrorReportValve(problems, json));
            });
  }

  /**
   * Strings in JSON bodies: no NUL, no unpaired surrogates (Spring Boot adds module beans to the
   * JSON mapper).
   */
  @Bean
  JsonTextModule jsonTextModule() {
    return new JsonTextModule();
  }

  /**
   * No observation per security filter, authentication or authorization: {@code
   * management.observations.enable.spring.security=false} only turns those observations into no-ops
   * and leaves the filter chain's observation decorator wrapping every filter of every request. The
   * {@code http.server.requests} observation, the ledger and the access log say what they would.
   */
  @Bean
  static SecurityObservationSettings securityObservationSettings() {
    return SecurityObservationSettings.noObservations();
  }

  /**
   * The security filter chain of a stateless API: besides {@link CredentialFilter} only the
   * firewall, the response headers, the exception translation (401/403 problems) and the
   * authorization of every path. Nothing else of the defaults applies: no session is created, read
   * or tracked (no session management, no security context repository: {@link CredentialFilter}
   * sets the context for the request and clears it), no anonymous principal (a request without a
   * credential has no authentication, which the authorization refuses off the public paths exactly
   * as it refused the anonymous one), no servlet API wrapper (nothing reads the container's user
   * principal), no saved requests, no login, logout or CSRF.
   */
  @Bean
  SecurityFilterChain securityFilterChain(
      HttpSecurity http, Credentials credentials, Problems problems) throws Exception {
    // The exception translation saves the refused request for a login redirect unless a request
    // cache is shared; the default one would open a session on every 401.
    http.setSharedObject(RequestCache.class, new NullRequestCache());
    return http.csrf(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .sessionManagement(AbstractHttpConfigurer::disable)
        .securityContext(AbstractHttpConfigurer::disable)
        .anonymous(AbstractHttpConfigurer::disable)
        .servletApi(AbstractHttpConfigurer::disable)
        .headers(h -> ConsoleConfiguration.headerWriters().forEach(h::addHeaderWriter))
        .addFilterBefore(
            new CredentialFilter(credentials, problems), AnonymousAuthenticationFilter.class)
        .authorizeHttpRequests(
            a ->
                a.requestMatchers(PUBLIC_PATHS)
                    .permitAll()
                    .requestMatchers(MANAGEMENT_PATHS)
                    .access(
                        (authentication, context) ->
                            new AuthorizationDecision(
                                authentication.get().getPrincipal() instanceof Principal.Operator))
                    .anyRequest()
                    .authenticated())
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(
                        (request, response, ex) ->
                            problems.write(
                                request,
                                response,
                                EnginesException.unauthorized(
                                    ProblemCodes.UNAUTHENTICATED,
                                    "Send Authorization: Bearer <API key or JWT>, or X-Api-Key.")))
                    .accessDeniedHandler(
                        (request, response, ex) ->
                            problems.write(
                                request,
                                response,
                                EnginesException.forbidden(
                                    ProblemCodes.FORBIDDEN_ROLE,
                                    "This path needs the operator credential."))))
        .build();
  }

  /**
   * The API speaks JSON only. Jackson's XML module arrives on the classpath with the GCS client,
   * and Spring would register an XML converter for it: a second wire format that answers in other
   * names and reads bodies past the JSON-only checks (unknown fields). Converters of the other
   * structured formats (YAML, CBOR, Smile) and of forms go too; what stays reads and writes JSON,
   * text and raw bytes, and anything else is a 406 or 415 problem.
   */
  @Override
  public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
    builder.configureMessageConvertersList(
        converters ->
            converters.removeIf(
                converter ->
                    converter.getSupportedMediaTypes().stream()
                        .anyMatch(WebConfiguration::otherWireFormat)));
  }

  private static boolean otherWireFormat(MediaType type) {
    String subtype = type.getSubtype();
    return subtype.contains("xml")
        || subtype.contains("yaml")
        || subtype.contains("cbor")
        || subtype.contains("smile")
        || subtype.equals("x-www-form-urlencoded")
        || type.getType().equals("multipart");
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new AccessInterceptor(scopes, envs, ledger));
    registry.addInterceptor(new QueryParameterInterceptor());
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(new CallerArgumentResolver());
  }
}
