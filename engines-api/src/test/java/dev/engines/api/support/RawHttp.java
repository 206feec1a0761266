package dev.engines.api.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte: for requests a well-behaved client refuses to send
 * (control characters in headers, {@code %2f} or {@code %00} in paths, bare CR, oversized headers,
 * a body shorter than its {@code Content-Length}). Each request closes its connection.
 */
public final class RawHttp {

  private final int port;

  public RawHttp(int port) {
    this.port = port;
  }

  /**
   * Sends {@code method target} with the headers (values are written as UTF-8 bytes) and an
   * optional body, and reads the answer until the server closes the connection.
   */
  public TestApi.Response send(
      String method, String target, Map<String, String> headers, String body) {
    StringBuilder head =
        new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    head.append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    byte[] content = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    if (content != null
        && headers.keySet().stream().noneMatch("Content-Length"::equalsIgnoreCase)) {
      head.append("Content-Length: ").append(content.length).append("\r\n");
    }
    head.append("\r\n");
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    if (content != null) {
      request.writeBytes(content);
    }
    return exchange(request.toByteArray(), false);
  }

  /**
   * Writes {@code request} as is; with {@code halfClose} the client then shuts its output down (it
   * sends nothing more, as a client whose upload broke off) and still reads the answer.
   */
  public TestApi.Response exchange(byte[] request, boolean halfClose) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      if (halfClose) {
        socket.shutdownOutput();
      }
      return parse(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code head} (a request line, headers and the start of a body), then, once {@code gate}
   * opens, {@code tail}, and reads the answer: a request whose body arrives in two parts, so the
   * server runs it while its body is still on the way.
   */
  public TestApi.Response exchange(
      byte[] head, java.util.concurrent.CountDownLatch gate, byte[] tail) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      out.write(head);
      out.flush();
      if (!gate.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new IOException("the rest of the request was never released");
      }
      out.write(tail);
      out.flush();
      return parse(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static TestApi.Response parse(InputStream in) throws IOException {
    byte[] all = in.readAllBytes();
    int end = indexOf(all, CRLF_CRLF, 0);
    if (end < 0) {
      throw new IOException("no HTTP answer: " + new String(all, StandardCharsets.ISO_8859_1));
    }
    String[] lines = new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers
          .computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).trim());
    }
    boolean chunked =
        headers.entrySet().stream()
            .anyMatch(
                e ->
                    e.getKey().equalsIgnoreCase("Transfer-Encoding")
                        && e.getValue().contains("chunked"));
    byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
    return new TestApi.Response(
        status, new String(chunked ? dechunk(body) : body, StandardCharsets.UTF_8), headers);
  }

  private static final byte[] CRLF_CRLF = {'\r', '\n', '\r', '\n'};

  private static byte[] dechunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < body.length) {
      int lineEnd = indexOf(body, new byte[] {'\r', '\n'}, at);
      int size =
          Integer.parseInt(
              new String(body, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim(),
              16);
      if (size == 0) {
        break;
      }
      out.write(body, lineEnd + 2, size);
      at = lineEnd + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] data, byte[] part, int from) {
    outer:
    for (int i = from; i <= data.length - part.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (data[i + j] != part[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
