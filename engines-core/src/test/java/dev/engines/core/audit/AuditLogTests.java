package dev.engines.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class AuditLogTests {

  private static final byte[] KEY = "k".repeat(32).getBytes(StandardCharsets.UTF_8);
  private final AuditLog log = new AuditLog(JdbcClient.create(new DriverManagerDataSource()), KEY);

  private static AuditEntry entry(Map<String, Object> details, String prevHash) {
    return new AuditEntry(
        "t_a",
        3,
        "au_aaaaaaaaaaaaaaaaaaaaaaaaaa",
        "dev",
        Instant.parse("2026-11-25T10:00:00.123456Z"),
        new AuditActor("user", "u_x", null, "ak_y"),
        "user.role_change",
        "user",
        "u_z",
        "success",
        new TreeMap<>(details),
        "0123456789abcdef0123456789abcdef",
        "req_1",
        prevHash,
        "");
  }

  @Test
  void canonicalWhenNestedDetailsInsertedInAnotherOrderThenSameHash() {
    Map<String, Object> one = new java.util.LinkedHashMap<>();
    one.put("from", "viewer");
    one.put("to", "member");
    Map<String, Object> two = new java.util.LinkedHashMap<>();
    two.put("to", "member");
    two.put("from", "viewer");
    assertThat(log.hash(entry(Map.of("change", one), AuditLog.GENESIS)))
        .isEqualTo(log.hash(entry(Map.of("change", two), AuditLog.GENESIS)));
  }

  @Test
  void hashWhenAnyFieldOrTheLinkChangesThenDiffers() {
    String base = log.hash(entry(Map.of("to", "member"), AuditLog.GENESIS));
    assertThat(log.hash(entry(Map.of("to", "owner"), AuditLog.GENESIS))).isNotEqualTo(base);
    assertThat(log.hash(entry(Map.of("to", "member"), "1".repeat(64)))).isNotEqualTo(base);
    assertThat(base).matches("[0-9a-f]{64}");
  }

  @Test
  void hashWhenKeyDiffersThenDiffers() {
    AuditLog other =
        new AuditLog(
            JdbcClient.create(new DriverManagerDataSource()),
            "j".repeat(32).getBytes(StandardCharsets.UTF_8));
    AuditEntry e = entry(Map.of("n", List.of(1, 2)), AuditLog.GENESIS);
    assertThat(other.hash(e)).isNotEqualTo(log.hash(e));
  }

  @Test
  void canonicalWhenIntegerOrLongThenSameBytes() {
    assertThat(AuditLog.canonical(entry(Map.of("n", 5), AuditLog.GENESIS)))
        .isEqualTo(AuditLog.canonical(entry(Map.of("n", 5L), AuditLog.GENESIS)));
  }

  @Test
  void constructorWhenKeyShortThenRefused() {
    assertThatThrownBy(
            () -> new AuditLog(JdbcClient.create(new DriverManagerDataSource()), new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
