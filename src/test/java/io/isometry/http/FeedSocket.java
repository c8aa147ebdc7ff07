package io.isometry.http;

import io.isometry.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Predicate;

/**
 * A WebSocket client of the feed for tests: it records every frame it receives, and lets the JUnit
 * thread wait for a frame that matches (whether it came before or comes after the call).
 */
public final class FeedSocket {

  /** Held so that it lives as long as the socket: Vert.x closes a client nobody holds any more. */
  private final WebSocketClient client;
  private final WebSocket socket;
  private final ReceivedFrames frames = new ReceivedFrames();

  private FeedSocket(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.textMessageHandler(text -> frames.add(new JsonObject(text)));
    // The SockJS bridge's raw WebSocket transport writes its JSON frames as binary messages.
    socket.binaryMessageHandler(bytes -> frames.add(new JsonObject(bytes)));
    socket.closeHandler(gone -> frames.markClosed());
  }

  /** A socket authenticated by its handshake's {@code Authorization} header. */
  public static FeedSocket connect(Vertx vertx, int port, String token) throws Exception {
    return open(vertx, new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1")
        .setURI(ApiRouter.WEB_SOCKET_PATH).addHeader("Authorization", "Bearer " + token));
  }

  /** A socket without a token (it must send an {@code auth} message, as browsers do). */
  static FeedSocket connectWithoutToken(Vertx vertx, int port) throws Exception {
    return open(vertx, new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1")
        .setURI(ApiRouter.WEB_SOCKET_PATH));
  }

  static FeedSocket open(Vertx vertx, WebSocketConnectOptions options) throws Exception {
    return open(vertx, new WebSocketClientOptions(), options);
  }

  static FeedSocket open(Vertx vertx, WebSocketClientOptions clientOptions, WebSocketConnectOptions options) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient(clientOptions);
    WebSocket socket = Await.result(client.connect(options));
    return new FeedSocket(client, socket);
  }

  WebSocket socket() {
    return socket;
  }

  public void send(JsonObject message) throws Exception {
    Await.result(socket.writeTextMessage(message.encode()));
  }

  void sendText(String text) throws Exception {
    Await.result(socket.writeTextMessage(text));
  }

  public void close() throws Exception {
    Await.result(socket.close().compose(closed -> client.close()));
  }

  /** The first frame, received so far or later, that matches. */
  public JsonObject await(String what, Predicate<JsonObject> matches) throws InterruptedException {
    return frames.await(what, matches);
  }

  /** Waits until the server has closed the socket. */
  void awaitClosed() throws InterruptedException {
    frames.awaitClosed();
  }

  /** Every frame received so far, in order. */
  public List<JsonObject> frames() {
    return frames.all();
  }
}
