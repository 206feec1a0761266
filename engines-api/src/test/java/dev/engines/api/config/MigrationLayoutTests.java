package dev.engines.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Each module keeps its migrations in {@code db/migration/<module>}, and one {@code
 * spring.flyway.locations} list names them all. A database migrated by an earlier layout must start
 * unchanged: Flyway validates version, description and checksum of every applied migration (not its
 * folder), so every migration an earlier layout applied must still be on the classpath with the
 * same bytes, and none may be left in a folder the list does not name (Flyway would silently skip
 * it). No Spring context, no database.
 */
class MigrationLayoutTests {

  private static final Pattern MIGRATION =
      Pattern.compile(".*/db/migration/(?:([a-z]+)/)?(V(\\d+)__[a-z0-9_]+\\.sql)$");

  private static List<String> locations;
  private static Map<String, Migration> onClasspath;

  private record Migration(String folder, String version, String file, String sha256) {}

  /** The application's one {@code spring.flyway.locations} list, as application.yml declares it. */
  static List<String> flywayLocations() {
    YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
    yaml.setResources(new ClassPathResource("application.yml"));
    Properties properties = yaml.getObject();
    List<String> listed = new ArrayList<>();
    for (int i = 0; properties.containsKey("spring.flyway.locations[" + i + "]"); i++) {
      listed.add(properties.getProperty("spring.flyway.locations[" + i + "]"));
    }
    return listed;
  }

  @BeforeAll
  static void readLayout() throws IOException {
    locations = flywayLocations();
    onClasspath = new TreeMap<>();
    for (Resource resource :
        new PathMatchingResourcePatternResolver()
            .getResources("classpath*:db/migration/**/*.sql")) {
      Matcher m = MIGRATION.matcher(resource.getURL().toString());
      assertThat(m.matches()).as("migration file name %s", resource.getURL()).isTrue();
      Migration migration =
          new Migration(m.group(1), "V" + m.group(3), m.group(2), sha256(resource));
      Migration previous = onClasspath.put(migration.version(), migration);
      assertThat(previous).as("two migrations with version %s", migration.version()).isNull();
    }
  }

  @Test
  void locationsWhenReadThenOneFolderPerModuleAndNoRootFolder() {
    assertThat(locations)
        .isNotEmpty()
        .doesNotHaveDuplicates()
        .allSatisfy(location -> assertThat(location).matches("classpath:db/migration/[a-z]+"));
  }

  @Test
  void migrationsWhenOnTheClasspathThenEachLiesInAListedModuleFolder() {
    assertThat(onClasspath).isNotEmpty();
    for (Migration migration : onClasspath.values()) {
      assertThat(migration.folder())
          .as("%s is outside every module folder", migration.file())
          .isNotNull();
      assertThat(locations)
          .as(
              "%s lies in db/migration/%s, which spring.flyway.locations does not name",
              migration.file(), migration.folder())
          .contains("classpath:db/migration/" + migration.folder());
    }
  }

  @Test
  void migrationsWhenAppliedByThePreviousLayoutThenPresentWithTheSameBytes() throws IOException {
    Map<String, Migration> applied = previouslyApplied();
    assertThat(applied).containsKeys("V1", "V2", "V28", "V40");
    for (Migration before : applied.values()) {
      Migration now = onClasspath.get(before.version());
      assertThat(now)
          .as("%s is gone: a database that applied it would not validate", before.file())
          .isNotNull();
      assertThat(now.file())
          .as("%s renamed: the description is validated", before.file())
          .isEqualTo(before.file());
      assertThat(now.sha256())
          .as("%s changed: its Flyway checksum would change", before.file())
          .isEqualTo(before.sha256());
    }
  }

  @Test
  void migrationsWhenPinnedThenEachNewOneHasAHigherVersionThanEveryEarlierOne() {
    // A database that applied V61 refuses a new V43 (Flyway validates "resolved but not applied"
    // below its newest version), so migrations are numbered in the order they land: the pinned list
    // is append-only and strictly increasing, and every migration on the classpath is pinned.
    List<Integer> versions =
        previouslyApplied().keySet().stream().map(v -> Integer.parseInt(v.substring(1))).toList();
    for (int i = 1; i < versions.size(); i++) {
      assertThat(versions.get(i))
          .as(
              "V%s is listed after V%s: number a new migration above every earlier one",
              versions.get(i), versions.get(i - 1))
          .isGreaterThan(versions.get(i - 1));
    }
    assertThat(previouslyApplied().keySet())
        .as("every migration pinned in db/migration-checksums.txt")
        .containsAll(onClasspath.keySet());
  }

  /** The pinned migrations in the order the file lists them (the order they landed). */
  private static Map<String, Migration> previouslyApplied() {
    Map<String, Migration> applied = new LinkedHashMap<>();
    try (InputStream in = new ClassPathResource("db/migration-checksums.txt").getInputStream()) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] fields = line.split(" ");
        applied.put(fields[0], new Migration(null, fields[0], fields[2], fields[1]));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return applied;
  }

  private static String sha256(Resource resource) throws IOException {
    try (InputStream in = resource.getInputStream()) {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
