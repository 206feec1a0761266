package dev.engines.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Source habits the formatter cannot fix: main code names JDK types by their imports, not by inline
 * fully-qualified names ({@code new java.util.ArrayList<>()}), so a reader sees a class's
 * dependencies in one place. Reads the sources of every module; no Spring, no database.
 */
class SourceHabitsTests {

  /** A {@code java.util…} type named outside an import line, a comment or a string. */
  static final Pattern INLINE_JAVA_UTIL =
      Pattern.compile("(?<![\\w.\"])java\\.util\\.(?:[a-z]+\\.)*[A-Z]");

  @Test
  void mainCodeNamesJavaUtilTypesByImportOnly() {
    List<String> offenders = new ArrayList<>();
    for (Path file : mainSources()) {
      List<String> lines = read(file);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.startsWith("import ")
            || line.startsWith("*")
            || line.startsWith("//")
            || line.startsWith("/*")) {
          continue;
        }
        if (INLINE_JAVA_UTIL.matcher(line).find()) {
          offenders.add(file.getFileName() + ":" + (i + 1) + ": " + line);
        }
      }
    }
    assertThat(offenders).as("inline java.util names in main code").isEmpty();
  }

  @Test
  void ruleFindsAnInlineNameAndLeavesImportsAlone() {
    assertThat(INLINE_JAVA_UTIL.matcher("List<String> l = new java.util.ArrayList<>();").find())
        .isTrue();
    assertThat(INLINE_JAVA_UTIL.matcher("x.collect(java.util.stream.Collectors.toSet())").find())
        .isTrue();
    assertThat(INLINE_JAVA_UTIL.matcher("\"java.util.List\"").find()).isFalse();
    assertThat(INLINE_JAVA_UTIL.matcher("Map<String, List<String>> m;").find()).isFalse();
  }

  /**
   * Every module's {@code src/main/java} tree, found from engines-api's directory (Surefire's
   * working directory).
   */
  private static List<Path> mainSources() {
    Path root = Path.of("").toAbsolutePath().getParent();
    try (Stream<Path> modules = Files.list(root)) {
      List<Path> sources = new ArrayList<>();
      for (Path module :
          modules.filter(p -> p.getFileName().toString().startsWith("engines-")).toList()) {
        Path main = module.resolve("src/main/java");
        if (Files.isDirectory(main)) {
          try (Stream<Path> files = Files.walk(main)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(sources::add);
          }
        }
      }
      assertThat(sources).as("main sources found under " + root).hasSizeGreaterThan(100);
      return sources;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
