package io.isometry.http;

import io.isometry.auth.Principal;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * One connected WebSocket: its id (the {@code clientId} its processes belong to), the principal it
 * authenticated as (none yet: it receives nothing), the processes whose output it wants, and a send
 * that never buffers without bound. Used only on the feed's context, so it needs no locking.
 *
 * <p>Events are written to the socket's Netty channel as ready-made frames ({@link SharedFrame}, the
 * same bytes for every client) without a flush, and flushed by the feed once the burst of events
 * waiting on the event loop has been written ({@link #flush}): a client that gets eight events at once
 * gets them in one system call, in eight WebSocket messages as always. Vert.x's own
 * {@code writeTextMessage} encodes and flushes every message for every socket, which is what a
 * thousand sockets cannot afford, so the feed reaches the channel through {@link WebSocketInternal}
 * (Vert.x's interface for integrators); every other frame (close, pong) still goes through Vert.x,
 * in order behind ours.
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
  private final ChannelHandlerContext channel;
  private final int maxFrameBytes;
  private final FeedMetrics metrics;
  /** Frames written since the last flush. */
  private boolean unflushed;
  /** Frames waiting for the next batch, when the client asked for batches; null otherwise. */
  private StringBuilder batch;
  private final Set<String> outputSubscriptions = new LinkedHashSet<>();
  private Principal principal;
  private boolean allOutput;
  private boolean closing;

  FeedClient(ServerWebSocket socket, int maxFrameBytes, FeedMetrics metrics) {
    this.socket = socket;
    this.maxFrameBytes = maxFrameBytes;
    this.metrics = metrics;
    ChannelHandlerContext vertxHandler = ((WebSocketInternal) socket).channelHandlerContext();
    // The frames are bytes already: they enter the pipeline where the frame encoder's output does,
    // past the handlers that only look at frame objects, and still through any below it (TLS).
    this.channel = Objects.requireNonNullElse(vertxHandler.pipeline().context(WebSocketFrameEncoder.class),
        vertxHandler);
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

  boolean batched() {
    return batch != null;
  }

  /**
   * Hands an event to the client: written to its channel, or added to its batch when it asked for
   * batches. Answers true when the client now holds an event for a flush it did not hold before (the
   * caller must see to it that {@link #flush} or {@link #flushBatch} runs).
   */
  boolean deliver(SharedFrame frame) {
    if (batch != null) {
      boolean first = batch.length() == 0;
      batch.append(first ? "{\"type\":\"batch\",\"events\":[" : ",").append(frame.text());
      return first;
    }
    if (!canWrite()) {
      return false;
    }
    channel.write(frame.retainedWire(), channel.voidPromise());
    boolean first = !unflushed;
    unflushed = true;
    return first;
  }

  /** Flushes the events written since the last flush, if any. */
  void flush() {
    if (unflushed) {
      unflushed = false;
      channel.flush();
    }
  }

  /** Sends the batch that has built up, if any: {@code {"type":"batch","events":[...]}}, in order. */
  void flushBatch() {
    if (batch != null && batch.length() > 0) {
      String frame = batch.append("]}").toString();
      batch.setLength(0);
      send(frame);
    }
  }

  /** Sends one text frame at once (with whatever events wait for a flush before it). */
  void send(String frame) {
    if (canWrite()) {
      unflushed = false;
      channel.writeAndFlush(TextFrames.encode(frame, maxFrameBytes), channel.voidPromise());
    }
  }

  /**
   * Whether the client may be written to. One whose unread frames fill the kernel's buffers and then
   * the channel's own (Netty's high-water mark), even after a flush, is closed rather than buffered
   * for: one slow reader must not hold the engine's memory hostage.
   */
  private boolean canWrite() {
    if (closing || socket.isClosed()) {
      return false;
    }
    if (!channel.channel().isWritable()) {
      flush();
    }
    if (!channel.channel().isWritable()) {
      metrics.dropped();
      close(CANNOT_KEEP_UP, "cannot keep up");
      return false;
    }
    return true;
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
