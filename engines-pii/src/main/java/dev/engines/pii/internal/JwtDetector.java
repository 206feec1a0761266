package dev.engines.pii.internal;

import dev.engines.pii.PiiSpan;
import dev.engines.pii.PiiTypes;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON Web Tokens (compact JWS): three base64url segments joined by dots, the last one possibly
 * empty (unsigned tokens), whose first segment decodes to a JSON object with an {@code alg} member.
 * The cheap anchor is {@code eyJ}, which every JSON-object header starts with once encoded.
 */
final class JwtDetector implements Detector {

  static final double SCORE = 1.0;
  private static final int MAX_HEADER = 2048;
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  @Override
  public void detect(String text, char[] c, Deadline deadline, List<PiiSpan> out) {
    int n = c.length;
    int at = text.indexOf("eyJ");
    while (at >= 0) {
      int next = at + 3;
      if (!Chars.isBase64Url(at > 0 ? c[at - 1] : ' ')) {
        int headerEnd = run(c, at);
        // Any later start inside this run ends at the same place, so continue past it.
        next = headerEnd;
        int payloadEnd = headerEnd < n && c[headerEnd] == '.' ? run(c, headerEnd + 1) : -1;
        if (payloadEnd > headerEnd + 1 && payloadEnd < n && c[payloadEnd] == '.') {
          int end = run(c, payloadEnd + 1);
          if (!(end < n && c[end] == '.') && header(text, at, headerEnd)) {
            out.add(new PiiSpan(PiiTypes.JWT, at, end, SCORE));
            next = end;
          }
        }
      }
      at = next < n ? text.indexOf("eyJ", next) : -1;
    }
  }

  private static int run(char[] c, int from) {
    int i = from;
    while (i < c.length && Chars.isBase64Url(c[i])) {
      i++;
    }
    return i;
  }

  private static boolean header(String text, int start, int end) {
    if (end - start > MAX_HEADER) {
      return false;
    }
    try {
      byte[] json = Base64.getUrlDecoder().decode(text.substring(start, end));
      JsonNode node = JSON.readTree(json);
      return node != null && node.isObject() && node.has("alg");
    } catch (RuntimeException notJson) {
      return false;
    }
  }
}
