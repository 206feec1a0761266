package dev.engines.ledger.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The typed OpenLineage events the relay publishes (spec 2-0-2): the part of the model Engines
 * emits, as records Jackson writes. Written here because the {@code openlineage-java} client does
 * not resolve from this build's Maven repository (ADR 0015); field names and required members
 * follow the spec's JSON schema, which {@code OpenLineageSinkTests} checks on the wire.
 */
final class OpenLineageEvents {

  /** Schema of the spec version these records follow. */
  static final String SPEC = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/";

  private OpenLineageEvents() {}

  /** A RunEvent or a DatasetEvent: what one POST carries (or one element of a batch). */
  sealed interface Event permits RunEvent, DatasetEvent {}

  /** The run states the relay reports: a derivation starts and completes. */
  enum EventType {
    START,
    COMPLETE
  }

  /** A run's state change, with its job and datasets. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RunEvent(
      EventType eventType,
      String eventTime,
      Run run,
      Job job,
      List<Dataset> inputs,
      List<Dataset> outputs,
      String producer,
      String schemaURL)
      implements Event {

    RunEvent(
        EventType eventType,
        String eventTime,
        Run run,
        Job job,
        List<Dataset> inputs,
        List<Dataset> outputs,
        String producer) {
      this(eventType, eventTime, run, job, inputs, outputs, producer, SPEC + "RunEvent");
    }
  }

  /** A dataset's own change (created, dropped), outside any run. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record DatasetEvent(String eventTime, Dataset dataset, String producer, String schemaURL)
      implements Event {

    DatasetEvent(String eventTime, Dataset dataset, String producer) {
      this(eventTime, dataset, producer, SPEC + "DatasetEvent");
    }
  }

  /** A run: its id, the same for all of its events. */
  record Run(String runId) {}

  /** A job: what runs, named within a namespace. */
  record Job(String namespace, String name) {}

  /** A dataset, with its facets (null for none). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Dataset(String namespace, String name, Map<String, Object> facets) {

    Dataset(String namespace, String name) {
      this(namespace, name, null);
    }
  }

  /** The {@code lifecycleStateChange} dataset facet. */
  record LifecycleStateChange(
      @JsonProperty("_producer") String producer,
      @JsonProperty("_schemaURL") String schemaUrl,
      String lifecycleStateChange) {

    static final String SCHEMA =
        "https://openlineage.io/spec/facets/1-0-1/LifecycleStateChangeDatasetFacet.json";

    static LifecycleStateChange drop(String producer) {
      return new LifecycleStateChange(producer, SCHEMA, "DROP");
    }
  }
}
