package io.isometry.http;

import io.netty.buffer.ByteBuf;
import io.vertx.core.json.JsonObject;

/**
 * One event on its way to many sockets: encoded to JSON, and to WebSocket frames
 * ({@link TextFrames}), once, however many sockets it goes to. Each socket's write takes its own
 * reference to the bytes and the write releases it; {@link #release()} gives back the encoder's own
 * once the fan-out is done.
 */
final class SharedFrame {

  private final JsonObject event;
  private final int maxFrameBytes;
  private String text;
  private ByteBuf wire;

  SharedFrame(JsonObject event, int maxFrameBytes) {
    this.event = event;
    this.maxFrameBytes = maxFrameBytes;
  }

  String text() {
    if (text == null) {
      text = event.encode();
    }
    return text;
  }

  /** A reference of the caller's own to the frames' bytes; whoever writes it releases it. */
  ByteBuf retainedWire() {
    if (wire == null) {
      // Read-only: a handler that wrote into one socket's view would write into every socket's.
      wire = TextFrames.encode(text(), maxFrameBytes).asReadOnly();
    }
    return wire.retainedDuplicate();
  }

  void release() {
    if (wire != null) {
      wire.release();
      wire = null;
    }
  }
}
