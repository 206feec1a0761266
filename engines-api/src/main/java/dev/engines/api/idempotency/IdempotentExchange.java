package dev.engines.api.idempotency;

import dev.engines.core.idempotency.Idempotency;
import dev.engines.core.ids.Ids;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * One {@code POST} that sent an {@code Idempotency-Key}, while it runs: its body, digested as the
 * handler reads it (never held in memory: an upload streams through), and the key's claim once the
 * request holds it. Lives in the request's attributes between {@link IdempotencyFilter} and the end
 * of the request.
 */
final class IdempotentExchange {

  static final String ATTRIBUTE = "engines.idempotency.exchange";

  private final DigestingRequest request;
  private String onBehalfOf;
  private Idempotency.Claim claim;
  private boolean open = true;
  private String requestHash;

  IdempotentExchange(HttpServletRequest request) {
    this.request = new DigestingRequest(request);
  }

  /** The request the chain sees: its body digests as it is read. */
  HttpServletRequest request() {
    return request;
  }

  /** The user a service acts for, part of what makes a request the same. */
  void onBehalfOf(String userId) {
    this.onBehalfOf = userId;
  }

  void claimed(Idempotency.Claim claim) {
    this.claim = claim;
  }

  /** The claim while the request holds its key and has not answered yet, else null. */
  Idempotency.Claim openClaim() {
    return open ? claim : null;
  }

  /** The claim the request held, if any. */
  Idempotency.Claim claim() {
    return claim;
  }

  /** The request has answered: its claim moves no further with its transactions. */
  void close() {
    open = false;
  }

  /**
   * SHA-256 over what makes two requests the same: method, path, query, content type, the user a
   * service acts for, and the body's SHA-256. Reads what the handler left of the body first.
   */
  String requestHash() {
    if (requestHash == null) {
      MessageDigest digest = Ids.sha256();
      for (String part :
          new String[] {
            "engines-idempotent-request/v1",
            request.getMethod(),
            request.getRequestURI(),
            nullToEmpty(request.getQueryString()),
            nullToEmpty(request.getContentType()),
            nullToEmpty(onBehalfOf),
            request.bodySha256()
          }) {
        // Header values and the request line hold no line feed (the input filter refuses control
        // characters).
        digest.update(part.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
      }
      requestHash = HexFormat.of().formatHex(digest.digest());
    }
    return requestHash;
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }

  /** The request with a body stream that feeds a SHA-256 as it is read. */
  private static final class DigestingRequest extends HttpServletRequestWrapper {

    private final MessageDigest digest = Ids.sha256();
    private DigestingStream stream;
    private BufferedReader reader;

    DigestingRequest(HttpServletRequest request) {
      super(request);
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new DigestingStream(super.getInputStream(), digest);
      }
      return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      if (reader == null) {
        String encoding = getCharacterEncoding();
        reader =
            new BufferedReader(
                new InputStreamReader(
                    getInputStream(),
                    encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding)));
      }
      return reader;
    }

    /** Reads the rest of the body (what the handler did not) and answers its SHA-256, hex. */
    String bodySha256() {
      try {
        ServletInputStream in = getInputStream();
        byte[] buffer = new byte[8192];
        while (in.read(buffer) >= 0) {
          // digested by the stream
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return HexFormat.of().formatHex(digest.digest());
    }
  }

  private static final class DigestingStream extends ServletInputStream {

    private final ServletInputStream in;
    private final MessageDigest digest;

    DigestingStream(ServletInputStream in, MessageDigest digest) {
      this.in = in;
      this.digest = digest;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        digest.update((byte) b);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        digest.update(buffer, offset, n);
      }
      return n;
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
