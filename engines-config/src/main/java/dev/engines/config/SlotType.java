package dev.engines.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The message {@link SlotRecords} answers when a field's JSON value has the wrong type (a string
 * where a boolean belongs), instead of its default ({@code must be true or false}, {@code must be a
 * string}). Not a constraint: the binding reads it before any constraint runs.
 */
@Documented
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface SlotType {

  /** The message. */
  String value();
}
