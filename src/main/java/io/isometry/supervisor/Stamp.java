package io.isometry.supervisor;

import java.time.Instant;

/**
 * A moment read by both clocks where it happened (the spawner thread as a child is spawned, the
 * reaper as {@code waitpid} returns), not when the actor gets round to it: the wall clock for the
 * record's timestamps, the monotonic one for its duration, which a clock step never bends.
 */
record Stamp(Instant at, long nanos) {

  static Stamp now() {
    return new Stamp(Instant.now(), System.nanoTime());
  }

  /** Milliseconds from this moment to {@code later}, by the monotonic clock. */
  long millisTo(Stamp later) {
    return Math.max(0, (later.nanos - nanos) / 1_000_000);
  }
}
