package dev.engines.api.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder between the service and PostgreSQL that a test can cut — every open connection
 * dropped, every new one closed as soon as it is accepted, the way a database that went away looks
 * to its clients — and restore, without stopping the server the other tests share.
 */
public final class TcpProxy implements AutoCloseable {

  private final String host;
  private final int port;
  private final ServerSocket server;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean down;

  /** Starts forwarding a local port to {@code host:port}. */
  public TcpProxy(String host, int port) {
    this.host = host;
    this.port = port;
    try {
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Thread.ofPlatform().daemon().name("tcp-proxy-" + server.getLocalPort()).start(this::accept);
  }

  /** The local port clients connect to. */
  public int port() {
    return server.getLocalPort();
  }

  /** Drops every connection and refuses new ones until {@link #restore}. */
  public synchronized void cut() {
    down = true;
    open.forEach(TcpProxy::close);
    open.clear();
  }

  /** Forwards new connections again. */
  public synchronized void restore() {
    down = false;
  }

  @Override
  public void close() {
    cut();
    close(server);
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      synchronized (this) {
        if (down) {
          close(client);
          continue;
        }
        try {
          Socket upstream = new Socket(host, port);
          open.add(client);
          open.add(upstream);
          pump(client, upstream);
          pump(upstream, client);
        } catch (IOException e) {
          close(client);
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread.ofVirtual()
        .start(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException ignored) {
                // one side went away: so does the other
              } finally {
                close(from);
                close(to);
              }
            });
  }

  private static void close(AutoCloseable socket) {
    try {
      socket.close();
    } catch (Exception ignored) {
      // already closed
    }
  }
}
