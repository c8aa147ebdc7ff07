package io.isometry.supervisor;

import io.vertx.core.Vertx;

/**
 * The supervisor's timers, behind a seam so that unit tests can move time themselves. Every action
 * runs on the supervisor's context.
 */
interface Timers {

  long NO_TIMER = -1;

  /** Runs {@code action} once after {@code delayMs}; answers the timer's id. */
  long schedule(long delayMs, Runnable action);

  /** Cancels a timer; {@link #NO_TIMER} and timers that have fired are ignored. */
  void cancel(long timer);

  /** Vert.x timers, which fire on the context that set them. */
  static Timers of(Vertx vertx) {
    return new Timers() {
      @Override
      public long schedule(long delayMs, Runnable action) {
        return vertx.setTimer(delayMs, id -> action.run());
      }

      @Override
      public void cancel(long timer) {
        if (timer != NO_TIMER) {
          vertx.cancelTimer(timer);
        }
      }
    };
  }
}
