package dev.engines.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class OverlapAndListsTests {

  @Test
  void analyzeWhenCardDigitsInsideIbanThenLongerIbanWins() {
    // 2502 5968 6990 5592 is a Luhn-valid Mastercard-range number inside an Austrian IBAN; both
    // score 1.
    assertThat(Engines.found("IBAN AT10 2502 5968 6990 5592.")).containsExactly("IBAN_CODE 5 29");
  }

  @Test
  void analyzeWhenIpv4InsideMappedIpv6ThenOneLongerSpan() {
    assertThat(Engines.found("peer ::ffff:10.0.0.1")).containsExactly("IP_ADDRESS 5 20");
  }

  @Test
  void analyzeWhenUrlCredentialsLookLikeEmailThenCredentialsOnly() {
    assertThat(Engines.found("redis://default:hunter22@cache.example.com:6379"))
        .containsExactly("URL_CREDENTIALS 8 24");
  }

  @Test
  void analyzeWhenSpansReturnedThenSortedAndDisjoint() {
    var spans =
        Engines.ENGINE.analyze(
            "a@example.com 10.0.0.1 4111111111111111 a@example.com", PiiLists.none());
    assertThat(spans).extracting(PiiSpan::start).isSorted();
    for (int i = 1; i < spans.size(); i++) {
      assertThat(spans.get(i).start()).isGreaterThanOrEqualTo(spans.get(i - 1).end());
    }
  }

  @Test
  void analyzeWhenDenyTermThenFlaggedAsDenyType() {
    PiiLists lists = new PiiLists(Set.of(), Set.of("Project Falcon"), "CODENAME");
    assertThat(Engines.ENGINE.analyze("Status of Project Falcon, not Project Falconry.", lists))
        .containsExactly(new PiiSpan("CODENAME", 10, 24, 1.0));
  }

  @Test
  void analyzeWhenAllowTermThenDetectorFindingDropped() {
    PiiLists lists = PiiLists.of(Set.of("support@example.com"), Set.of());
    assertThat(Engines.ENGINE.analyze("mail support@example.com or bob@example.com", lists))
        .containsExactly(new PiiSpan(PiiTypes.EMAIL_ADDRESS, 28, 43, 1.0));
  }

  @Test
  void analyzeWhenTermOnBothListsThenStillFlagged() {
    PiiLists lists = PiiLists.of(Set.of("bob@example.com"), Set.of("bob@example.com"));
    assertThat(Engines.ENGINE.analyze("bob@example.com", lists))
        .extracting(PiiSpan::type)
        .containsExactly(PiiTypes.DENY_LIST);
  }
}
