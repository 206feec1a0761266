package dev.engines.pii;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeterminismAndSettingsTests {

  @Test
  void settingsWhenNonPositiveCapOrBudgetThenIllegalArgument() {
    assertThatIllegalArgumentException().isThrownBy(() -> PiiSettings.defaults().withMaxInputChars(0));
    assertThatIllegalArgumentException().isThrownBy(() -> PiiSettings.defaults().withTimeBudget(Duration.ZERO));
  }

  @Test
  void listsWhenDenyTypeNotUpperSnakeThenIllegalArgument() {
    assertThatIllegalArgumentException().isThrownBy(() -> new PiiLists(Set.of(), Set.of("x"), "deny:list"));
    assertThatIllegalArgumentException().isThrownBy(() -> PiiLists.of(Set.of(""), Set.of()));
  }

  @Test
  void policyWhenVersionBelowOneThenIllegalArgument() {
    assertThatIllegalArgumentException().isThrownBy(() -> new RedactionPolicy(0, Operator.REPLACE, java.util.Map.of(), MaskSettings.all()));
  }
}
