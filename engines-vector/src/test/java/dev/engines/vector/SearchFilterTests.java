package dev.engines.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engines.core.error.InvalidFieldsException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metadata filter as SQL: every value and key a bound parameter, conditions ANDed in key order. No database. */
class SearchFilterTests {

  @Test
  void parseWhenEqualityInAndRangeThenContainmentAndGuardedNumericCastsWithBoundValues() {
    SearchFilter filter = SearchFilter.parse(Map.of("lang", "en", "tag", Map.of("in", List.of("a", 2)),
        "year", Map.of("gte", 2020, "lt", 2025.5)));
    assertThat(filter.sql()).isEqualTo(" AND metadata @> CAST(:f0 AS jsonb)"
        + " AND (metadata @> CAST(:f1_0 AS jsonb) OR metadata @> CAST(:f1_1 AS jsonb))"
        + " AND CASE WHEN jsonb_typeof(metadata -> CAST(:f2 AS text)) = 'number' THEN (metadata -> CAST(:f2 AS text))::numeric END >= :f2_gte"
        + " AND CASE WHEN jsonb_typeof(metadata -> CAST(:f2 AS text)) = 'number' THEN (metadata -> CAST(:f2 AS text))::numeric END < :f2_lt");
    assertThat(filter.params()).containsEntry("f0", "{\"lang\":\"en\"}").containsEntry("f1_0", "{\"tag\":\"a\"}")
        .containsEntry("f1_1", "{\"tag\":2}").containsEntry("f2", "year")
        .containsEntry("f2_gte", new java.math.BigDecimal("2020")).containsEntry("f2_lt", new java.math.BigDecimal("2025.5"));
  }

  @Test
  void parseWhenValueLooksLikeSqlThenItStaysAParameter() {
    SearchFilter filter = SearchFilter.parse(Map.of("note", "x' OR 1=1 --"));
    assertThat(filter.sql()).doesNotContain("OR 1=1");
    assertThat(filter.params().get("f0")).isEqualTo("{\"note\":\"x' OR 1=1 --\"}");
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
    assertThatThrownBy(() -> SearchFilter.parse(bad)).isInstanceOfSatisfying(InvalidFieldsException.class, e ->
        assertThat(e.errors()).extracting(InvalidFieldsException.FieldError::field)
            .containsExactlyInAnyOrder("filter", "filter.nested", "filter.range.gt", "filter.list.in", "filter.nan",
                "filter.nothing"));
  }
}
