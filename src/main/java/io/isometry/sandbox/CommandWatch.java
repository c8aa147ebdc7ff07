package io.isometry.sandbox;

import io.isometry.os.ProcStat;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for a sandbox's pid 1 to fork the command, so that the record shows the command's host pid
 * from its first event. The kernel announces no such fork, so it is seen in
 * {@code /proc/<pid 1>/task/<pid 1>/children}, polled. Polling costs CPU that the sandbox being set up
 * needs on a small machine (each look is two reads of {@code /proc}; every 100 µs over a setup of
 * several milliseconds, the setup thread was seen taking 6.4 s of CPU in about 1,000 starts on two
 * busy cores). So
 * the watch first sleeps for three quarters of the quickest of the recent setups, when it looks
 * the command cannot be there yet, then polls: as quick to see the command, with a fraction of the looks.
 * Thread-safe: several sandboxes are watched at once.
 */
public final class CommandWatch {

  private static final long PATIENCE_NANOS = 5_000_000_000L;
  private static final long POLL_NANOS = 100_000L;
  private static final int RECENT = 16;

  /** The setups last seen, in nanoseconds from the start of a watch to the command (0: none yet). */
  private final long[] recent = new long[RECENT];
  private int next;

  /**
   * The host pid of pid 1's first child, or -1 once pid 1 has ended, the patience has run out, or the
   * thread is interrupted (the launcher closing: a park returns at once then, and the watch would spin).
   */
  public int await(int pidOne) {
    long start = System.nanoTime();
    long quiet = quickest() * 3 / 4;
    if (quiet > 0) {
      LockSupport.parkNanos(quiet);
    }
    long deadline = start + PATIENCE_NANOS;
    while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
      int command = ProcStat.firstChild(pidOne);
      if (command > 0) {
        remember(System.nanoTime() - start);
        return command;
      }
      ProcStat stat = ProcStat.of(pidOne);
      if (stat == null || !stat.alive()) {
        return -1;
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
    return -1;
  }

  private synchronized long quickest() {
    return Arrays.stream(recent).filter(setup -> setup > 0).min().orElse(0);
  }

  private synchronized void remember(long setup) {
    recent[next] = setup;
    next = (next + 1) % RECENT;
  }
}
