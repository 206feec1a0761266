package dev.engines.core.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a module's {@code @ConfigurationProperties} record as a required slot: a deployment that
 * does not set its block does not start ({@link EarlyConfigurationCheck} names it with every other
 * problem). Records without it are optional and bring their documented defaults.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface RequiredSettings {}
