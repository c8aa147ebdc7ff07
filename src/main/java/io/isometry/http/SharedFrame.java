package io.isometry.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.json.JsonObject;

/**
 * One event on its way to many sockets: encoded to JSON, and to UTF-8 bytes, once, however many
 * sockets it goes to. Each socket's write takes its own reference to the bytes and the write
 * releases it; {@link #release()} gives back the encoder's own once the fan-out is done.
 */
final class SharedFrame {

  private final JsonObject event;
  private String text;
  private ByteBuf bytes;

  SharedFrame(JsonObject event) {
    this.event = event;
  }

  String text() {
    if (text == null) {
      text = event.encode();
    }
    return text;
  }

  /** A reference of the caller's own to the frame's UTF-8 bytes; whoever writes it releases it. */
  ByteBuf retainedBytes() {
    if (bytes == null) {
      bytes = ByteBufUtil.writeUtf8(ByteBufAllocator.DEFAULT, text());
    }
    return bytes.retainedDuplicate();
  }

  void release() {
    if (bytes != null) {
      bytes.release();
      bytes = null;
    }
  }
}
