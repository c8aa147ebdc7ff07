package io.isometry.supervisor;

/**
 * Runs an action at most once per window in a burst of changes: at the first change, then once at
 * the end of the window if more came meanwhile. Used on the supervisor's context only; the timer
 * fires there too.
 */
final class Coalescer {

  private final Timers timers;
  private final long windowMs;
  private final Runnable action;
  private long timer = Timers.NO_TIMER;
  private boolean pending;

  Coalescer(Timers timers, long windowMs, Runnable action) {
    this.timers = timers;
    this.windowMs = windowMs;
    this.action = action;
  }

  void changed() {
    if (timer != Timers.NO_TIMER) {
      pending = true;
      return;
    }
    action.run();
    timer = timers.schedule(windowMs, () -> {
      timer = Timers.NO_TIMER;
      if (pending) {
        pending = false;
        action.run();
      }
    });
  }
}
