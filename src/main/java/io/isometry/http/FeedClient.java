package io.isometry.http;

import io.isometry.auth.Principal;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
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
 * (an internal interface of Vert.x, without its API's promise of stability: the version is pinned
 * by the BOM, and the feed's tests would see it change). Vert.x still writes the close frame and
 * pongs; a pong may overtake the feed's frames, which is harmless.
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
  /**
   * How far behind a client may fall, in bytes of frames it has not read beyond what the kernel's
   * socket buffers hold, before it is dropped: room for a burst of a dozen full output chunks while
   * it is briefly busy. The bytes are the shared frames of {@link SharedFrame}, so a thousand clients
   * that far behind on the same events hold one copy of them, not a thousand.
   */
  static final int MAX_UNREAD_BYTES = 1024 * 1024;
  /**
   * How many output events a client holds for runs the engine has not answered yet. A run's output
   * can come before the answer that names it (the answer waits for the journal); the answer comes
   * within milliseconds, so this is room to spare.
   */
  static final int MAX_HELD_OUTPUT = 1024;

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
  /** Runs asked for and not answered yet. */
  private int runsUnanswered;
  /** Output of the principal's processes that came while runs were unanswered, in order. */
  private final List<HeldOutput> heldOutput = new ArrayList<>();

  /** An output event held for the run it may turn out to belong to. */
  private record HeldOutput(String processId, String frame) {
  }

  private FeedClient(ServerWebSocket socket, ChannelHandlerContext channel, int maxFrameBytes, FeedMetrics metrics) {
    this.socket = socket;
    this.channel = channel;
    this.maxFrameBytes = maxFrameBytes;
    this.metrics = metrics;
    channel.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(MAX_UNREAD_BYTES / 2,
        MAX_UNREAD_BYTES));
  }

  /**
   * A client for a socket of Vert.x's server, written to where the channel's frame encoder writes:
   * past the handlers that only look at frame objects (compression), and still through any below it
   * (TLS). Empty for a socket whose channel cannot be reached that way (a wrapped socket).
   */
  static Optional<FeedClient> of(ServerWebSocket socket, int maxFrameBytes, FeedMetrics metrics) {
    if (!(socket instanceof WebSocketInternal internal)) {
      return Optional.empty();
    }
    return Optional.ofNullable(internal.channelHandlerContext().pipeline().context(WebSocketFrameEncoder.class))
        .map(encoder -> new FeedClient(socket, encoder, maxFrameBytes, metrics));
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

  /** The client asked for a run: output of its principal's processes is held until the engine answers. */
  void runAsked() {
    runsUnanswered++;
  }

  /**
   * Output of a process the client does not follow, owned by {@code owner}: held when it may belong to
   * a run of the client's that the engine has not answered yet.
   */
  void offerUnfollowedOutput(String processId, String owner, SharedFrame frame) {
    if (runsUnanswered > 0 && principal.name().equals(owner) && heldOutput.size() < MAX_HELD_OUTPUT) {
      heldOutput.add(new HeldOutput(processId, frame.text()));
    }
  }

  /**
   * The engine answered a run: the client follows the process ({@code processId}; null when it was
   * refused), and gets its output that came before the answer, in order.
   */
  void runAnswered(String processId) {
    runsUnanswered--;
    if (processId != null) {
      subscribe(List.of(processId));
      heldOutput.stream().filter(held -> held.processId().equals(processId)).forEach(held -> send(held.frame()));
      heldOutput.removeIf(held -> held.processId().equals(processId));
    }
    if (runsUnanswered == 0) {
      heldOutput.clear();
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
   * Hands an event to the client: written to its channel for the next {@link #flush}, or added to its
   * batch for the next {@link #flushBatch} when it asked for batches. Answers false when the client
   * takes nothing more (it is closing, or has just been dropped for falling behind).
   */
  boolean deliver(SharedFrame frame) {
    if (batch != null) {
      batch.append(batch.length() == 0 ? "{\"type\":\"batch\",\"events\":[" : ",").append(frame.text());
      return true;
    }
    if (!canWrite()) {
      return false;
    }
    channel.write(frame.retainedWire(), channel.voidPromise());
    unflushed = true;
    return true;
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

  /** Sends one text message at once, with whatever events wait for a flush before it. */
  void send(String message) {
    if (canWrite()) {
      unflushed = false;
      channel.writeAndFlush(TextFrames.encode(message, maxFrameBytes), channel.voidPromise());
    }
  }

  /**
   * Whether the client may be written to. One that is {@link #MAX_UNREAD_BYTES} behind even after a
   * flush is closed rather than buffered for: one slow reader must not hold the engine's memory
   * hostage.
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
   * Stops writing to the client: the server is shutting its connection down, and its close frame
   * must be the last frame the client gets.
   */
  void stopWriting() {
    closing = true;
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
