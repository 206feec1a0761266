package dev.engines.core.gdpr;

import java.util.Map;
import java.util.Objects;

/**
 * One record that references a data subject, as an export bundle lists it.
 *
 * @param type the record type, e.g. {@code user}
 * @param id the record id
 * @param trainOk false when the record may not be used for training (exports flag it)
 * @param data the record's content as the subject may receive it (Art. 15/20)
 */
public record SubjectRecord(String type, String id, boolean trainOk, Map<String, Object> data) {

  public SubjectRecord {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    data = Map.copyOf(Objects.requireNonNull(data, "data"));
  }
}
