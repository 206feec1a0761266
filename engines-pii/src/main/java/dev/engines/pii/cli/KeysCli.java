package dev.engines.pii.cli;

import dev.engines.core.db.ScopedTransactions;
import dev.engines.core.error.EnginesException;
import dev.engines.pii.DerivedPiiKeys;
import dev.engines.pii.KekRing;
import dev.engines.pii.gdpr.DataSubjects;
import dev.engines.pii.gdpr.KekRotation;
import dev.engines.pii.gdpr.SubjectKeys;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Operator commands for the key-encryption-key ring, run through {@code bin/engines keys}
 * (docs/operations.md, "Rotating the PII key-encryption keys"):
 *
 * <ul>
 *   <li>{@code status}: the ring (primary and every key id) and the stored keys per KEK id;
 *   <li>{@code add}: prints a keyset of the current one plus a new AES-256-GCM primary (Tink JSON,
 *       for the secret store; no database needed);
 *   <li>{@code rotate [--batch N]}: re-seals every stored key under the primary, online, in
 *       batches; resumable; prints counts and exits 1 when a key was left under another KEK;
 *   <li>{@code retire KEK_ID}: refuses (exit 1) while any stored key is under that KEK or it is the
 *       primary; otherwise prints the keyset without it, or for {@value KekRing#MASTER_KEK_ID} the
 *       setting that retires the seed.
 * </ul>
 *
 * Configuration comes from the environment, the same values the service runs with: {@code
 * ENGINES_PII_MASTER_KEY}, {@code ENGINES_PII_KEK_KEYSET} (optional), {@code
 * ENGINES_PII_MASTER_KEK_RETIRED} (optional), and {@code ENGINES_DB_URL}, {@code ENGINES_DB_USER},
 * {@code ENGINES_DB_PASSWORD} of the application role (row-level security applies: the tool works
 * tenant by tenant as the service does). Key material is printed only by {@code add} and {@code
 * retire}, whose output is the new keyset.
 */
public final class KeysCli {

  private static final String USAGE =
      "usage: keys status | keys add | keys rotate [--batch N] | keys retire KEK_ID";

  private KeysCli() {}

  /** Entry point; see the class comment for the commands. */
  public static void main(String[] args) {
    PrintStream out =
        new PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out),
            false,
            StandardCharsets.UTF_8);
    int status = run(args, System.getenv(), out, System.err);
    out.flush();
    System.exit(status);
  }

  /** Runs one command with the given environment; answers the exit status. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    String keyset = env.getOrDefault("ENGINES_PII_KEK_KEYSET", "");
    try {
      if (args[0].equals("add")) {
        out.println(KekRing.withNewPrimary(keyset));
        err.println(
            "keys: a keyset with a new primary KEK is on stdout; store it as ENGINES_PII_KEK_KEYSET,");
        err.println("keys: roll it out to every instance, then run 'bin/engines keys rotate'.");
        return 0;
      }
      String master = env.get("ENGINES_PII_MASTER_KEY");
      if (master == null || master.length() < 32) {
        err.println("keys: ENGINES_PII_MASTER_KEY must hold at least 32 characters");
        return 2;
      }
      String url = env.get("ENGINES_DB_URL");
      if (url == null || url.isBlank()) {
        err.println("keys: ENGINES_DB_URL is required");
        return 2;
      }
      DataSource dataSource =
          new DriverManagerDataSource(
              url,
              env.getOrDefault("ENGINES_DB_USER", ""),
              env.getOrDefault("ENGINES_DB_PASSWORD", ""));
      DerivedPiiKeys derived = DerivedPiiKeys.fromSecret(master);
      KekRing ring =
          KekRing.of(
              derived,
              keyset,
              Boolean.parseBoolean(env.getOrDefault("ENGINES_PII_MASTER_KEK_RETIRED", "false")));
      JdbcClient jdbc = JdbcClient.create(dataSource);
      ScopedTransactions tx =
          new ScopedTransactions(jdbc, new DataSourceTransactionManager(dataSource));
      KekRotation rotation =
          new KekRotation(
              new SubjectKeys(
                  derived, ring, DataSubjects.fromMasterKey(master), jdbc, tx, Clock.systemUTC()),
              jdbc,
              tx);
      return switch (args[0]) {
        case "status" -> status(rotation, out);
        case "rotate" -> rotate(rotation, batch(args), out, err);
        case "retire" -> retire(rotation, args, keyset, out, err);
        default -> {
          err.println(USAGE);
          yield 2;
        }
      };
    } catch (IllegalArgumentException | EnginesException e) {
      err.println("keys: " + e.getMessage());
      return 1;
    }
  }

  private static int status(KekRotation rotation, PrintStream out) {
    KekRing ring = rotation.ring();
    out.println("primary " + ring.primaryId());
    out.println("ring    " + String.join(" ", ring.keyIds()));
    Map<String, Long> counts = rotation.status();
    for (String id : ring.keyIds()) {
      counts.putIfAbsent(id, 0L);
    }
    counts.forEach(
        (id, n) ->
            out.printf(
                "kek %-24s rows %10d%s%n",
                id,
                n,
                ring.keyIds().contains(id)
                    ? ""
                    : "  NOT IN THE RING: these keys cannot be unsealed"));
    return counts.keySet().stream().allMatch(ring.keyIds()::contains) ? 0 : 1;
  }

  private static int rotate(KekRotation rotation, int batch, PrintStream out, PrintStream err) {
    String primary = rotation.ring().primaryId();
    long resealed =
        rotation.rotate(
            batch, (tenant, n) -> err.println("keys: " + tenant.value() + ": re-sealed " + n));
    Map<String, Long> after = rotation.status();
    long left =
        after.entrySet().stream()
            .filter(e -> !e.getKey().equals(primary))
            .mapToLong(Map.Entry::getValue)
            .sum();
    out.println("resealed " + resealed + " under " + primary + "; left under other KEKs " + left);
    return left == 0 ? 0 : 1;
  }

  private static int retire(
      KekRotation rotation, String[] args, String keyset, PrintStream out, PrintStream err) {
    if (args.length != 2) {
      err.println(USAGE);
      return 2;
    }
    String kekId = args[1];
    long references = rotation.referencesBeforeRetiring(kekId);
    if (references > 0) {
      err.println(
          "keys: refused: "
              + references
              + " stored keys are still sealed under "
              + kekId
              + "; run 'bin/engines keys rotate' first");
      return 1;
    }
    if (kekId.equals(KekRing.MASTER_KEK_ID)) {
      out.println("ENGINES_PII_MASTER_KEK_RETIRED=true");
      err.println(
          "keys: no stored key is under " + kekId + "; set the line above on every instance.");
      return 0;
    }
    out.println(KekRing.without(keyset, kekId));
    err.println("keys: no stored key is under " + kekId + "; the keyset without it is on stdout.");
    return 0;
  }

  private static int batch(String[] args) {
    if (args.length == 3 && args[1].equals("--batch")) {
      try {
        return Integer.parseInt(args[2]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--batch takes a number");
      }
    }
    if (args.length != 1) {
      throw new IllegalArgumentException(USAGE);
    }
    return 500;
  }
}
