package dev.engines.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.InvalidFieldsException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The metadata filter as SQL: semi-joins on the typed side table, every value and key a bound
 * parameter, conditions ANDed in key order. No database.
 */
class SearchFilterTests {

  @Test
  void parseWhenEqualityInAndRangeThenOneSemiJoinPerKeyOnTheTypedIndexesWithBoundValues() {
    SearchFilter filter =
        SearchFilter.parse(
            Map.of(
                "lang",
                "en",
                "tag",
                Map.of("in", List.of("a", 2, true, "b")),
                "year",
                Map.of("gte", 2020, "lt", 2025.5)));
    String scope =
        "SELECT m.vector_id FROM vector_metadata m WHERE m.tenant_id = :t AND m.env = :e AND m.space_id = :s AND m.key = ";
    assertThat(filter.sql())
        .isEqualTo(
            " AND vectors.vector_id IN ("
                + scope
                + ":f0 AND m.value_sha256 IN"
                + " (sha256(convert_to(CAST(:f0_0 AS text), 'UTF8'))))"
                + " AND vectors.vector_id IN ("
                + scope
                + ":f1 AND m.value_sha256 IN (sha256(convert_to(CAST(:f1_0 AS text), 'UTF8')),"
                + " sha256(convert_to(CAST(:f1_3 AS text), 'UTF8')))"
                + " UNION ALL "
                + scope
                + ":f1 AND m.value_key IN (vector_metadata_number_key(CAST(:f1_1 AS numeric)))"
                + " AND m.value_number IN (CAST(:f1_1 AS numeric))"
                + " UNION ALL "
                + scope
                + ":f1 AND m.value_bool IN (CAST(:f1_2 AS boolean)))"
                + " AND vectors.vector_id IN ("
                + scope
                + ":f2 AND m.value_key >= vector_metadata_number_key(CAST(:f2_gte AS numeric))"
                + " AND m.value_number >= CAST(:f2_gte AS numeric) AND m.value_key <= vector_metadata_number_key(CAST(:f2_lt AS numeric))"
                + " AND m.value_number < CAST(:f2_lt AS numeric))");
    assertThat(filter.params())
        .containsEntry("f0", "lang")
        .containsEntry("f0_0", "en")
        .containsEntry("f1", "tag")
        .containsEntry("f1_0", "a")
        .containsEntry("f1_1", new BigDecimal("2"))
        .containsEntry("f1_2", true)
        .containsEntry("f1_3", "b")
        .containsEntry("f2", "year")
        .containsEntry("f2_gte", new BigDecimal("2020"))
        .containsEntry("f2_lt", new BigDecimal("2025.5"));
  }

  @Test
  void parseWhenRangeIsStrictThenTheKeyBoundIsNotBecauseNumbersShareKeys() {
    assertThat(SearchFilter.parse(Map.of("n", Map.of("gt", 1, "lt", 9))).sql())
        .contains(
            "m.value_key >= vector_metadata_number_key(CAST(:f0_gt AS numeric)) AND m.value_number > CAST(:f0_gt AS numeric)")
        .contains(
            "m.value_key <= vector_metadata_number_key(CAST(:f0_lt AS numeric)) AND m.value_number < CAST(:f0_lt AS numeric)");
  }

  @Test
  void parseWhenValueLooksLikeSqlThenItStaysAParameter() {
    SearchFilter filter = SearchFilter.parse(Map.of("note", "x' OR 1=1 --"));
    assertThat(filter.sql()).doesNotContain("OR 1=1");
    assertThat(filter.params().get("f0_0")).isEqualTo("x' OR 1=1 --");
  }

  @Test
  void parseWhenNullOrEmptyThenNoCondition() {
    assertThat(SearchFilter.parse(null).isEmpty()).isTrue();
    assertThat(SearchFilter.parse(Map.of()).isEmpty()).isTrue();
  }

  @Test
  void parseWhenConditionsBreakRulesThenEveryOneNamed() {
    Map<String, Object> bad = new java.util.LinkedHashMap<>();
    bad.put("bad key!", 1);
    bad.put("nested", Map.of("x", 1));
    bad.put("range", Map.of("gt", "ten"));
    bad.put("list", Map.of("in", List.of(Map.of())));
    bad.put("nan", Double.NaN);
    bad.put("nothing", null);
    assertThatThrownBy(() -> SearchFilter.parse(bad))
        .isInstanceOfSatisfying(
            InvalidFieldsException.class,
            e ->
                assertThat(e.errors())
                    .extracting(InvalidFieldsException.FieldError::field)
                    .containsExactlyInAnyOrder(
                        "filter",
                        "filter.nested",
                        "filter.range.gt",
                        "filter.list.in",
                        "filter.nan",
                        "filter.nothing"));
  }
}
