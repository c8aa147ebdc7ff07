package io.isometry.supervisor;

import io.isometry.config.EngineConfig.BackgroundPolicy;
import io.isometry.config.EngineConfig;
import io.isometry.contract.Caller;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Reason;
import io.isometry.contract.SubmitRequest;
import io.isometry.os.CgroupV1Job;
import io.isometry.os.ChildProcess;
import io.isometry.os.Reaper;
import io.isometry.os.Signal;
import io.isometry.os.WaitStatus;
import io.isometry.sandbox.StatusPipe;
import io.isometry.validation.ExecutionPlan;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actor that owns all process state: records, the run queue, the live children and their
 * timers. Every method runs on one Vert.x context (the supervisor verticle's), so nothing here is
 * shared between threads; spawning and signalling run on a worker executor and their results come
 * back to that context, and output pumps hand their chunks to it.
 */
final class Supervisor {

  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
  /** How long the pipes may stay open after the leader exits before the rest of its group is killed. */
  static final long DRAIN_GRACE_MS = 500;
  private static final long COALESCE_MS = 100;
  private static final int DEFAULT_LIST_LIMIT = 100;
  private static final int GONE_CLIENTS_KEPT = 1024;
  private static final int MAX_LIST_LIMIT = 1000;

  private final Vertx vertx;
  private final Context context;
  private final EngineConfig config;
  private final EngineConfig.Supervisor settings;
  private final ProcessLauncher launcher;
  private final WorkerExecutor blocking;
  private final ExecutorService pumps;
  private final SupervisorEvents events;
  private final SupervisorMetrics metrics;
  private final String node;
  private final Clock clock;
  private final ProcessIds ids = new ProcessIds();
  /** Connections that closed lately, for requests of theirs still on the way (the oldest are forgotten). */
  private final Set<String> goneClients = Collections.newSetFromMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > GONE_CLIENTS_KEPT;
    }
  });

  private final TreeMap<String, ProcessRecord> records = new TreeMap<>();
  private final Map<String, LiveProcess> live = new HashMap<>();
  private final ArrayDeque<LiveProcess> queue = new ArrayDeque<>();
  private int slotsInUse;
  private long completed;
  private boolean stopping;
  private Promise<Void> stopped;
  private final Coalescer statsUpdates;
  private final Coalescer queueMoves;

  Supervisor(Vertx vertx, EngineConfig config, ProcessLauncher launcher, WorkerExecutor blocking,
             ExecutorService pumps, SupervisorEvents events, SupervisorMetrics metrics, String node, Clock clock) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.config = config;
    this.settings = config.supervisor();
    this.launcher = launcher;
    this.blocking = blocking;
    this.pumps = pumps;
    this.events = events;
    this.metrics = metrics;
    this.node = node;
    this.clock = clock;
    this.statsUpdates = new Coalescer(vertx, COALESCE_MS, this::publishStats);
    this.queueMoves = new Coalescer(vertx, COALESCE_MS, this::publishQueueMoves);
  }

  // ---- commands ---------------------------------------------------------------------------------

  /** Refuses early, before validation, when the request could not be taken anyway. */
  void checkAdmissible(SubmitRequest request) {
    if (stopping) {
      throw new EngineError(ErrorCode.UNAVAILABLE, "the engine is shutting down");
    }
    long maxMemory = config.limits().memoryBytes();
    if (request.memoryLimitBytes() != null && request.memoryLimitBytes() > maxMemory) {
      throw new EngineError(ErrorCode.INVALID_REQUEST,
          "'memoryLimitBytes' is over the server maximum of " + maxMemory + " bytes");
    }
    if (slotsInUse + queue.size() >= settings.maxConcurrent() + settings.queueCapacity()) {
      throw new EngineError(ErrorCode.QUEUE_FULL,
          "the queue is full (" + settings.queueCapacity() + " waiting); try again later");
    }
  }

  /** Makes the record of a validated request, for the journal and then {@link #admit}. */
  LiveProcess prepare(SubmitRequest request, ExecutionPlan plan, String owner, String clientId) {
    checkAdmissible(request);
    Instant now = clock.instant();
    ProcessRecord record = new ProcessRecord(ids.next(now.toEpochMilli()), node, owner, clientId,
        request.displayCommand(), plan.argv(), plan.cwd(), request.label(),
        request.timeoutMs() != null ? request.timeoutMs() : settings.defaultTimeoutMs(),
        request.memoryLimitBytes() != null ? request.memoryLimitBytes() : config.limits().memoryBytes(),
        now, settings.outputRetainBytes());
    record.background = request.background();
    return new LiveProcess(record, plan);
  }

  /** Takes a prepared request: runs it at once when a slot is free, queues it otherwise. */
  Future<JsonObject> admit(LiveProcess process) {
    Future<JsonObject> entered = enter(process);
    ProcessRecord record = process.record;
    // Its connection closed while the request was on its way: it goes the way of the others.
    if (record.clientId != null && !record.background && goneClients.contains(record.clientId)) {
      terminate(process, Reason.CLIENT_DISCONNECTED);
    }
    return entered;
  }

  /** Ends a process whose acceptance the journal could not record: the client was never told of it. */
  void withdraw(String id) {
    LiveProcess process = live.get(id);
    if (process != null && !process.finished) {
      terminate(process, Reason.CANCELLED);
    }
  }

  /** Takes back a process that was queued when the engine last stopped, with its own id and place in line. */
  void readmit(JsonObject json, ExecutionPlan plan) {
    ProcessRecord record = ProcessRecord.restore(json, settings.outputRetainBytes());
    record.queuePosition = null;
    enter(new LiveProcess(record, plan));
  }

  /** Records a process that was running when the engine last stopped, and whose tree is now ended. */
  void restoreLost(JsonObject json) {
    ProcessRecord record = ProcessRecord.restore(json, settings.outputRetainBytes());
    record.state = Reason.ENGINE_RESTART.terminalState();
    record.reason = Reason.ENGINE_RESTART;
    record.endedAt = clock.instant();
    records.put(record.id, record);
    completed++;
    metrics.finished(record.state.wire(), record.reason.wire());
    publish(record);
  }

  private Future<JsonObject> enter(LiveProcess process) {
    ProcessRecord record = process.record;
    records.put(record.id, record);
    live.put(record.id, process);
    if (slotsInUse < settings.maxConcurrent() && queue.isEmpty()) {
      publish(record);
      return start(process).map(started -> snapshot(record));
    }
    queue.add(process);
    renumberQueue();
    statsChanged();
    return Future.succeededFuture(snapshot(record));
  }

  JsonObject cancel(String id, Caller caller) {
    LiveProcess process = liveOrConflict(id, caller, "cancel");
    terminate(process, Reason.CANCELLED);
    return snapshot(process.record);
  }

  Future<JsonObject> suspend(String id, Caller caller) {
    return stopOrContinue(id, caller, "suspend", ProcessState.RUNNING, ProcessState.SUSPENDED, Signal.STOP);
  }

  Future<JsonObject> resume(String id, Caller caller) {
    return stopOrContinue(id, caller, "resume", ProcessState.SUSPENDED, ProcessState.RUNNING, Signal.CONT);
  }

  /** Moves a process that is not ending from {@code from} to {@code to} by signalling its whole tree. */
  private Future<JsonObject> stopOrContinue(String id, Caller caller, String action, ProcessState from,
                                            ProcessState to, Signal signal) {
    LiveProcess process = liveOrConflict(id, caller, action);
    if (process.record.state != from || process.ending != null || process.exited) {
      throw invalidState(process.record, action);
    }
    process.record.state = to;
    signal(process, signal);
    return Future.succeededFuture(publishUnlessFinished(process));
  }

  JsonObject background(String id, Caller caller) {
    LiveProcess process = liveOrConflict(id, caller, "move to the background");
    moveToBackground(process);
    return snapshot(process.record);
  }

  JsonObject get(String id, Caller caller) {
    return snapshot(recordOrNotFound(id, caller));
  }

  /** Records newest first, optionally of one state. */
  JsonObject list(String state, Integer limit, Caller caller) {
    ProcessState wanted = null;
    if (state != null) {
      try {
        wanted = ProcessState.fromWire(state);
      } catch (IllegalArgumentException e) {
        throw new EngineError(ErrorCode.INVALID_REQUEST, "unknown state '" + state + "'");
      }
    }
    int max = limit == null ? DEFAULT_LIST_LIMIT : limit;
    if (max < 1 || max > MAX_LIST_LIMIT) {
      throw new EngineError(ErrorCode.INVALID_REQUEST, "'limit' must be between 1 and " + MAX_LIST_LIMIT);
    }
    JsonArray items = new JsonArray();
    Instant now = clock.instant();
    for (ProcessRecord record : records.descendingMap().values()) {
      if ((wanted == null || record.state == wanted) && caller.sees(record.owner)) {
        items.add(record.toJson(now));
        if (items.size() == max) {
          break;
        }
      }
    }
    return new JsonObject().put(Fields.ITEMS, items);
  }

  /** The retained tail of one stream: where it starts in the whole stream, and its text. */
  JsonObject output(String id, String stream, Caller caller) {
    if (!"stdout".equals(stream) && !"stderr".equals(stream)) {
      throw new EngineError(ErrorCode.INVALID_REQUEST, "'stream' must be stdout or stderr");
    }
    OutputTail tail = recordOrNotFound(id, caller).tail(stream);
    return new JsonObject()
        .put(Fields.ID, id)
        .put(Fields.STREAM, stream)
        .put(Fields.OFFSET, tail.retainedOffset())
        .put(Fields.TRUNCATED, tail.truncated())
        .put(Fields.DATA, tail.text());
  }

  JsonObject stats() {
    int running = 0;
    int suspended = 0;
    int background = 0;
    int queued = 0;
    for (LiveProcess process : live.values()) {
      switch (process.record.state) {
        case RUNNING -> running++;
        case SUSPENDED -> suspended++;
        default -> queued++;
      }
      if (process.record.background) {
        background++;
      }
    }
    return new JsonObject()
        .put("running", running)
        .put("background", background)
        .put("suspended", suspended)
        .put("queued", queued)
        .put("completed", completed)
        .put("limits", new JsonObject()
            .put("maxConcurrent", settings.maxConcurrent())
            .put("queueCapacity", settings.queueCapacity())
            .put(Fields.MEMORY_BYTES, config.limits().memoryBytes())
            .put("defaultTimeoutMs", settings.defaultTimeoutMs())
            .put("backgroundPolicy", settings.backgroundPolicy().name().toLowerCase(java.util.Locale.ROOT)));
  }

  /** The monitor's latest sample of a live tree; a tree that has ended keeps its last one. */
  void usage(String id, JsonObject usage) {
    LiveProcess process = live.get(id);
    if (process != null && !process.finished) {
      process.record.usage = usage;
    }
  }

  /** The monitor saw a tree over its memory limit: it is killed at once, no grace period. */
  void memoryExceeded(String id) {
    LiveProcess process = live.get(id);
    if (process == null || !process.spawned() || process.exited || process.ending != null) {
      return;
    }
    process.ending = Reason.MEMORY_LIMIT;
    signal(process, Signal.KILL);
  }

  /** The cgroup jobs that live processes hold: anything in another job is an orphan. */
  JsonObject liveCgroups() {
    JsonArray names = new JsonArray();
    for (LiveProcess process : live.values()) {
      if (process.job != null) {
        names.add(process.job.name());
      }
    }
    return new JsonObject().put("cgroups", names);
  }

  /** A connection went away: its foreground processes go with it; background ones stay. */
  void clientGone(String clientId) {
    goneClients.add(clientId);
    for (LiveProcess process : new ArrayList<>(live.values())) {
      if (clientId.equals(process.record.clientId) && !process.record.background) {
        terminate(process, Reason.CLIENT_DISCONNECTED);
      }
    }
  }

  /** Forgets finished records (and their output) that ended more than {@code olderThanMs} ago. */
  int evict(long olderThanMs) {
    Instant cutoff = clock.instant().minusMillis(olderThanMs);
    int evicted = 0;
    for (Iterator<ProcessRecord> it = records.values().iterator(); it.hasNext(); ) {
      ProcessRecord record = it.next();
      if (!record.isLive() && record.endedAt.isBefore(cutoff)) {
        it.remove();
        evicted++;
      }
    }
    return evicted;
  }

  /** Ends every live process ({@code engine_shutdown}); completes when none is left. */
  Future<Void> shutdown() {
    stopping = true;
    stopped = Promise.promise();
    for (LiveProcess process : new ArrayList<>(live.values())) {
      terminate(process, Reason.ENGINE_SHUTDOWN);
    }
    if (live.isEmpty()) {
      stopped.tryComplete();
    } else {
      long patience = settings.gracePeriodMs() + 3 * DRAIN_GRACE_MS + 1000;
      vertx.setTimer(patience, t -> forgetStragglers());
    }
    return stopped.future();
  }

  String node() {
    return node;
  }

  void publishStats() {
    JsonObject stats = stats();
    metrics.stats(stats);
    events.stats(stats);
  }

  // ---- the lifecycle ---------------------------------------------------------------------------

  private Future<Void> start(LiveProcess process) {
    process.started = true;
    process.spawnRequested = clock.instant();
    process.record.queuePosition = null;
    slotsInUse++;
    return Future.fromCompletionStage(launcher.launch(process.plan, process.record.memoryBytes), context)
        .transform(spawn -> {
          if (spawn.succeeded()) {
            onSpawned(process, spawn.result());
          } else {
            onSpawnFailed(process, spawn.cause());
          }
          return Future.<Void>succeededFuture();
        });
  }

  private void onSpawned(LiveProcess process, ProcessLauncher.Launched launched) {
    ProcessRecord record = process.record;
    ChildProcess child = launched.child();
    if (process.finished) {
      // Ended (the engine is stopping) while it was being started: its tree goes at once, and its
      // record, already final, is not made running again.
      launched.tree().signal(Signal.KILL);
      return;
    }
    process.child = child;
    process.tree = launched.tree();
    process.job = launched.job();
    record.cgroup = process.job == null ? null : process.job.name();
    record.pidStartTicks = launched.startTicks() < 0 ? null : launched.startTicks();
    record.pid = process.tree.pid();
    record.processGroup = process.tree.group();
    record.startedAt = clock.instant();
    metrics.started(Duration.between(record.createdAt, process.spawnRequested),
        Duration.between(process.spawnRequested, record.startedAt));
    record.state = ProcessState.RUNNING;
    publish(record);
    statsChanged();
    try {
      pump(process, child.stdout(), "stdout");
      pump(process, child.stderr(), "stderr");
      watchExit(process);
    } catch (RejectedExecutionException engineStopping) {
      // Only while the engine stops: the shutdown kills the group, and nobody is left to read.
      process.tree.signal(Signal.KILL);
      process.stdoutEnded = true;
      process.stderrEnded = true;
    }
    process.timeoutTimer = vertx.setTimer(record.timeoutMs, t -> terminate(process, Reason.TIMEOUT));
    if (record.background) {
      startBackgroundBudget(process);
    } else {
      process.autoBackgroundTimer = vertx.setTimer(settings.autoBackgroundAfterMs(), t -> moveToBackground(process));
    }
    if (process.ending != null) {
      Reason reason = process.ending;
      process.ending = null;
      terminate(process, reason);
    }
  }

  /**
   * A thread of the pump pool waits for the child (and reaps it), reads the kernel's account of its
   * tree when it has cgroups, and tells the actor.
   */
  private void watchExit(LiveProcess process) {
    ProcessTree tree = process.tree;
    int pid = tree.leader();
    InputStream sandboxStatus = process.child.status();
    CgroupV1Job job = process.job;
    pumps.execute(() -> {
      WaitStatus status;
      try {
        status = tree.exit(Reaper.await(pid), sandboxStatus == null ? null : StatusPipe.rest(sandboxStatus));
      } catch (RuntimeException | IOException e) {
        // Never lose a record: a child we cannot wait for is recorded as ended, how unknown.
        LOG.error("Could not wait for {} (pid {}): {}", process.record.id, pid, e.getMessage());
        status = null;
      }
      WaitStatus exit = status;
      JobReport report = job == null ? null : JobReport.readQuietly(job, process.record.id);
      context.runOnContext(v -> onExit(process, exit, report));
    });
  }

  private void pump(LiveProcess process, java.io.InputStream in, String stream) {
    OutputPump[] self = new OutputPump[1];
    self[0] = new OutputPump(in,
        chunk -> context.runOnContext(v -> onOutput(process, stream, chunk, self[0])),
        () -> context.runOnContext(v -> onStreamEnd(process, stream)));
    pumps.execute(self[0]);
  }

  private void onSpawnFailed(LiveProcess process, Throwable cause) {
    LOG.warn("Could not start {} ({}): {}", process.record.id, process.plan.argv().get(0), cause.getMessage());
    ProcessRecord record = process.record;
    if (process.ending != null) {
      record.reason = process.ending;
      record.state = process.ending.terminalState();
    } else {
      record.reason = Reason.EXIT;
      record.state = ProcessState.FAILED;
      // 127 is what a shell reports for a command it could not run.
      record.exitCode = 127;
    }
    end(process);
  }

  private void onOutput(LiveProcess process, String stream, OutputChunk chunk, OutputPump pump) {
    try {
      if (process.finished) {
        return;
      }
      OutputTail tail = process.record.tail(stream);
      long offset = tail.total();
      tail.append(chunk.bytes());
      events.output(process.record.id, stream, offset, chunk.bytes().length, chunk.text());
    } finally {
      pump.consumed();
    }
  }

  private void onStreamEnd(LiveProcess process, String stream) {
    if ("stdout".equals(stream)) {
      process.stdoutEnded = true;
    } else {
      process.stderrEnded = true;
    }
    if (process.drained()) {
      finish(process);
    }
  }

  private void onExit(LiveProcess process, WaitStatus status, JobReport report) {
    process.exited = true;
    process.exitStatus = status;
    if (report != null) {
      process.record.memoryPeakBytes = report.peakBytes();
      if (report.oomKilled() && process.ending == null) {
        process.ending = Reason.MEMORY_LIMIT;
      }
    }
    if (process.ending != null) {
      // The engine ended it: nothing of its tree may outlive it.
      signal(process, Signal.KILL);
    }
    if (process.drained()) {
      finish(process);
      return;
    }
    // Something in its group still holds the pipes: give it a moment, then end the group.
    process.drainTimer = vertx.setTimer(DRAIN_GRACE_MS, t -> {
      signal(process, Signal.KILL);
      process.drainTimer = vertx.setTimer(DRAIN_GRACE_MS, t2 -> finish(process));
    });
  }

  private void finish(LiveProcess process) {
    if (process.finished) {
      return;
    }
    ProcessRecord record = process.record;
    WaitStatus status = process.exitStatus;
    if (status != null) {
      record.exitCode = status.exitCode();
      record.signal = status.signal() == null ? null : status.signal().name();
    }
    if (process.ending != null) {
      record.reason = process.ending;
      record.state = process.ending.terminalState();
    } else {
      record.reason = Reason.EXIT;
      record.state = status != null && status.succeeded() ? ProcessState.SUCCEEDED : ProcessState.FAILED;
    }
    end(process);
  }

  /** The engine ends a process: a queued one at once, a running one with SIGTERM, then SIGKILL. */
  private void terminate(LiveProcess process, Reason reason) {
    ProcessRecord record = process.record;
    if (!process.started) {
      queue.remove(process);
      record.state = reason.terminalState();
      record.reason = reason;
      end(process);
      renumberQueue();
      return;
    }
    if (process.ending != null || process.exited) {
      return;
    }
    process.ending = reason;
    if (!process.spawned()) {
      return;
    }
    signal(process, Signal.TERM);
    if (record.state == ProcessState.SUSPENDED) {
      // A stopped process cannot act on SIGTERM until it runs again.
      signal(process, Signal.CONT);
    }
    process.graceTimer = vertx.setTimer(Math.max(1, settings.gracePeriodMs()), t -> signal(process, Signal.KILL));
  }

  /** Takes a finished process out of the live set, frees its slot and lets the next one run. */
  private void end(LiveProcess process) {
    ProcessRecord record = process.record;
    process.finished = true;
    cancelTimers(process);
    record.endedAt = clock.instant();
    record.queuePosition = null;
    live.remove(record.id);
    if (process.started) {
      slotsInUse--;
    }
    releaseJob(process);
    completed++;
    metrics.finished(record.state.wire(), record.reason.wire());
    publish(record);
    events.journalOutput(record.id, record.stdout.text(), record.stderr.text());
    statsChanged();
    startQueued();
    if (stopping && live.isEmpty()) {
      stopped.tryComplete();
    }
  }

  private void startQueued() {
    boolean changed = false;
    while (!stopping && slotsInUse < settings.maxConcurrent() && !queue.isEmpty()) {
      start(queue.poll());
      changed = true;
    }
    if (changed) {
      renumberQueue();
    }
  }

  private void moveToBackground(LiveProcess process) {
    ProcessRecord record = process.record;
    if (process.finished || record.background) {
      return;
    }
    record.background = true;
    cancelTimer(process.autoBackgroundTimer);
    process.autoBackgroundTimer = LiveProcess.NO_TIMER;
    if (process.spawned()) {
      startBackgroundBudget(process);
    }
    publish(record);
    statsChanged();
  }

  private void startBackgroundBudget(LiveProcess process) {
    if (settings.backgroundPolicy() == BackgroundPolicy.LIMITED) {
      process.budgetTimer = vertx.setTimer(settings.backgroundBudgetMs(),
          t -> terminate(process, Reason.BACKGROUND_EXPIRED));
    }
  }

  /**
   * Keeps every queued record's position current. A new arrival is published at once; moves up the
   * queue are published at most once per {@link #COALESCE_MS} (each start moves every waiting
   * record, and publishing them all each time would cost O(queue) events per start).
   */
  private void renumberQueue() {
    int position = 1;
    for (LiveProcess process : queue) {
      ProcessRecord record = process.record;
      boolean arrived = record.queuePosition == null;
      record.queuePosition = position++;
      if (arrived) {
        record.publishedQueuePosition = record.queuePosition;
        publish(record);
      }
    }
    queueMoves.changed();
  }

  private void publishQueueMoves() {
    for (LiveProcess process : queue) {
      ProcessRecord record = process.record;
      if (!Objects.equals(record.queuePosition, record.publishedQueuePosition)) {
        record.publishedQueuePosition = record.queuePosition;
        publish(record);
      }
    }
  }

  /**
   * Removes the tree's cgroups once it has ended. When something that escaped the process group
   * is still in them, they stay: the cleanup sweep finds it there as an orphan.
   */
  private void releaseJob(LiveProcess process) {
    if (process.job != null) {
      launcher.release(process.job);
    }
  }

  /** Signals the process's whole tree (see {@link ProcessTree}): kill(2) calls, which never block. */
  private void signal(LiveProcess process, Signal signal) {
    try {
      process.tree.signal(signal);
    } catch (RuntimeException e) {
      LOG.error("Could not send {} to the group of {}: {}", signal.name(), process.record.id, e.getMessage());
    }
  }

  /** Shutdown ran out of patience: whatever has not ended is recorded as lost all the same. */
  private void forgetStragglers() {
    for (LiveProcess process : new ArrayList<>(live.values())) {
      LOG.warn("{} (pid {}) did not end in time at shutdown", process.record.id, process.record.pid);
      process.ending = Reason.ENGINE_SHUTDOWN;
      finish(process);
    }
  }

  private void cancelTimers(LiveProcess process) {
    for (long timer : List.of(process.timeoutTimer, process.graceTimer, process.autoBackgroundTimer,
        process.budgetTimer, process.drainTimer)) {
      cancelTimer(timer);
    }
  }

  private void cancelTimer(long timer) {
    if (timer != LiveProcess.NO_TIMER) {
      vertx.cancelTimer(timer);
    }
  }

  // ---- events and lookups ---------------------------------------------------------------------

  private void publish(ProcessRecord record) {
    events.process(record.toJson(clock.instant()));
  }

  /** After a signal: publishes the new state, unless the process ended meanwhile (then that was published). */
  private JsonObject publishUnlessFinished(LiveProcess process) {
    JsonObject json = process.record.toJson(clock.instant());
    if (!process.finished) {
      events.process(json);
      statsChanged();
    }
    return json.copy();
  }

  private JsonObject snapshot(ProcessRecord record) {
    return record.toJson(clock.instant());
  }

  /** Publishes stats on a change, at most once per {@link #COALESCE_MS} in a burst. */
  private void statsChanged() {
    statsUpdates.changed();
  }

  /** The record, when it exists and the caller may see it: another owner's record is not found. */
  private ProcessRecord recordOrNotFound(String id, Caller caller) {
    ProcessRecord record = records.get(id);
    if (record == null || !caller.sees(record.owner)) {
      throw new EngineError(ErrorCode.NOT_FOUND, "no process '" + id + "'");
    }
    return record;
  }

  private LiveProcess liveOrConflict(String id, Caller caller, String action) {
    ProcessRecord record = recordOrNotFound(id, caller);
    caller.requireControl();
    LiveProcess process = live.get(id);
    if (process == null || process.finished) {
      throw invalidState(record, action);
    }
    return process;
  }

  private static EngineError invalidState(ProcessRecord record, String action) {
    return new EngineError(ErrorCode.INVALID_STATE,
        "cannot " + action + " process " + record.id + ": it is " + record.state.wire(),
        new JsonObject().put(Fields.STATE, record.state.wire()));
  }
}
