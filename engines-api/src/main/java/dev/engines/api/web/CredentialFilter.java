package dev.engines.api.web;

import dev.engines.core.db.DatabaseFailures;
import dev.engines.core.db.DatabaseUnavailableException;
import dev.engines.core.error.EnginesException;
import dev.engines.tenant.Credentials;
import dev.engines.tenant.Principal;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authentication inside the Spring Security chain: reads {@code Authorization: Bearer …} or {@code
 * X-Api-Key}, asks {@link Credentials} for the principal and stores it. A presented but bad
 * credential is a 401 problem right here; no credential at all is left to the entry point, so
 * public routes still work.
 */
final class CredentialFilter extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger(CredentialFilter.class);

  private final Credentials credentials;
  private final Problems problems;

  CredentialFilter(Credentials credentials, Problems problems) {
    this.credentials = credentials;
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String token = token(request);
    if (token == null) {
      chain.doFilter(request, response);
      return;
    }
    Principal principal;
    try {
      principal = credentials.authenticate(token);
    } catch (EnginesException e) {
      problems.write(request, response, e);
      return;
    } catch (RuntimeException e) {
      if (!DatabaseFailures.unavailable(e)) {
        throw e;
      }
      // The credential lookup is the filter chain's one database read; controller advice never
      // sees its failures, so it answers the problem itself.
      log.warn("credential lookup failed: database unavailable ({})", e.getMessage());
      problems.write(request, response, new DatabaseUnavailableException(e));
      return;
    }
    request.setAttribute(RequestHeaders.PRINCIPAL_ATTRIBUTE, principal);
    var context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(new PrincipalAuthentication(principal));
    SecurityContextHolder.setContext(context);
    try {
      chain.doFilter(request, response);
    } finally {
      SecurityContextHolder.clearContext();
    }
  }

  private static String token(HttpServletRequest request) {
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    if (authorization != null) {
      return "";
    }
    String apiKey = request.getHeader(RequestHeaders.API_KEY);
    return apiKey == null ? null : apiKey.trim();
  }

  /** The Spring Security view of an authenticated {@link Principal}; authorities are unused. */
  static final class PrincipalAuthentication extends AbstractAuthenticationToken {
    private final Principal principal;

    PrincipalAuthentication(Principal principal) {
      super(List.of());
      this.principal = principal;
      setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
      return "";
    }

    @Override
    public Object getPrincipal() {
      return principal;
    }

    @Override
    public String getName() {
      return principal.describe();
    }
  }
}
