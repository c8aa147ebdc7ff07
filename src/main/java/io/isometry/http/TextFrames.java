package io.isometry.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * A text message in WebSocket's wire format (RFC 6455 §5.2), as the server sends it: unmasked, so
 * its bytes are the same for every client and the feed builds them once for all of them. A message
 * longer than the server's frame size goes as a text frame and continuation frames, as Vert.x would
 * send it, so that clients which cap their frame size (Vert.x's own: 64 KiB) read it whole.
 */
final class TextFrames {

  private static final int FIN = 0x80;
  private static final int OPCODE_CONTINUATION = 0x0;
  private static final int OPCODE_TEXT = 0x1;
  /** Payload lengths up to 125 fit the length byte; 126 and 127 announce a 16- or 64-bit length. */
  private static final int MAX_SHORT_LENGTH = 125;
  private static final int LENGTH_16 = 126;
  private static final int LENGTH_64 = 127;
  /** The largest header: two bytes and a 64-bit length. */
  private static final int MAX_HEADER_BYTES = 10;

  private TextFrames() {
  }

  /** The frames of one text message, in a buffer the caller owns; {@code maxFrameBytes} bounds each payload. */
  static ByteBuf encode(String text, int maxFrameBytes) {
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("a frame must hold at least one byte, not " + maxFrameBytes);
    }
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    int frames = Math.max(1, (payload.length + maxFrameBytes - 1) / maxFrameBytes);
    ByteBuf wire = ByteBufAllocator.DEFAULT.directBuffer(payload.length + frames * MAX_HEADER_BYTES);
    int offset = 0;
    do {
      // A cut may fall inside a UTF-8 sequence: only the message as a whole must be valid UTF-8 (§5.6).
      int size = Math.min(maxFrameBytes, payload.length - offset);
      boolean last = offset + size == payload.length;
      wire.writeByte((last ? FIN : 0) | (offset == 0 ? OPCODE_TEXT : OPCODE_CONTINUATION));
      if (size <= MAX_SHORT_LENGTH) {
        wire.writeByte(size);
      } else if (size <= 0xFFFF) {
        wire.writeByte(LENGTH_16);
        wire.writeShort(size);
      } else {
        wire.writeByte(LENGTH_64);
        wire.writeLong(size);
      }
      wire.writeBytes(payload, offset, size);
      offset += size;
    } while (offset < payload.length);
    return wire;
  }
}
