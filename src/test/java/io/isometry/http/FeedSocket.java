package io.isometry.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A WebSocket client of the feed for tests: it records every frame it receives, and lets the JUnit
 * thread wait for a frame that matches (whether it came before or comes after the call).
 */
final class FeedSocket {

  private static final Duration WAIT = Duration.ofSeconds(20);

  /** Held so that it lives as long as the socket: Vert.x closes a client nobody holds any more. */
  private final WebSocketClient client;
  private final WebSocket socket;
  private final List<JsonObject> frames = new ArrayList<>();
  private boolean closed;

  private FeedSocket(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.textMessageHandler(text -> received(new JsonObject(text)));
    // The SockJS bridge's raw WebSocket transport writes its JSON frames as binary messages.
    socket.binaryMessageHandler(bytes -> received(new JsonObject(bytes)));
    socket.closeHandler(gone -> markClosed());
  }

  /** A socket authenticated by its handshake's {@code Authorization} header. */
  static FeedSocket connect(Vertx vertx, int port, String token) {
    return open(vertx, new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1")
        .setURI(ApiRouter.WEB_SOCKET_PATH).addHeader("Authorization", "Bearer " + token));
  }

  /** A socket without a token (it must send an {@code auth} message, as browsers do). */
  static FeedSocket connectWithoutToken(Vertx vertx, int port) {
    return open(vertx, new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1")
        .setURI(ApiRouter.WEB_SOCKET_PATH));
  }

  static FeedSocket open(Vertx vertx, WebSocketConnectOptions options) {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket socket = client.connect(options).await();
    return new FeedSocket(client, socket);
  }

  WebSocket socket() {
    return socket;
  }

  void send(JsonObject message) {
    socket.writeTextMessage(message.encode()).await();
  }

  void sendText(String text) {
    socket.writeTextMessage(text).await();
  }

  void close() {
    socket.close().compose(closed -> client.close()).await();
  }

  /** The first frame, received so far or later, that matches. */
  synchronized JsonObject await(String what, Predicate<JsonObject> matches) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      for (JsonObject frame : frames) {
        if (matches.test(frame)) {
          return frame;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no frame " + what + " within " + WAIT + "; received " + frames);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /** Waits until the server has closed the socket. */
  synchronized void awaitClosed() throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("the socket is still open after " + WAIT);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /** Every frame received so far, in order. */
  synchronized List<JsonObject> frames() {
    return List.copyOf(frames);
  }

  private synchronized void received(JsonObject frame) {
    frames.add(frame);
    notifyAll();
  }

  private synchronized void markClosed() {
    closed = true;
    notifyAll();
  }
}
