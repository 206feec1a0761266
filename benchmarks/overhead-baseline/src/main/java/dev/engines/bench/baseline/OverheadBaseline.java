package dev.engines.bench.baseline;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hand-written endpoint {@code bin/engines bench overhead} measures the platform against: what
 * a team would write without Engines to serve the same atom rows and record the same usage rows.
 * One statement per read, one transaction of inserts per write, Jackson both ways; no
 * authentication, no per-request RLS binding (the pooled connections are bound to the bench tenant
 * once, by the pool's connection-init SQL the script passes), no ledger event, no access log.
 *
 * <p>A second read, {@code GET /atoms-with-event/{id}}, is the same read plus what the platform
 * keeps of it: one row in {@code bench_dataset_events} (a scratch copy of {@code dataset_events}
 * with its columns, checks, indexes and foreign key; no RLS), in the read's transaction and, like
 * the platform's events of reads, without waiting for the WAL flush. It prices the ledger row
 * alone: the floor of any implementation that records every read in that table.
 */
@SpringBootApplication
public class OverheadBaseline {

  public static void main(String[] args) {
    SpringApplication.run(OverheadBaseline.class, args);
  }

  /** What {@code GET /v1/atoms/{id}} answers, less the derivation id (a join the platform adds). */
  public record Atom(
      String atomId,
      String assetId,
      String opType,
      String opVersion,
      String paramsHash,
      long ordinal,
      Map<String, Object> span,
      String text,
      String textSha256,
      Map<String, Object> piiFlags,
      boolean trainOk,
      Instant createdAt) {}

  /** The body of {@code POST /v1/usage}. */
  public record UsageBody(List<Item> items) {}

  /** One used thing, as the platform takes it. */
  public record Item(String refType, String refId, Instant usedAt) {}

  /** What {@code POST /v1/usage} answers. */
  public record Recorded(String usageId, int items, Instant recordedAt) {}

  /** The two routes, and a health check for the script to wait on. */
  @RestController
  static class Routes {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final SecureRandom random = new SecureRandom();

    Routes(JdbcTemplate jdbc, TransactionTemplate tx, JsonMapper json) {
      this.jdbc = jdbc;
      this.tx = tx;
      this.json = json;
    }

    @GetMapping("/health")
    String health() {
      return "ok";
    }

    @GetMapping("/atoms/{atomId}")
    ResponseEntity<Atom> atom(
        @RequestHeader("X-Tenant-Id") String tenant,
        @RequestHeader("X-Env") String env,
        @PathVariable String atomId) {
      List<Atom> found =
          jdbc.query(
              "SELECT atom_id, asset_id, op_type, op_version, params_hash, ordinal, span, text,"
                  + " text_sha256, pii_flags, train_ok, created_at FROM atoms"
                  + " WHERE tenant_id = ? AND env = ? AND atom_id = ?",
              this::atom,
              tenant,
              env,
              atomId);
      return found.isEmpty() ? ResponseEntity.notFound().build() : ResponseEntity.ok(found.get(0));
    }

    @GetMapping("/atoms-with-event/{atomId}")
    ResponseEntity<Atom> atomWithEvent(
        @RequestHeader("X-Tenant-Id") String tenant,
        @RequestHeader("X-Env") String env,
        @PathVariable String atomId) {
      String requestId = UUID.randomUUID().toString();
      return tx.execute(
          status -> {
            jdbc.execute("SET LOCAL synchronous_commit = off");
            ResponseEntity<Atom> answer = atom(tenant, env, atomId);
            String refs =
                answer.hasBody()
                    ? "[{\"type\":\"atom\",\"id\":\"" + atomId + "\"}]"
                    : "[]";
            jdbc.update(
                "INSERT INTO bench_dataset_events (tenant_id, env, event_id, occurred_at, surface,"
                    + " action, kind, actor_type, actor_id, input_refs, output_refs, train_ok, outcome,"
                    + " error_code, trace_id, request_id)"
                    + " VALUES (?, ?, ?, ?, 'nexus', 'atom.get', 'read', 'service', 'baseline',"
                    + " CAST(? AS jsonb), CAST(? AS jsonb), true, ?, ?, ?, ?)",
                tenant,
                env,
                "ev_" + base32(26),
                Timestamp.from(Instant.now()),
                "[{\"type\":\"atom\",\"id\":\"" + atomId + "\"}]",
                refs,
                answer.hasBody() ? "success" : "failure",
                answer.hasBody() ? null : "not_found",
                UUID.randomUUID().toString().replace("-", ""),
                requestId);
            return answer;
          });
    }

    @PostMapping("/usage")
    ResponseEntity<Recorded> usage(
        @RequestHeader("X-Tenant-Id") String tenant,
        @RequestHeader("X-Env") String env,
        @RequestBody UsageBody body) {
      if (body == null || body.items() == null || body.items().isEmpty()) {
        return ResponseEntity.badRequest().build();
      }
      Instant now = Instant.now();
      String usageId = "us_" + base32(26);
      String requestId = UUID.randomUUID().toString();
      tx.executeWithoutResult(
          status -> {
            for (int i = 0; i < body.items().size(); i++) {
              Item item = body.items().get(i);
              jdbc.update(
                  "INSERT INTO bench_usage_log (tenant_id, env, usage_id, item, ref_type, ref_id,"
                      + " used_at, recorded_at, actor_id, request_id)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  tenant,
                  env,
                  usageId,
                  i,
                  item.refType(),
                  item.refId(),
                  Timestamp.from(item.usedAt() == null ? now : item.usedAt()),
                  Timestamp.from(now),
                  "baseline",
                  requestId);
            }
          });
      return ResponseEntity.ok(new Recorded(usageId, body.items().size(), now));
    }

    private Atom atom(ResultSet rs, int row) throws SQLException {
      return new Atom(
          rs.getString("atom_id"),
          rs.getString("asset_id"),
          rs.getString("op_type"),
          rs.getString("op_version"),
          rs.getString("params_hash"),
          rs.getLong("ordinal"),
          json.readValue(rs.getString("span"), MAP),
          rs.getString("text"),
          rs.getString("text_sha256"),
          json.readValue(rs.getString("pii_flags"), MAP),
          rs.getBoolean("train_ok"),
          rs.getTimestamp("created_at").toInstant());
    }

    private String base32(int length) {
      char[] id = new char[length];
      for (int i = 0; i < id.length; i++) {
        id[i] = BASE32[random.nextInt(32)];
      }
      return new String(id);
    }
  }
}
