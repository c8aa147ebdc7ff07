package io.isometry.http;

import io.vertx.core.http.ServerWebSocket;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * One connected WebSocket: its id (the {@code clientId} its processes belong to), the processes
 * whose output it wants, and a send that never buffers without bound. Used only on the feed's
 * context, so it needs no locking.
 */
final class FeedClient {

  /** WebSocket close code 1013, "try again later": the client reads slower than the engine writes. */
  static final short CANNOT_KEEP_UP = 1013;
  /**
   * How many output subscriptions a socket keeps; past it the oldest go first. A long session
   * that runs many processes must not grow the set for ever, and old processes have long finished.
   */
  static final int MAX_SUBSCRIPTIONS = 1024;

  private final String id = "ws-" + UUID.randomUUID();
  private final ServerWebSocket socket;
  private final Set<String> outputSubscriptions = new LinkedHashSet<>();
  private boolean closing;

  FeedClient(ServerWebSocket socket) {
    this.socket = socket;
  }

  String id() {
    return id;
  }

  boolean wantsOutputOf(String processId) {
    return outputSubscriptions.contains(processId);
  }

  void subscribe(Collection<String> processIds) {
    for (String processId : processIds) {
      outputSubscriptions.remove(processId);
      outputSubscriptions.add(processId);
    }
    Iterator<String> oldestFirst = outputSubscriptions.iterator();
    while (outputSubscriptions.size() > MAX_SUBSCRIPTIONS) {
      oldestFirst.next();
      oldestFirst.remove();
    }
  }

  /**
   * Sends one text frame. A client whose write queue is full is closed rather than buffered for:
   * one slow reader must not hold the engine's memory hostage.
   */
  void send(String frame) {
    if (closing || socket.isClosed()) {
      return;
    }
    if (socket.writeQueueFull()) {
      giveUp();
      return;
    }
    socket.writeTextMessage(frame);
  }

  /**
   * Stops writing to the client and closes it. The close frame waits behind what the client has not
   * read yet, so the engine holds at most one write queue for it; the client learns why once it
   * reads on, and its connection (with its foreground processes) ends when it answers the close.
   */
  private void giveUp() {
    closing = true;
    socket.close(CANNOT_KEEP_UP, "cannot keep up");
  }
}
