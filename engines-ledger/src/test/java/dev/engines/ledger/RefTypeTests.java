package dev.engines.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RefTypeTests {

  @Test
  void ofWhenWireNameThenTypeAndNothingForOtherNames() {
    assertThat(RefType.of("api_key")).contains(RefType.API_KEY);
    assertThat(RefType.of("key")).as("an old name is no name of today").isEmpty();
    assertThat(RefType.of("API_KEY")).isEmpty();
  }

  @Test
  void storedWhenOlderEventsNameThenReadAsTodaysTypeAndUnknownFailsLoudly() {
    // Guards against key:ak_… and slot:nexus reading back beside api_key:ak_… and config:nexus/2.
    assertThat(RefType.stored("key")).isEqualTo(RefType.API_KEY);
    assertThat(RefType.stored("slot")).isEqualTo(RefType.CONFIG);
    assertThat(RefType.stored("hold")).isEqualTo(RefType.LEGAL_HOLD);
    assertThat(RefType.API_KEY.storedNames()).containsExactly("api_key", "key");
    assertThatThrownBy(() -> RefType.stored("widget")).isInstanceOf(IllegalStateException.class);
  }
}
