package io.isometry.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.concurrent.TimeUnit;

/**
 * The TCP event-bus bridge ({@code http.tcpBridgePort}) for non-browser clients, speaking the wire
 * protocol of Vert.x's TCP event-bus bridge (frames of a 4-byte big-endian length and JSON) with the
 * rules of {@link BridgeAccess}; each connection is a {@link TcpBridgeConnection}.
 *
 * <p>Written here rather than taken from vertx-tcp-eventbus-bridge: that library collects a frame
 * whole before anyone may look at it, whatever length it announces (an unauthenticated client once
 * streamed 128 MiB into one frame and the heap ran out), and it tells nobody of a connection until its
 * first complete frame, so a silent one cannot be timed out. Here the length is judged before the
 * frame is read ({@link LengthPrefixedFrames}), and every connection has a deadline to authenticate.
 */
final class TcpBridge {

  /** Clients ping every few seconds; a connection silent for this long is gone or was never used. */
  private static final int IDLE_TIMEOUT_S = 300;

  private final Vertx vertx;
  private final BridgeAccess access;
  private final int maxFrameBytes;
  private final long authGraceMs;
  private NetServer server;

  /**
   * @param maxFrameBytes the longest frame a client may send ({@code http.maxBodyBytes})
   * @param authGraceMs how long a connection may stay without a valid token
   */
  TcpBridge(Vertx vertx, BridgeAccess access, int maxFrameBytes, long authGraceMs) {
    this.vertx = vertx;
    this.access = access;
    this.maxFrameBytes = maxFrameBytes;
    this.authGraceMs = authGraceMs;
  }

  /** Listens on {@code host}:{@code port} (0: a free port) and answers the port it got. */
  Future<Integer> listen(String host, int port) {
    NetServerOptions options = new NetServerOptions().setHost(host).setPort(port)
        .setIdleTimeout(IDLE_TIMEOUT_S).setIdleTimeoutUnit(TimeUnit.SECONDS);
    return vertx.createNetServer(options)
        .connectHandler(socket -> TcpBridgeConnection.open(vertx, socket, access, maxFrameBytes, authGraceMs))
        .listen()
        .map(listening -> {
          server = listening;
          return listening.actualPort();
        });
  }

  /** Closes the bridge and its connections at once. */
  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
