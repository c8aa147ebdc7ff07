package io.isometry.supervisor;

import io.isometry.contract.Caller;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.ProcessState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The records the supervisor knows (live and finished, by id, which sorts by creation), the runs
 * that have not ended, who may see which, and the eviction of old finished records. Touched only
 * on the supervisor's context.
 */
final class ProcessTable {

  private final TreeMap<String, ProcessRecord> records = new TreeMap<>();
  private final Map<String, ProcessRun> live = new HashMap<>();
  /** Finished records whose output is still on the heap, oldest end first, and how many bytes they hold. */
  private final ArrayDeque<ProcessRecord> retaining = new ArrayDeque<>();
  private final long retainTotalBytes;
  private long retainedBytes;
  private long completed;

  /** @param retainTotalBytes the most output all finished records together keep on the heap */
  ProcessTable(long retainTotalBytes) {
    this.retainTotalBytes = retainTotalBytes;
  }

  void add(ProcessRun run) {
    records.put(run.record.id, run.record);
    live.put(run.record.id, run);
  }

  /** A record that is final already (lost with the previous run). */
  void addFinished(ProcessRecord record) {
    records.put(record.id, record);
    completed++;
  }

  /**
   * The run has ended: its record stays, the run goes. Its output stays on the heap while all
   * finished output is within the bound; beyond it, the oldest finished tails are let go first (the
   * journal keeps them, and answers for them).
   */
  void ended(ProcessRun run) {
    live.remove(run.record.id);
    completed++;
    ProcessRecord record = run.record;
    retaining.add(record);
    retainedBytes += heapBytes(record);
    while (retainedBytes > retainTotalBytes && !retaining.isEmpty()) {
      ProcessRecord oldest = retaining.poll();
      retainedBytes -= heapBytes(oldest);
      oldest.stdout.release();
      oldest.stderr.release();
    }
  }

  /** The finished output on the heap. */
  long retainedBytes() {
    return retainedBytes;
  }

  private static long heapBytes(ProcessRecord record) {
    return (long) record.stdout.heapBytes() + record.stderr.heapBytes();
  }

  /** The run of a live process, or null. */
  ProcessRun live(String id) {
    return live.get(id);
  }

  /** The live runs, as a copy (ending one may change the table). */
  List<ProcessRun> liveRuns() {
    return new ArrayList<>(live.values());
  }

  boolean anyLive() {
    return !live.isEmpty();
  }

  /** The record, when it exists and the caller may see it: another owner's record is not found. */
  ProcessRecord visible(String id, Caller caller) {
    ProcessRecord record = records.get(id);
    if (record == null || !caller.sees(record.owner)) {
      throw new EngineError(ErrorCode.NOT_FOUND, "no process '" + id + "'");
    }
    return record;
  }

  /** The live run the caller may control; {@code invalid_state} once it has ended. */
  ProcessRun controllable(String id, Caller caller, String action) {
    ProcessRecord record = visible(id, caller);
    caller.requireControl();
    ProcessRun run = live.get(id);
    if (run == null || run.finished()) {
      throw ProcessRun.invalidState(record, action);
    }
    return run;
  }

  /** At most {@code max} records the caller sees, newest first, of one state or (null) all. */
  JsonArray list(ProcessState wanted, int max, Caller caller, Instant now) {
    JsonArray items = new JsonArray();
    for (ProcessRecord record : records.descendingMap().values()) {
      if ((wanted == null || record.state == wanted) && caller.sees(record.owner)) {
        items.add(record.toJson(now));
        if (items.size() == max) {
          break;
        }
      }
    }
    return items;
  }

  /** Forgets finished records (and their output) that ended before {@code cutoff}; answers how many. */
  int evict(Instant cutoff) {
    int evicted = 0;
    for (Iterator<ProcessRecord> it = records.values().iterator(); it.hasNext(); ) {
      ProcessRecord record = it.next();
      if (!record.isLive() && record.endedAt.isBefore(cutoff)) {
        it.remove();
        if (retaining.remove(record)) {
          retainedBytes -= heapBytes(record);
        }
        evicted++;
      }
    }
    return evicted;
  }

  /** {@code {running, background, suspended, queued, completed}}: what the stats say of the processes. */
  JsonObject counts() {
    int running = 0;
    int suspended = 0;
    int background = 0;
    int queued = 0;
    for (ProcessRun run : live.values()) {
      switch (run.record.state) {
        case RUNNING -> running++;
        case SUSPENDED -> suspended++;
        default -> queued++;
      }
      if (run.record.background) {
        background++;
      }
    }
    return new JsonObject().put("running", running).put("background", background).put("suspended", suspended)
        .put("queued", queued).put("completed", completed);
  }

  /** The cgroup jobs that live processes hold: anything in another job is an orphan. */
  List<String> liveCgroups() {
    List<String> names = new ArrayList<>();
    for (ProcessRun run : live.values()) {
      if (run.launched() != null && run.launched().job() != null) {
        names.add(run.launched().job().name());
      }
    }
    return names;
  }
}
