package dev.engines.pii.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.pii.PiiSettings;
import dev.engines.pii.PiiSpan;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The phone detector's region filter only spares libphonenumber calls that would find nothing the
 * detector keeps: with and without it, the same text gives the same spans.
 */
class PhoneRegionFilterTests {

  private static final List<String> REGIONS = PiiSettings.defaults().phoneRegions();
  private static final PhoneDetector FILTERED = new PhoneDetector(REGIONS, true);
  private static final PhoneDetector UNFILTERED = new PhoneDetector(REGIONS, false);

  @ParameterizedTest
  @ValueSource(strings = {"/pii/shared-sample.jsonl", "/pii/unseen.jsonl", "/pii/labelled.jsonl"})
  void detectWhenLabelledCorpusThenFilterChangesNothing(String resource) throws IOException {
    JsonMapper json = JsonMapper.builder().build();
    int phones = 0;
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                PhoneRegionFilterTests.class.getResourceAsStream(resource),
                StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        String text = json.readTree(line).get("text").asString();
        List<PiiSpan> filtered = detect(FILTERED, text);
        assertThat(filtered).as(text).isEqualTo(detect(UNFILTERED, text));
        phones += filtered.size();
      }
    }
    assertThat(phones).as("phone numbers found in " + resource).isPositive();
  }

  @Test
  void detectWhenRandomPhoneShapedTextThenFilterChangesNothing() {
    // Digit groups with and without trunk prefix, country codes, IDD prefixes, brackets, context
    // words and extensions, in every mix: the cases each filter test is meant to tell apart.
    Random random = new Random(20261201L);
    String[] separators = {" ", "-", ".", "/", " / ", "(", ") ", " (0)", "-", " "};
    String[] leads = {
      "", "", "", "0", "00", "011", "+", "1 ", "44 ", "49", "33 ", "972-", "91 ", "55 ", "(0", "("
    };
    String[] words = {
      "", "", "", "call ", "tel: ", "Telefon ", "id ", "order ", "ts=", "v", "mobile ", "fax: "
    };
    String[] tails = {"", "", "", " ext. 21", " x12", ", ext 7", " today", ".", "#4"};
    int kept = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder text = new StringBuilder("note ").append(words[random.nextInt(words.length)]);
      text.append(leads[random.nextInt(leads.length)]);
      int groups = 1 + random.nextInt(5);
      for (int g = 0; g < groups; g++) {
        if (g > 0) {
          text.append(separators[random.nextInt(separators.length)]);
        }
        int length = 1 + random.nextInt(g == 0 && random.nextBoolean() ? 11 : 4);
        for (int d = 0; d < length; d++) {
          text.append((char) ('0' + random.nextInt(10)));
        }
      }
      text.append(tails[random.nextInt(tails.length)]).append(" end");
      String s = text.toString();
      List<PiiSpan> filtered = detect(FILTERED, s);
      assertThat(filtered).as(s).isEqualTo(detect(UNFILTERED, s));
      kept += filtered.isEmpty() ? 0 : 1;
    }
    // The generator must produce both kinds of text, or the comparison proves little.
    assertThat(kept).isBetween(1_000, 19_000);
  }

  private static List<PiiSpan> detect(PhoneDetector detector, String text) {
    List<PiiSpan> out = new ArrayList<>();
    detector.detect(text, text.toCharArray(), Deadline.in(10_000_000_000L), out);
    return out;
  }
}
