package io.isometry.http;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The JSON frames a test connection has received, in order, and whether the peer has closed it. */
final class ReceivedFrames {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private final List<JsonObject> frames = new ArrayList<>();
  private boolean closed;

  synchronized void add(JsonObject frame) {
    frames.add(frame);
    notifyAll();
  }

  synchronized void markClosed() {
    closed = true;
    notifyAll();
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

  /** Waits until the peer has closed the connection. */
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

  /** Every frame received so far, in order. */
  synchronized List<JsonObject> all() {
    return List.copyOf(frames);
  }
}
