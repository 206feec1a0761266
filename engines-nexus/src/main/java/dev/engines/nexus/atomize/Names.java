package dev.engines.nexus.atomize;

import java.util.regex.Pattern;

/** Echoing caller-supplied names into problem messages without echoing arbitrary input. */
final class Names {

  private static final Pattern PRINTABLE = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");

  private Names() {}

  /** {@code 'name'} when it is a short identifier, else a neutral stand-in. */
  static String quoted(String name) {
    return name != null && PRINTABLE.matcher(name).matches()
        ? "'" + name + "'"
        : "(unprintable name)";
  }
}
