package dev.engines.api.gates;

import dev.engines.api.web.RoutePolicy;
import dev.engines.gates.ActionCatalog;
import dev.engines.gates.GateChain;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Plugs the gates engine into the web layer: the admission of every tenant route ({@link
 * GateInterceptor}, ordered after the access checks: kill switch, rate limits, budgets, quotas) and
 * the deployment's action names from the routes' declarations. The bean is static: the gate chain
 * it feeds is what this configuration's interceptor needs.
 */
@Configuration(proxyBeanMethods = false)
public class GatesWebConfiguration implements WebMvcConfigurer {

  /** After {@code AccessInterceptor} (order 0): the gate needs the resolved caller. */
  static final int GATE_INTERCEPTOR_ORDER = 1;

  private final ObjectProvider<GateChain> gates;

  public GatesWebConfiguration(ObjectProvider<GateChain> gates) {
    this.gates = gates;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new GateInterceptor(gates.getObject())).order(GATE_INTERCEPTOR_ORDER);
  }

  /**
   * The action names the routes declare, read once from the handler mapping when first asked (the
   * mapping is built after this bean, and routes do not change while the application runs).
   */
  @Bean
  static ActionCatalog actionCatalog(
      @Qualifier("requestMappingHandlerMapping")
          ObjectProvider<RequestMappingHandlerMapping> mapping) {
    return new ActionCatalog() {
      private volatile SortedSet<String> names;

      @Override
      public SortedSet<String> names() {
        if (names == null) {
          TreeSet<String> declared = new TreeSet<>();
          mapping
              .getObject()
              .getHandlerMethods()
              .values()
              .forEach(
                  handler -> {
                    RoutePolicy policy = handler.getMethodAnnotation(RoutePolicy.class);
                    if (policy != null && !policy.gate().isEmpty()) {
                      declared.add(policy.gate());
                    }
                  });
          names = Collections.unmodifiableSortedSet(declared);
        }
        return names;
      }
    };
  }
}
