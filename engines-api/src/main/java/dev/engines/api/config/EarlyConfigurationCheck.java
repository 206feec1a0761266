package dev.engines.api.config;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.validation.Errors;
import org.springframework.validation.FieldError;
import org.springframework.validation.Validator;
import org.springframework.validation.ObjectError;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * Validates every {@code engines.*} slot as soon as the environment is ready — before the
 * context starts, before migrations touch the database, before a port opens — and stops startup
 * with one message that lists every missing or invalid property by its configuration name.
 * Registered in {@code META-INF/spring.factories}.
 */
public final class EarlyConfigurationCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

  @Override
  public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
    try (ValidatorFactory factory = Validation.buildDefaultValidatorFactory()) {
      Binder.get(event.getEnvironment()).bindOrCreate("engines", Bindable.of(EnginesProperties.class),
          new ValidationBindHandler(new TopLevelValidator(new SpringValidatorAdapter(factory.getValidator()))));
    } catch (BindException e) {
      throw new InvalidConfigurationException(describe(e));
    }
  }

  static String describe(BindException e) {
    if (e.getCause() instanceof BindValidationException validation) {
      List<ObjectError> errors = validation.getValidationErrors().getAllErrors();
      return "Engines configuration is incomplete or invalid (" + errors.size() + "):" + errors.stream()
          .map(EarlyConfigurationCheck::line)
          .sorted()
          .collect(Collectors.joining("", "", ""));
    }
    String cause = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
    return "Engines configuration is invalid: " + e.getName() + ": " + cause;
  }

  private static String line(ObjectError error) {
    String name = error instanceof FieldError field ? "engines." + kebab(field.getField()) : "engines";
    return "\n  - " + name + ": " + error.getDefaultMessage();
  }

  /** {@code auth.operatorTokenSha256} → {@code auth.operator-token-sha256}, as operators write it. */
  static String kebab(String path) {
    return path.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  /**
   * Validates only the root object: {@code @Valid} cascades into every slot, so all problems are
   * collected in one pass with full property paths (validating each nested slot on its own would
   * stop at the first one).
   */
  private record TopLevelValidator(Validator delegate) implements Validator {
    @Override
    public boolean supports(Class<?> type) {
      return type == EnginesProperties.class;
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
