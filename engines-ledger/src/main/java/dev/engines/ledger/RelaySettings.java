package dev.engines.ledger;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code engines.ledger.relay} block: the outbox relay publishing DatasetEvents to sinks. Off
 * unless {@code enabled}; when on, every named sink must be configured.
 *
 * @param enabled run the relay on a schedule in this process
 * @param interval pause between relay passes
 * @param batchSize events per delivery
 * @param sinks {@code log} and/or {@code openlineage}
 * @param openlineageUrl base URL of an OpenLineage HTTP endpoint (Marquez: events go to {@code
 *     <url>/api/v1/lineage})
 * @param openlineageTimeout per-request timeout of the OpenLineage sink
 * @param openlineageApiKey sent as {@code Authorization: Bearer <key>} to the OpenLineage endpoint;
 *     empty for none (a secret: never logged)
 * @param openlineageBatch send each relay batch as one request to {@code
 *     <url>/api/v1/lineage/batch} instead of one request per event
 */
@Validated
@ConfigurationProperties("engines.ledger.relay")
public record RelaySettings(
    boolean enabled,
    Duration interval,
    @Min(1) @Max(10000) int batchSize,
    List<String> sinks,
    URI openlineageUrl,
    Duration openlineageTimeout,
    String openlineageApiKey,
    boolean openlineageBatch) {

  public RelaySettings {
    interval = interval == null ? Duration.ofSeconds(2) : interval;
    batchSize = batchSize == 0 ? 500 : batchSize;
    sinks = sinks == null ? List.of() : List.copyOf(sinks);
    openlineageTimeout = openlineageTimeout == null ? Duration.ofSeconds(10) : openlineageTimeout;
  }

  @AssertTrue(
      message =
          "an enabled relay needs sinks (log, openlineage); openlineage needs openlineage-url")
  public boolean isComplete() {
    if (!enabled) {
      return true;
    }
    return !sinks.isEmpty()
        && sinks.stream().allMatch(s -> s.equals("log") || s.equals("openlineage"))
        && (!sinks.contains("openlineage") || openlineageUrl != null);
  }

  /** Leaves the API key out: settings get logged when startup fails. */
  @Override
  public String toString() {
    return "RelaySettings[enabled="
        + enabled
        + ", interval="
        + interval
        + ", batchSize="
        + batchSize
        + ", sinks="
        + sinks
        + ", openlineageUrl="
        + openlineageUrl
        + ", openlineageTimeout="
        + openlineageTimeout
        + ", openlineageApiKey="
        + (openlineageApiKey == null || openlineageApiKey.isEmpty() ? "none" : "<redacted>")
        + ", openlineageBatch="
        + openlineageBatch
        + "]";
  }
}
