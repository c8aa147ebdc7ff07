package io.isometry.http;

import io.isometry.auth.Principal;
import io.vertx.core.http.ServerWebSocket;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * One connected WebSocket: its id (the {@code clientId} its processes belong to), the principal it
 * authenticated as (none yet: it receives nothing), the processes whose output it wants, and a send
 * that never buffers without bound. Used only on the feed's context, so it needs no locking.
 */
final class FeedClient {

  /** WebSocket close code 1013, "try again later": the client reads slower than the engine writes. */
  static final short CANNOT_KEEP_UP = 1013;
  /** WebSocket close code 1008, "policy violation": the client did not authenticate. */
  static final short UNAUTHENTICATED = 1008;
  /** The subscription to the output of every process the client may see. */
  static final String ALL_OUTPUT = "*";
  /**
   * How many output subscriptions a socket keeps; past it the oldest go first. A long session
   * that runs many processes must not grow the set for ever, and old processes have long finished.
   */
  static final int MAX_SUBSCRIPTIONS = 1024;

  private final String id = "ws-" + UUID.randomUUID();
  private final ServerWebSocket socket;
  /** Frames waiting for the next batch, when the client asked for batches; null otherwise. */
  private StringBuilder batch;
  private final Set<String> outputSubscriptions = new LinkedHashSet<>();
  private Principal principal;
  private boolean allOutput;
  private boolean closing;

  FeedClient(ServerWebSocket socket) {
    this.socket = socket;
  }

  String id() {
    return id;
  }

  /** The principal it authenticated as; null until it has. */
  Principal principal() {
    return principal;
  }

  boolean authenticated() {
    return principal != null;
  }

  void authenticate(Principal who) {
    this.principal = who;
  }

  boolean wantsOutputOf(String processId) {
    return allOutput || outputSubscriptions.contains(processId);
  }

  /** Subscribes to the output of {@code processIds}; {@link #ALL_OUTPUT} stands for every process. */
  void subscribe(Collection<String> processIds) {
    for (String processId : processIds) {
      if (ALL_OUTPUT.equals(processId)) {
        allOutput = true;
      } else {
        outputSubscriptions.remove(processId);
        outputSubscriptions.add(processId);
      }
    }
    Iterator<String> oldestFirst = outputSubscriptions.iterator();
    while (outputSubscriptions.size() > MAX_SUBSCRIPTIONS) {
      oldestFirst.next();
      oldestFirst.remove();
    }
  }

  /** From now on, events wait for {@link #flush} and go out together, in one frame. */
  void batchEvents() {
    if (batch == null) {
      batch = new StringBuilder();
    }
  }

  /**
   * Hands an event to the client: at once, or into its batch when it asked for batches. Answers
   * true when the event started a batch (someone must flush it).
   */
  boolean deliver(String event) {
    if (batch == null) {
      send(event);
      return false;
    }
    boolean first = batch.length() == 0;
    batch.append(first ? "{\"type\":\"batch\",\"events\":[" : ",").append(event);
    return first;
  }

  /** Sends the batch that has built up, if any: {@code {"type":"batch","events":[...]}}, in order. */
  void flush() {
    if (batch != null && batch.length() > 0) {
      String frame = batch.append("]}").toString();
      batch.setLength(0);
      send(frame);
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
      close(CANNOT_KEEP_UP, "cannot keep up");
      return;
    }
    socket.writeTextMessage(frame);
  }

  /** Sends one last frame (why), then closes: for a client that did not authenticate. */
  void refuse(String frame) {
    send(frame);
    close(UNAUTHENTICATED, "unauthenticated");
  }

  /**
   * Stops writing to the client and closes it. The close frame waits behind what the client has not
   * read yet, so the engine holds at most one write queue for it; the client learns why once it
   * reads on, and its connection (with its foreground processes) ends when it answers the close.
   */
  private void close(short code, String reason) {
    if (!closing) {
      closing = true;
      socket.close(code, reason);
    }
  }
}
