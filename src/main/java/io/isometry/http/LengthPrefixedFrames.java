package io.isometry.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;
import java.util.function.LongConsumer;

/**
 * Cuts a byte stream into frames of a 4-byte big-endian length and that many bytes, reading the length
 * first and judging it before a byte of the frame is kept: a frame announced longer than the bound is
 * never buffered, the stream is refused ({@code tooLarge} gets the announced length, read unsigned) and
 * everything after is dropped. So what one connection holds is at most one frame within the bound.
 */
final class LengthPrefixedFrames implements Handler<Buffer> {

  static final int LENGTH_BYTES = 4;

  private final RecordParser parser = RecordParser.newFixed(LENGTH_BYTES);
  private final int maxFrameBytes;
  private final Handler<Buffer> frames;
  private final LongConsumer tooLarge;
  private boolean readingLength = true;
  private boolean stopped;

  LengthPrefixedFrames(int maxFrameBytes, Handler<Buffer> frames, LongConsumer tooLarge) {
    this.maxFrameBytes = maxFrameBytes;
    this.frames = frames;
    this.tooLarge = tooLarge;
    parser.handler(this::record);
  }

  @Override
  public void handle(Buffer bytes) {
    if (!stopped) {
      parser.handle(bytes);
    }
  }

  /** Drops whatever comes after: the connection is being closed, and nothing more of it is read. */
  void stop() {
    stopped = true;
  }

  private void record(Buffer record) {
    if (stopped) {
      // The rest of a chunk that arrived before the stop: nothing in it is read any more.
      return;
    }
    if (!readingLength) {
      readingLength = true;
      parser.fixedSizeMode(LENGTH_BYTES);
      frames.handle(record);
      return;
    }
    long announced = Integer.toUnsignedLong(record.getInt(0));
    if (announced > maxFrameBytes) {
      stopped = true;
      tooLarge.accept(announced);
    } else if (announced == 0) {
      // The parser cannot wait for zero bytes; an empty frame is still a frame (and not valid JSON).
      frames.handle(Buffer.buffer());
    } else {
      readingLength = false;
      parser.fixedSizeMode((int) announced);
    }
  }
}
