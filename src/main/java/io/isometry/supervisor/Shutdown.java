package io.isometry.supervisor;

import io.isometry.contract.Reason;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's part of the engine's stop: every live run is ended ({@code engine_shutdown}),
 * and the stop completes once none is left. Runs that have not ended when the patience runs out
 * (the grace period, the drain, and a second more) are recorded lost all the same.
 */
final class Shutdown {

  private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);

  private final ProcessTable table;
  private final Timers timers;
  private final long patienceMs;
  /** Completed once nothing is live after {@link #begin}; null before. */
  private Promise<Void> stopped;

  Shutdown(ProcessTable table, Timers timers, long gracePeriodMs) {
    this.table = table;
    this.timers = timers;
    this.patienceMs = gracePeriodMs + 3 * ProcessRun.DRAIN_GRACE_MS + 1000;
  }

  /** Ends every live run; completes when none is left. */
  Future<Void> begin() {
    stopped = Promise.promise();
    for (ProcessRun run : table.liveRuns()) {
      run.terminate(Reason.ENGINE_SHUTDOWN);
    }
    if (!table.anyLive()) {
      stopped.tryComplete();
    } else {
      timers.schedule(patienceMs, this::forgetStragglers);
    }
    return stopped.future();
  }

  /** A run has ended: once the stop has begun, the last one completes it. */
  void runEnded() {
    if (stopped != null && !table.anyLive()) {
      stopped.tryComplete();
    }
  }

  /** The patience ran out: whatever has not ended is recorded as lost all the same. */
  private void forgetStragglers() {
    for (ProcessRun run : table.liveRuns()) {
      LOG.warn("{} (pid {}) did not end in time at shutdown", run.record.id, run.record.pid);
      run.forget();
    }
  }
}
