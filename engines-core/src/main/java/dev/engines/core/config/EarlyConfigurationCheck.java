package dev.engines.core.config;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.util.ClassUtils;
import org.springframework.validation.Errors;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.validation.Validator;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * Validates every module's {@code engines.*} settings as soon as the environment is ready — before
 * the context starts, before migrations touch the database, before a port opens — and stops startup
 * with one message that lists every missing or invalid property by its configuration name.
 * Registered in {@code META-INF/spring.factories}.
 *
 * <p>The settings are found where each module declares them: the {@code @ConfigurationProperties}
 * records its auto-configuration enables ({@code @EnableConfigurationProperties} on a {@code
 * dev.engines.*} class listed in {@code AutoConfiguration.imports}). A record marked {@link
 * RequiredSettings} must be present; the others are checked when set.
 */
public final class EarlyConfigurationCheck
    implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

  private static final String MODULES = "dev.engines.";

  @Override
  public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
    ClassLoader loader = event.getSpringApplication().getClassLoader();
    List<String> problems = problems(Binder.get(event.getEnvironment()), settingsOf(loader));
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException(describe(problems));
    }
  }

  /** The settings records the engines' auto-configurations enable, in the order they are listed. */
  static Set<Class<?>> settingsOf(ClassLoader loader) {
    Set<Class<?>> settings = new LinkedHashSet<>();
    for (String candidate : ImportCandidates.load(AutoConfiguration.class, loader)) {
      if (candidate.startsWith(MODULES)) {
        Class<?> configuration = ClassUtils.resolveClassName(candidate, loader);
        MergedAnnotations.from(configuration).stream(EnableConfigurationProperties.class)
            .forEach(enable -> settings.addAll(List.of(enable.getClassArray("value"))));
      }
    }
    return settings;
  }

  /**
   * Binds and validates each of {@code settings} under its prefix and answers every problem, one
   * line each ({@code engines.storage.backend: must not be null}), sorted.
   */
  static List<String> problems(Binder binder, Collection<Class<?>> settings) {
    List<String> problems = new ArrayList<>();
    try (ValidatorFactory factory = Validation.buildDefaultValidatorFactory()) {
      SpringValidatorAdapter validator = new SpringValidatorAdapter(factory.getValidator());
      for (Class<?> type : settings) {
        String prefix = prefix(type);
        try {
          BindResult<?> bound =
              binder.bind(
                  prefix,
                  Bindable.of(type),
                  new ValidationBindHandler(new RootValidator(type, validator)));
          if (!bound.isBound() && type.isAnnotationPresent(RequiredSettings.class)) {
            problems.add(prefix + ": must not be null");
          }
        } catch (BindException e) {
          problems.addAll(lines(prefix, e));
        }
      }
    }
    return problems.stream().sorted().toList();
  }

  static String describe(List<String> problems) {
    return "Engines configuration is incomplete or invalid ("
        + problems.size()
        + "):"
        + problems.stream().map(problem -> "\n  - " + problem).collect(Collectors.joining());
  }

  private static List<String> lines(String prefix, BindException e) {
    if (e.getCause() instanceof BindValidationException validation) {
      return validation.getValidationErrors().getAllErrors().stream()
          .map(error -> line(prefix, error))
          .toList();
    }
    String cause = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
    return List.of(e.getName() + ": " + cause);
  }

  private static String line(String prefix, ObjectError error) {
    String name =
        error instanceof FieldError field ? prefix + "." + kebab(field.getField()) : prefix;
    return name + ": " + error.getDefaultMessage();
  }

  private static String prefix(Class<?> type) {
    String prefix =
        MergedAnnotations.from(type).get(ConfigurationProperties.class).getString("prefix");
    if (prefix.isEmpty()) {
      throw new IllegalStateException(
          type.getName() + " is enabled as settings but has no @ConfigurationProperties prefix");
    }
    return prefix;
  }

  /** {@code operatorTokenSha256} → {@code operator-token-sha256}, as operators write it. */
  static String kebab(String path) {
    return path.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  /**
   * Validates only the settings record itself: {@code @Valid} cascades into its nested records, so
   * all of its problems are collected in one pass with full property paths (validating each nested
   * record on its own would stop at the first one).
   */
  private record RootValidator(Class<?> root, Validator delegate) implements Validator {
    @Override
    public boolean supports(Class<?> type) {
      return type == root;
    }

    @Override
    public void validate(Object target, Errors errors) {
      delegate.validate(target, errors);
    }
  }

  @Override
  public int getOrder() {
    // After Boot's config-data processing, which runs at HIGHEST_PRECEDENCE + 10.
    return Ordered.HIGHEST_PRECEDENCE + 20;
  }

  /** Startup stops with this; its message lists every problem. */
  public static final class InvalidConfigurationException extends IllegalStateException {
    InvalidConfigurationException(String message) {
      super(message);
    }
  }
}
