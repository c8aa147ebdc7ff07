package io.isometry.os;

import com.sun.jna.LastErrorException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The engine's end of a child's standard input: the write end of its stdin pipe, or the master of its
 * pseudo-terminal. Whoever holds it (the supervisor, on an event loop) never waits on the child:
 * {@link #write} only queues, at most {@link #PENDING_LIMIT} bytes, and a writer task drains the queue
 * into the descriptor, which is non-blocking, waiting in {@code poll(2)} while the child does not read
 * (and never longer than {@link #POLL_MS} at a time, so that {@link #close()} is heard). The descriptor
 * is close-on-exec, and closed by the writer task or by {@code close} (whichever runs last), once.
 */
public final class ChildInput {

  /** How many bytes may wait for a child that does not read before further writes are refused. */
  public static final int PENDING_LIMIT = 64 * 1024;
  /** What a terminal reads as the end of input at the start of a line (its VEOF, Ctrl+D). */
  private static final byte END_OF_TRANSMISSION = 0x04;
  private static final int POLL_MS = 200;
  private static final ExecutorService WRITERS = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "isometry-stdin");
    thread.setDaemon(true);
    return thread;
  });

  /** Why a write was refused. */
  public enum Refusal {
    /** {@link #PENDING_LIMIT} bytes are waiting already. */
    FULL,
    /** The input was ended ({@link #end()}), or the child no longer reads it, or it has been closed. */
    CLOSED
  }

  /** A write or an end the input cannot take. */
  public static final class Refused extends Exception {

    private final Refusal refusal;

    Refused(Refusal refusal, String message) {
      super(message, null, false, false);
      this.refusal = refusal;
    }

    public Refusal refusal() {
      return refusal;
    }
  }

  private final boolean terminal;
  private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
  private int fd;
  private int pendingBytes;
  /** How much of the first pending chunk is written already. */
  private int written;
  private boolean ended;
  private boolean closed;
  private boolean broken;
  private boolean draining;

  /** Takes {@code fd}, which must be close-on-exec; makes it non-blocking. */
  ChildInput(int fd, boolean terminal) {
    this.fd = fd;
    this.terminal = terminal;
    Descriptors.nonBlocking(fd);
  }

  /** True for a pseudo-terminal (which can also be resized). */
  public boolean terminal() {
    return terminal;
  }

  /** Queues {@code bytes} for the child; never blocks. */
  public synchronized void write(byte[] bytes) throws Refused {
    refuseIfClosed();
    if (pendingBytes + (long) bytes.length > PENDING_LIMIT) {
      throw new Refused(Refusal.FULL, "the process has " + pendingBytes + " bytes of input it has not read yet;"
          + " at most " + PENDING_LIMIT + " may wait");
    }
    if (bytes.length == 0) {
      return;
    }
    pending.add(bytes);
    pendingBytes += bytes.length;
    drain();
  }

  /**
   * The end of input: a pipe is closed once what is queued has been written; a terminal (which stays,
   * it is the child's output too) gets Ctrl+D, which its line discipline reads as the end of input at
   * the start of a line, as a terminal user's Ctrl+D.
   */
  public synchronized void end() throws Refused {
    refuseIfClosed();
    if (terminal) {
      write(new byte[] {END_OF_TRANSMISSION});
      return;
    }
    ended = true;
    drain();
  }

  /** Sets a terminal's window size (the kernel tells its foreground group with SIGWINCH). */
  public synchronized void resize(int cols, int rows) throws Refused {
    if (!terminal) {
      throw new IllegalStateException("only a terminal has a window size");
    }
    if (fd < 0) {
      throw new Refused(Refusal.CLOSED, "the terminal is closed");
    }
    Terminals.resize(fd, cols, rows);
  }

  /** The child has ended: what is queued is dropped, and the descriptor closed (now, or by the writer task). */
  public synchronized void close() {
    closed = true;
    pending.clear();
    pendingBytes = 0;
    if (!draining) {
      closeDescriptor();
    }
  }

  private void refuseIfClosed() throws Refused {
    if (closed || ended || broken) {
      throw new Refused(Refusal.CLOSED, broken ? "the process no longer reads its input"
          : closed ? "the process has ended" : "its input was ended");
    }
  }

  private void drain() {
    if (!draining) {
      draining = true;
      WRITERS.execute(this::drainLoop);
    }
  }

  private void drainLoop() {
    while (true) {
      byte[] chunk;
      int from;
      int descriptor;
      synchronized (this) {
        if (closed || broken || pending.isEmpty()) {
          draining = false;
          if (closed || broken || ended) {
            closeDescriptor();
          }
          return;
        }
        chunk = pending.peek();
        from = written;
        descriptor = fd;
      }
      int count = writeSome(descriptor, chunk, from);
      synchronized (this) {
        if (count < 0) {
          broken = true;
        } else if (count > 0 && !closed) {
          advance(count);
        }
      }
    }
  }

  private void advance(int count) {
    written += count;
    pendingBytes -= count;
    if (written == pending.peek().length) {
      pending.poll();
      written = 0;
    }
  }

  /**
   * Writes what the descriptor takes now, after waiting (a while) for room: the count written (0 when
   * there was no room yet), or -1 when nobody reads any more (EPIPE for a pipe, EIO for a terminal).
   */
  private static int writeSome(int descriptor, byte[] chunk, int from) {
    byte[] rest = from == 0 ? chunk : Arrays.copyOfRange(chunk, from, chunk.length);
    try {
      return (int) LibC.write(descriptor, rest, rest.length);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == LibC.EAGAIN) {
        Descriptors.await(descriptor, LibC.POLLOUT, POLL_MS);
        return 0;
      }
      if (e.getErrorCode() == LibC.EINTR) {
        return 0;
      }
      return -1;
    }
  }

  private void closeDescriptor() {
    if (fd >= 0) {
      LibC.close(fd);
      fd = -1;
    }
  }
}
