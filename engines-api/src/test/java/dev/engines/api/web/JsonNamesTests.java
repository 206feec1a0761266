package dev.engines.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

class JsonNamesTests {

  private final JsonNames snake =
      new JsonNames(
          JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build());

  @Test
  void pathWhenNestedAndIndexedThenTranslatesNamesOnly() {
    assertThat(snake.path("displayName")).isEqualTo("display_name");
    assertThat(snake.path("owner.displayName")).isEqualTo("owner.display_name");
    assertThat(snake.path("items[2].refType")).isEqualTo("items[2].ref_type");
    assertThat(snake.path("operators[EMAIL_ADDRESS].maskChar"))
        .isEqualTo("operators[EMAIL_ADDRESS].mask_char");
    assertThat(snake.path("lists[a.bC]")).isEqualTo("lists[a.bC]");
  }

  @Test
  void propertyWhenMapperHasNoStrategyThenKeepsJavaNames() {
    assertThat(new JsonNames(JsonMapper.builder().build()).property("displayName"))
        .isEqualTo("displayName");
  }
}
