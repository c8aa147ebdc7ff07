package io.isometry.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A client of the TCP event-bus bridge speaking its wire protocol by hand: every frame is a 4-byte
 * big-endian length, then that many bytes of JSON.
 */
final class TcpFrames {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final NetSocket socket;
  private final List<JsonObject> frames = new ArrayList<>();
  private Buffer pending = Buffer.buffer();
  private boolean closed;

  private TcpFrames(NetSocket socket) {
    this.socket = socket;
    socket.handler(this::received);
    socket.closeHandler(gone -> markClosed());
  }

  static TcpFrames connect(Vertx vertx, int port) {
    return new TcpFrames(vertx.createNetClient().connect(port, "127.0.0.1").await());
  }

  void send(JsonObject frame) {
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    socket.write(Buffer.buffer().appendInt(json.length).appendBytes(json)).await();
  }

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

  synchronized void awaitClosed() throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("the connection is still open after " + WAIT);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  synchronized List<JsonObject> frames() {
    return List.copyOf(frames);
  }

  private synchronized void received(Buffer bytes) {
    pending.appendBuffer(bytes);
    while (pending.length() >= 4 && pending.length() >= 4 + pending.getInt(0)) {
      int length = pending.getInt(0);
      frames.add(new JsonObject(pending.getString(4, 4 + length, "UTF-8")));
      pending = pending.getBuffer(4 + length, pending.length());
    }
    notifyAll();
  }

  private synchronized void markClosed() {
    closed = true;
    notifyAll();
  }
}
