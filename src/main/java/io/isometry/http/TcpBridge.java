package io.isometry.http;

import io.isometry.auth.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.eventbus.bridge.tcp.BridgeEvent;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The TCP event-bus bridge ({@code http.tcpBridgePort}) for non-browser clients: frames of a 4-byte
 * big-endian length and JSON, with the rules of {@link BridgeAccess}. This bridge relays what a client
 * registered for without asking anyone, so an operator cannot listen on the shared event addresses
 * here (it would see everyone's processes); it listens on its own channels ({@link OwnerChannels}),
 * and on {@code stats}. A frame without a valid token is refused and its connection closed.
 *
 * <p>Unlike the SockJS bridge, this library neither limits the length a frame announces nor stops
 * writing to a client that does not read, so it listens on {@code http.host} only (loopback by
 * default) and is turned off with {@code http.tcpBridgePort: -1} where local clients are not trusted.
 */
final class TcpBridge {

  /** Binding a port that was free a moment ago can lose a race with another program: try again. */
  private static final int BIND_ATTEMPTS = 5;
  /** Clients ping every few seconds; a connection silent for this long is gone or was never used. */
  private static final int IDLE_TIMEOUT_S = 300;

  private final Vertx vertx;
  private final BridgeAccess access;
  private TcpEventBusBridge bridge;

  TcpBridge(Vertx vertx, BridgeAccess access) {
    this.vertx = vertx;
    this.access = access;
  }

  /** Closes the bridge and its connections at once. */
  Future<Void> close() {
    return bridge == null ? Future.succeededFuture() : bridge.close();
  }

  /**
   * Listens on {@code host}:{@code port} and answers the port. The bridge does not tell which port it
   * got for port 0, so a free one is found first (off the event loop: it binds a probe socket, and the
   * host may need resolving), and another is tried if it is taken in between.
   */
  Future<Integer> listen(String host, int port) {
    return listen(host, port, BIND_ATTEMPTS);
  }

  private Future<Integer> listen(String host, int port, int attemptsLeft) {
    Future<Integer> chosen = port == 0 ? vertx.executeBlocking(() -> freePort(host)) : Future.succeededFuture(port);
    return chosen.compose(free -> bind(host, free))
        .recover(failure -> port == 0 && attemptsLeft > 1
            ? listen(host, port, attemptsLeft - 1)
            : Future.failedFuture(failure));
  }

  private Future<Integer> bind(String host, int port) {
    NetServerOptions server = new NetServerOptions().setHost(host).setPort(port)
        .setIdleTimeout(IDLE_TIMEOUT_S).setIdleTimeoutUnit(TimeUnit.SECONDS);
    TcpEventBusBridge candidate = TcpEventBusBridge.create(vertx, BridgeAccess.permitted(new BridgeOptions()),
        server, this::handle);
    return candidate.listen(port, host).map(listening -> {
      bridge = listening;
      return port;
    });
  }

  private void handle(BridgeEvent event) {
    switch (event.type()) {
      case SEND -> event.complete(speaker(event).map(who -> access.admitSend(event.getRawMessage(), who)).orElse(false));
      case REGISTER -> event.complete(speaker(event)
          .map(who -> BridgeAccess.mayRegister(BridgeAccess.address(event.getRawMessage()), who, false)).orElse(false));
      case PUBLISH -> event.complete(false);
      default -> event.complete(true);
    }
  }

  private Optional<Principal> speaker(BridgeEvent event) {
    Optional<Principal> principal = access.authenticate(event.getRawMessage());
    if (principal.isEmpty()) {
      NetSocket socket = event.socket();
      // After the refusal has been written: the bridge writes it once this handler has answered.
      vertx.runOnContext(later -> socket.close());
    }
    return principal;
  }

  private static int freePort(String host) {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + host, e);
    }
  }
}
