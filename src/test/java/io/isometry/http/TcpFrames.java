package io.isometry.http;

import io.isometry.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;

/**
 * A client of the TCP event-bus bridge speaking its wire protocol by hand: every frame is a 4-byte
 * big-endian length, then that many bytes of JSON.
 */
final class TcpFrames implements AutoCloseable {

  /** Held to be closed: left open, Vert.x waits for it when the test's Vert.x closes. */
  private final NetClient client;
  private final NetSocket socket;
  private final ReceivedFrames frames = new ReceivedFrames();
  private Buffer pending = Buffer.buffer();

  private TcpFrames(NetClient client, NetSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.handler(this::received);
    socket.closeHandler(gone -> frames.markClosed());
  }

  static TcpFrames connect(Vertx vertx, int port) throws Exception {
    NetClient client = vertx.createNetClient();
    return new TcpFrames(client, Await.result(client.connect(port, "127.0.0.1")));
  }

  /** Closes the connection and its client at once. */
  @Override
  public void close() throws Exception {
    Await.result(client.close());
  }

  void send(JsonObject frame) throws Exception {
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    sendRaw(Buffer.buffer().appendInt(json.length).appendBytes(json));
  }

  /** Bytes as they are, for frames that lie about their length. */
  void sendRaw(Buffer bytes) throws Exception {
    Await.result(socket.write(bytes));
  }

  JsonObject await(String what, Predicate<JsonObject> matches) throws InterruptedException {
    return frames.await(what, matches);
  }

  void awaitClosed() throws InterruptedException {
    frames.awaitClosed();
  }

  List<JsonObject> frames() {
    return frames.all();
  }

  private synchronized void received(Buffer bytes) {
    pending.appendBuffer(bytes);
    while (pending.length() >= 4 && pending.length() >= 4 + pending.getInt(0)) {
      int length = pending.getInt(0);
      frames.add(new JsonObject(pending.getString(4, 4 + length, "UTF-8")));
      pending = pending.getBuffer(4 + length, pending.length());
    }
  }
}
