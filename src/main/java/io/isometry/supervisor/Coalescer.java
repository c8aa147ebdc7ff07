package io.isometry.supervisor;

import io.vertx.core.Vertx;

/**
 * Runs an action at most once per window in a burst of changes: at the first change, then once at
 * the end of the window if more came meanwhile. Used on the supervisor's context only; the timer
 * fires there too.
 */
final class Coalescer {

  private static final long NO_TIMER = -1;
  private final Vertx vertx;
  private final long windowMs;
  private final Runnable action;
  private long timer = NO_TIMER;
  private boolean pending;

  Coalescer(Vertx vertx, long windowMs, Runnable action) {
    this.vertx = vertx;
    this.windowMs = windowMs;
    this.action = action;
  }

  void changed() {
    if (timer != NO_TIMER) {
      pending = true;
      return;
    }
    action.run();
    timer = vertx.setTimer(windowMs, t -> {
      timer = NO_TIMER;
      if (pending) {
        pending = false;
        action.run();
      }
    });
  }
}
