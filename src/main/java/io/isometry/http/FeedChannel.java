package io.isometry.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import java.util.Optional;

/**
 * The writing end of one feed socket, which never buffers without bound. Events are written to the
 * socket's Netty channel as ready-made frames ({@link SharedFrame}, the same bytes for every client)
 * without a flush, and flushed by the feed once the burst of events waiting on the event loop has
 * been written ({@link #flush}): a client that gets eight events at once gets them in one system call,
 * in eight WebSocket messages as always. Vert.x's own {@code writeTextMessage} encodes and flushes
 * every message for every socket, which is what a thousand sockets cannot afford, so the channel is
 * reached through {@link WebSocketInternal} (an internal interface of Vert.x, without its API's
 * promise of stability: the version is pinned by the BOM, and the feed's tests would see it change).
 * Vert.x still writes the close frame and pongs; a pong may overtake the feed's frames, which is
 * harmless. Used only on the feed's context, so it needs no locking.
 */
final class FeedChannel {

  /** WebSocket close code 1013, "try again later": the client reads slower than the engine writes. */
  static final short CANNOT_KEEP_UP = 1013;
  /**
   * How far behind a client may fall, in bytes of frames it has not read beyond what the kernel's
   * socket buffers hold, before it is dropped: room for a burst of a dozen full output chunks while
   * it is briefly busy. The bytes are the shared frames of {@link SharedFrame}, so a thousand clients
   * that far behind on the same events hold one copy of them, not a thousand.
   */
  static final int MAX_UNREAD_BYTES = 1024 * 1024;

  private final ServerWebSocket socket;
  private final ChannelHandlerContext channel;
  private final int maxFrameBytes;
  private final FeedMetrics metrics;
  /** Frames written since the last flush. */
  private boolean unflushed;
  private boolean closing;

  private FeedChannel(ServerWebSocket socket, ChannelHandlerContext channel, int maxFrameBytes, FeedMetrics metrics) {
    this.socket = socket;
    this.channel = channel;
    this.maxFrameBytes = maxFrameBytes;
    this.metrics = metrics;
    channel.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(MAX_UNREAD_BYTES / 2,
        MAX_UNREAD_BYTES));
  }

  /**
   * The channel of a socket of Vert.x's server, written to where its frame encoder writes: past the
   * handlers that only look at frame objects (compression), and still through any below it (TLS).
   * Empty for a socket whose channel cannot be reached that way (a wrapped socket).
   */
  static Optional<FeedChannel> of(ServerWebSocket socket, int maxFrameBytes, FeedMetrics metrics) {
    if (!(socket instanceof WebSocketInternal internal)) {
      return Optional.empty();
    }
    return Optional.ofNullable(internal.channelHandlerContext().pipeline().context(WebSocketFrameEncoder.class))
        .map(encoder -> new FeedChannel(socket, encoder, maxFrameBytes, metrics));
  }

  /** Writes an event for the next {@link #flush}; false when the socket takes nothing more. */
  boolean write(SharedFrame frame) {
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

  /** Sends one text message at once, with whatever events wait for a flush before it. */
  void send(String message) {
    if (canWrite()) {
      unflushed = false;
      channel.writeAndFlush(TextFrames.encode(message, maxFrameBytes), channel.voidPromise());
    }
  }

  /** A ping, which the client answers: the connection is not idle, and a dead one shows. */
  void ping() {
    if (!closing && !socket.isClosed()) {
      socket.writePing(Buffer.buffer());
    }
  }

  /**
   * Stops writing: the server is shutting the connection down, and its close frame must be the last
   * frame the client gets.
   */
  void stopWriting() {
    closing = true;
  }

  /**
   * Stops writing and closes. The close frame waits behind what the client has not read yet, so the
   * engine holds at most one write queue for it; the client learns why once it reads on, and its
   * connection (with its foreground processes) ends when it answers the close.
   */
  void close(short code, String reason) {
    if (!closing) {
      closing = true;
      socket.close(code, reason);
    }
  }

  /**
   * Whether the socket may be written to. One that is {@link #MAX_UNREAD_BYTES} behind even after a
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
}
