package io.isometry.supervisor;

import java.util.EnumMap;
import java.util.Map;

/**
 * A run's timers, one of each kind at the most, by what they are for; all of them go when the run
 * ends, so none fires on a finished record.
 */
final class RunTimers {

  enum Kind {
    /** Its {@code timeoutMs}: the engine ends it. */
    TIMEOUT,
    /** SIGTERM was sent: SIGKILL follows when it has not ended. */
    GRACE,
    /** A foreground run moves to the background after a while. */
    AUTO_BACKGROUND,
    /** A background run's budget under the limited background policy. */
    BACKGROUND_BUDGET,
    /** Its leader exited: the pipes get a moment to drain before the group is killed. */
    DRAIN
  }

  private final Timers timers;
  private final Map<Kind, Long> pending = new EnumMap<>(Kind.class);

  RunTimers(Timers timers) {
    this.timers = timers;
  }

  /** Runs {@code action} after {@code delayMs}, in place of this kind's timer if one was set. */
  void start(Kind kind, long delayMs, Runnable action) {
    cancel(kind);
    pending.put(kind, timers.schedule(delayMs, action));
  }

  void cancel(Kind kind) {
    Long timer = pending.remove(kind);
    if (timer != null) {
      timers.cancel(timer);
    }
  }

  void cancelAll() {
    for (long timer : pending.values()) {
      timers.cancel(timer);
    }
    pending.clear();
  }
}
