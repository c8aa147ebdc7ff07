package io.isometry.supervisor;

import io.isometry.contract.Fields;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Reason;
import io.isometry.contract.Stream;
import io.isometry.contract.TerminalSize;
import io.isometry.os.ChildStdin;
import io.isometry.contract.Timestamps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One process as the engine knows it: what was asked, what it became, and its retained output.
 * Mutable, and touched only on the supervisor's context (the actor); everybody else sees the
 * JSON snapshots it publishes.
 */
final class ProcessRecord {

  final String id;
  final String node;
  final String owner;
  final String clientId;
  final String command;
  final List<String> argv;
  final String cwd;
  final String label;
  final long timeoutMs;
  final long memoryBytes;
  final Instant createdAt;
  final OutputTail stdout;
  final OutputTail stderr;

  ProcessState state = ProcessState.QUEUED;
  boolean background;
  /** Its stdin is a pipe (or a terminal) the engine's clients write; otherwise /dev/null. */
  boolean stdin;
  /** Its terminal's window, when it runs on one; null otherwise. Changed by resizes. */
  TerminalSize tty;
  Integer pid;
  Integer exitCode;
  String signal;
  Reason reason;
  Instant startedAt;
  Instant endedAt;
  Integer queuePosition;
  /** The name of the cgroup job that holds its tree, when there is one. */
  String cgroup;
  /** The start time of {@link #pid}, in clock ticks since boot. */
  Long pidStartTicks;
  /**
   * The session and process group that hold its tree: the command's own pid unconfined, the sandbox's
   * pid 1 when confined. What the monitor samples and what recovery kills.
   */
  Integer processGroup;
  /** The most memory the tree used as the kernel counted it (cgroup enforcement only). */
  Long memoryPeakBytes;
  /** The monitor's latest sample of the tree: cpuPercent, rssBytes, peakRssBytes, threads. */
  JsonObject usage = new JsonObject()
      .put(Fields.CPU_PERCENT, 0.0).put(Fields.RSS_BYTES, 0L).put(Fields.PEAK_RSS_BYTES, 0L).put(Fields.THREADS, 0);
  /** The client's idempotency key, kept by the journal with the accept; not part of the published record. */
  String idempotencyKey;
  /** From spawn to exit by the monotonic clock, once it exited; null before (then the wall clock counts). */
  Long durationMs;
  /** Why it could not be started, for the client (with reason {@code spawn_failed}); null otherwise. */
  String message;
  /** The position the last published event showed; moves are published in batches. */
  Integer publishedQueuePosition;

  ProcessRecord(String id, String node, String owner, String clientId, String command, List<String> argv,
                String cwd, String label, long timeoutMs, long memoryBytes, Instant createdAt, int retainBytes) {
    this.id = id;
    this.node = node;
    this.owner = owner;
    this.clientId = clientId;
    this.command = command;
    this.argv = List.copyOf(argv);
    this.cwd = cwd;
    this.label = label;
    this.timeoutMs = timeoutMs;
    this.memoryBytes = memoryBytes;
    this.createdAt = createdAt;
    this.stdout = new OutputTail(retainBytes);
    this.stderr = new OutputTail(retainBytes);
  }

  /**
   * A record as the journal kept it, to carry on after a restart: what was asked and where it got
   * to. Its output tails start empty (a queued process has none yet).
   */
  static ProcessRecord restore(JsonObject json, int retainBytes) {
    JsonObject limits = json.getJsonObject(Fields.LIMITS);
    ProcessRecord record = new ProcessRecord(json.getString(Fields.ID), json.getString(Fields.NODE),
        json.getString(Fields.OWNER), null, json.getString(Fields.COMMAND),
        json.getJsonArray(Fields.ARGV).stream().map(String.class::cast).toList(), json.getString(Fields.CWD),
        json.getString(Fields.LABEL), limits.getLong(Fields.TIMEOUT_MS), limits.getLong(Fields.MEMORY_BYTES),
        Instant.parse(json.getString(Fields.CREATED_AT)), retainBytes);
    record.state = ProcessState.fromWire(json.getString(Fields.STATE));
    record.background = json.getBoolean(Fields.BACKGROUND, false);
    record.stdin = json.getBoolean(Fields.STDIN, false);
    record.tty = json.getBoolean(Fields.TTY, false) ? TerminalSize.fromJson(json, true) : null;
    record.pid = json.getInteger(Fields.PID);
    record.pidStartTicks = json.getLong(Fields.PID_START_TICKS);
    record.processGroup = json.getInteger(Fields.PROCESS_GROUP);
    record.cgroup = json.getString(Fields.CGROUP);
    record.message = json.getString(Fields.MESSAGE);
    String started = json.getString(Fields.STARTED_AT);
    record.startedAt = started == null ? null : Instant.parse(started);
    return record;
  }

  /** What the process gets as its stdin when it starts. */
  ChildStdin childStdin() {
    return tty != null ? ChildStdin.terminal(tty.cols(), tty.rows()) : stdin ? ChildStdin.PIPE : ChildStdin.NULL;
  }

  boolean isLive() {
    return !state.isTerminal();
  }

  OutputTail tail(Stream stream) {
    return stream == Stream.STDERR ? stderr : stdout;
  }

  /** The record in the shape of docs/contract.md; {@code durationMs} of a live process runs to {@code now}. */
  JsonObject toJson(Instant now) {
    Instant end = endedAt != null ? endedAt : now;
    long duration = durationMs != null ? durationMs
        : startedAt == null ? 0 : Math.max(0, startedAt.until(end, ChronoUnit.MILLIS));
    JsonObject json = new JsonObject()
        .put(Fields.ID, id)
        .put(Fields.NODE, node)
        .put(Fields.OWNER, owner)
        .put(Fields.COMMAND, command)
        .put(Fields.ARGV, new JsonArray(argv))
        .put(Fields.CWD, cwd)
        .put(Fields.STATE, state.wire())
        .put(Fields.BACKGROUND, background)
        .put(Fields.STDIN, stdin)
        .put(Fields.TTY, tty != null)
        .put(Fields.PID, pid)
        .put(Fields.EXIT_CODE, exitCode)
        .put(Fields.SIGNAL, signal)
        .put(Fields.REASON, reason == null ? null : reason.wire())
        .put(Fields.MESSAGE, message)
        .put(Fields.CREATED_AT, timestamp(createdAt))
        .put(Fields.STARTED_AT, timestamp(startedAt))
        .put(Fields.ENDED_AT, timestamp(endedAt))
        .put(Fields.DURATION_MS, duration)
        .put(Fields.QUEUE_POSITION, queuePosition)
        .put(Fields.LIMITS, new JsonObject().put(Fields.TIMEOUT_MS, timeoutMs).put(Fields.MEMORY_BYTES, memoryBytes))
        .put(Fields.USAGE, usage.copy().put(Fields.MEMORY_PEAK_BYTES, memoryPeakBytes))
        .put(Fields.OUTPUT, new JsonObject()
            .put(Fields.STDOUT_BYTES, stdout.total())
            .put(Fields.STDERR_BYTES, stderr.total())
            .put(Fields.TRUNCATED, stdout.truncated() || stderr.truncated()))
        .put(Fields.LABEL, label)
        .put(Fields.CGROUP, cgroup)
        .put(Fields.PID_START_TICKS, pidStartTicks)
        .put(Fields.PROCESS_GROUP, processGroup);
    if (tty != null) {
      json.put(Fields.COLS, tty.cols()).put(Fields.ROWS, tty.rows());
    }
    return json;
  }

  private static String timestamp(Instant instant) {
    return Timestamps.format(instant);
  }
}
