package io.isometry.supervisor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Drains one stream of a child on a thread of its own (a chatty child must never block on a full
 * pipe) and hands each chunk on. At most {@link #IN_FLIGHT} chunks wait for the consumer at once,
 * so a child that writes faster than the engine can publish is slowed down at its pipe instead of
 * filling the engine's heap.
 */
final class OutputPump implements Runnable {

  static final int CHUNK_BYTES = 64 * 1024;
  static final int IN_FLIGHT = 8;

  private final InputStream in;
  private final Consumer<OutputChunk> onChunk;
  private final Runnable onEnd;
  private final Semaphore credits = new Semaphore(IN_FLIGHT);

  /**
   * @param onChunk receives every chunk, in order; it must call {@link #consumed()} once it is done
   * @param onEnd runs once, after the last chunk, when the stream is at its end or broken
   */
  OutputPump(InputStream in, Consumer<OutputChunk> onChunk, Runnable onEnd) {
    this.in = in;
    this.onChunk = onChunk;
    this.onEnd = onEnd;
  }

  /** Gives back the credit of one handed-on chunk. */
  void consumed() {
    credits.release();
  }

  @Override
  public void run() {
    byte[] buffer = new byte[CHUNK_BYTES];
    int pending = 0;
    try (in) {
      int read;
      while ((read = in.read(buffer, pending, buffer.length - pending)) >= 0) {
        int filled = pending + read;
        int whole = Utf8.completeLength(buffer, filled);
        if (whole > 0) {
          handOn(Arrays.copyOf(buffer, whole));
        }
        pending = filled - whole;
        System.arraycopy(buffer, whole, buffer, 0, pending);
      }
    } catch (IOException streamClosed) {
      // The pipe broke or was closed under us: what was read so far is all there is.
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    } finally {
      if (pending > 0) {
        handOnQuietly(Arrays.copyOf(buffer, pending));
      }
      onEnd.run();
    }
  }

  private void handOn(byte[] bytes) throws InterruptedException {
    credits.acquire();
    onChunk.accept(new OutputChunk(bytes, new String(bytes, StandardCharsets.UTF_8)));
  }

  private void handOnQuietly(byte[] bytes) {
    try {
      handOn(bytes);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
