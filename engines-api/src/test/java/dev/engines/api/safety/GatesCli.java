package dev.engines.api.safety;

import ch.qos.logback.classic.Level;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/engines gates}: the production-readiness gate an operator's CI runs before a deploy.
 * Three steps, each printing its findings, then one summary line; the exit status is 0 only when
 * all pass:
 *
 * <ol>
 *   <li>the deployment's configuration through the startup checks ({@link ConfigurationGate});
 *   <li>the safety rules over the build's classes ({@link SafetyRules});
 *   <li>with {@code --url}, the isolation suite black-box against the running deployment ({@link
 *       BlackBoxIsolation}); the operator token comes from {@code ENGINES_OPERATOR_TOKEN} or {@code
 *       --operator-token-file}, never the command line.
 * </ol>
 *
 * Any other {@code --name=value} argument goes to the configuration check as a Spring argument.
 */
public final class GatesCli {

  private static final String USAGE =
      """
      usage: bin/engines gates [--profile NAME] [--config FILE]... [--name=value]...
                               [--url URL [--operator-token-file FILE] [--api-docs URL|FILE]] [--skip-config]
        --profile NAME   the deployment's Spring profile(s), comma-separated
        --config FILE    a deployment configuration file (repeatable), read as startup reads it
        --url URL        run the isolation suite against this deployment (operator token: ENGINES_OPERATOR_TOKEN)
        --api-docs X     the OpenAPI document if the deployment does not serve /v3/api-docs
        --skip-config    skip the configuration check (e.g. when only --url is of interest)""";

  private GatesCli() {}

  public static void main(String[] args) {
    // The gate prints its own findings; the application's and ArchUnit's logs would only repeat
    // them
    // (the configuration check leaves Logback as it finds it).
    if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)
        instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(Level.OFF);
    }
    System.exit(run(List.of(args), System.getenv("ENGINES_OPERATOR_TOKEN"), System.out));
  }

  /** Runs the gate; answers the exit status (0 pass, 1 a gate failed, 2 usage). */
  static int run(List<String> args, String tokenFromEnv, PrintStream out) {
    List<String> spring = new ArrayList<>();
    List<String> configs = new ArrayList<>();
    String url = null;
    String apiDocs = null;
    String token = tokenFromEnv;
    boolean skipConfig = false;
    try {
      for (int i = 0; i < args.size(); i++) {
        String arg = args.get(i);
        switch (arg) {
          case "--profile" -> spring.add("--spring.profiles.active=" + args.get(++i));
          case "--config" -> configs.add("file:" + Path.of(args.get(++i)).toAbsolutePath());
          case "--url" -> url = args.get(++i);
          case "--api-docs" -> apiDocs = args.get(++i);
          case "--operator-token-file" -> token = Files.readString(Path.of(args.get(++i))).strip();
          case "--skip-config" -> skipConfig = true;
          case "-h", "--help" -> {
            out.println(USAGE);
            return 0;
          }
          default -> {
            if (!arg.startsWith("--") || !arg.contains("=")) {
              out.println("gates: unknown argument '" + arg + "'\n" + USAGE);
              return 2;
            }
            spring.add(arg);
          }
        }
      }
    } catch (IndexOutOfBoundsException e) {
      out.println("gates: an option lacks its value\n" + USAGE);
      return 2;
    } catch (IOException e) {
      out.println("gates: cannot read the operator token file: " + e.getMessage());
      return 2;
    }
    if (url != null && (token == null || token.isBlank())) {
      out.println(
          "gates: --url needs the operator token in ENGINES_OPERATOR_TOKEN or --operator-token-file");
      return 2;
    }
    if (!configs.isEmpty()) {
      spring.add("--spring.config.additional-location=" + String.join(",", configs));
    }

    List<String> summary = new ArrayList<>();
    boolean pass = true;
    if (skipConfig) {
      summary.add("configuration=skipped");
    } else {
      ConfigurationGate.Outcome config = ConfigurationGate.check(spring);
      config.lines().forEach(line -> out.println("config: " + line));
      summary.add("configuration=" + (config.ok() ? "ok" : "FAILED"));
      pass &= config.ok();
    }

    int violations = safety(out);
    summary.add(
        "safety="
            + (violations == 0 ? "ok" : violations + " violations")
            + " ("
            + SafetyRules.names().size()
            + " rules)");
    pass &= violations == 0;

    if (url == null) {
      summary.add("isolation=skipped (no --url)");
    } else {
      URI docs =
          apiDocs == null
              ? null
              : apiDocs.startsWith("http") ? URI.create(apiDocs) : Path.of(apiDocs).toUri();
      try {
        BlackBoxIsolation.Result result =
            new BlackBoxIsolation(URI.create(url), token, docs, out).run();
        summary.add(result.summary());
        pass &= result.leaked() == 0;
      } catch (RuntimeException e) {
        out.println("isolation: could not run: " + e.getMessage());
        summary.add("isolation=FAILED");
        pass = false;
      }
    }
    out.println("engines gates: " + String.join(" ", summary) + " -> " + (pass ? "PASS" : "FAIL"));
    return pass ? 0 : 1;
  }

  /** Runs every safety rule; prints each violation; answers their number. */
  private static int safety(PrintStream out) {
    JavaClasses classes = SafetyRules.production();
    int violations = 0;
    for (Map.Entry<String, ArchRule> rule : SafetyRules.all("dev.engines").entrySet()) {
      EvaluationResult result = rule.getValue().evaluate(classes);
      for (String detail : result.getFailureReport().getDetails()) {
        out.println("safety " + rule.getKey() + ": " + detail);
        violations++;
      }
    }
    return violations;
  }
}
