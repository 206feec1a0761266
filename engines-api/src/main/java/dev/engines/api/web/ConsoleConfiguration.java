package dev.engines.api.web;

import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The admin console: static ES modules and CSS from {@code classpath:/console/} (sources in the
 * repository, no build step, no CDN; docs/adr/0013-console-without-build.md), served at {@code
 * /console/}. The files are public, like the API's documents: they hold no data and no secret.
 * Everything the page shows comes from the API, called with the key the user types, under the same
 * authentication, scoping and role checks as any client. No route exists for the console alone.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleConfiguration implements WebMvcConfigurer {

  /**
   * Where the console is served; public (no credential), see {@link WebConfiguration#PUBLIC_PATHS}.
   */
  static final String[] PATHS = {"/console", "/console/**"};

  /**
   * The console's Content-Security-Policy: scripts, styles and images from this origin only (no
   * inline script or style, no eval), API calls to this origin only, no plugins, no framing, no
   * {@code <base>}, forms post nowhere else, and Trusted Types required, so no script can assign a
   * string to an HTML sink (the console builds every element with the DOM API).
   */
  static final String CONTENT_SECURITY_POLICY =
      String.join(
          "; ",
          "default-src 'none'",
          "script-src 'self'",
          "style-src 'self'",
          "img-src 'self'",
          "connect-src 'self'",
          "form-action 'self'",
          "frame-ancestors 'none'",
          "base-uri 'none'",
          "object-src 'none'",
          "require-trusted-types-for 'script'",
          "trusted-types 'none'");

  /** The headers of every console response, written by the security filter chain. */
  static List<HeaderWriter> headerWriters() {
    OrRequestMatcher console =
        new OrRequestMatcher(
            PathPatternRequestMatcher.withDefaults().matcher("/console"),
            PathPatternRequestMatcher.withDefaults().matcher("/console/**"));
    return List.of(
        new DelegatingRequestMatcherHeaderWriter(
            console, new StaticHeadersWriter("Content-Security-Policy", CONTENT_SECURITY_POLICY)),
        new DelegatingRequestMatcherHeaderWriter(
            console, new StaticHeadersWriter("Referrer-Policy", "no-referrer")),
        new DelegatingRequestMatcherHeaderWriter(
            console, new StaticHeadersWriter("Cross-Origin-Opener-Policy", "same-origin")));
  }

  @Override
  public void addResourceHandlers(ResourceHandlerRegistry registry) {
    // Revalidated on every load (ETag/Last-Modified), so a new release's modules replace the old at
    // once.
    registry
        .addResourceHandler("/console/**")
        .addResourceLocations("classpath:/console/")
        .setCacheControl(CacheControl.noCache());
  }

  @Override
  public void addViewControllers(ViewControllerRegistry registry) {
    registry.addRedirectViewController("/console", "/console/");
    registry.addViewController("/console/").setViewName("forward:/console/index.html");
  }
}
