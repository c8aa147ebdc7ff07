package io.isometry.supervisor;

import io.isometry.config.EngineConfig;
import io.isometry.contract.Caller;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Reason;
import io.isometry.contract.Stream;
import io.isometry.contract.StdinRequest;
import io.isometry.contract.SubmitRequest;
import io.isometry.contract.TerminalSize;
import io.isometry.validation.ExecutionPlan;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actor that owns all process state. It composes the {@link ProcessTable} (records, who sees
 * them), the {@link RunQueue} (slots and the fair queue), the {@link Dispatcher} (from accepted to
 * spawned, never before the journal's mark), the {@link ProcessViews} (answers to queries), the
 * {@link Admission} (what is taken, with its id and idempotency key), the {@link Shutdown} and a
 * {@link ProcessRun} per live process (its lifecycle), and answers the requests. Every method runs on one Vert.x context (the supervisor verticle's), so nothing here
 * is shared between threads: spawns run on the launcher's spawner thread, and their results, like
 * the output and exits the children's threads see, come back to that context through
 * {@link Seams#actor()}.
 */
final class Supervisor implements RunListener {

  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
  private static final long COALESCE_MS = 100;

  /** The supervisor's ways to the machine, the journal and time: real ones in the verticle, stand-ins in unit tests. */
  record Seams(Launcher launcher, Ledger ledger, Children children, Timers timers, Clock clock, Executor actor) {
  }

  private final EngineConfig.SupervisorSettings settings;
  private final Seams seams;
  private final SupervisorEvents events;
  private final SupervisorMetrics metrics;
  private final String node;
  private final ProcessRun.RunContext runContext;
  private final ProcessTable table;
  private final RunQueue queue;
  private final Coalescer statsUpdates;
  private final ClientPresence clients;
  private final Admission admission;
  private final Shutdown shutdown;
  private final Dispatcher dispatcher;
  private final ProcessViews views;

  Supervisor(EngineConfig config, Seams seams, SupervisorEvents events, SupervisorMetrics metrics, String node) {
    this.settings = config.supervisor();
    this.seams = seams;
    this.events = events;
    this.metrics = metrics;
    this.node = node;
    this.table = new ProcessTable(settings.outputRetainTotalBytes());
    this.runContext = new ProcessRun.RunContext(seams.timers(), seams.children(), seams.clock(), seams.actor(),
        settings, this);
    this.queue = new RunQueue(new RunQueue.Shares(settings.maxConcurrent(), settings.maxRunningPerOwner(),
        settings.queueCapacity(), settings.queuePerOwner()), seams.timers(), this::publish);
    this.admission = new Admission(config, node, seams.clock(), queue);
    this.shutdown = new Shutdown(table, seams.timers(), settings.gracePeriodMs());
    this.statsUpdates = new Coalescer(seams.timers(), COALESCE_MS, this::publishStats);
    this.views = new ProcessViews(config, table, seams.clock());
    this.clients = new ClientPresence(seams.timers(), settings.reconnectGraceMs(), this::cancelForeground);
    this.dispatcher = new Dispatcher(table, queue, seams, this::publish, this::statsChanged, this::startQueued);
  }

  // ---- submits ----------------------------------------------------------------------------------

  /** Refuses early, before validation, when the request of {@code owner} could not be taken anyway. */
  void checkAdmissible(SubmitRequest request, String owner) {
    admission.check(request, owner);
  }

  /**
   * The journal's health changed: {@code degradedBecause} while it cannot write (new requests are
   * refused and the queue holds), null once it can (the queue moves again).
   */
  void journalHealth(String degradedBecause) {
    admission.journalHealth(degradedBecause);
    if (degradedBecause == null) {
      startQueued();
    }
  }

  /** Makes the run of a validated request, for the journal and then {@link #admit}. */
  ProcessRun prepare(SubmitRequest request, ExecutionPlan plan, String owner, String clientId) {
    return new ProcessRun(admission.record(request, plan, owner, clientId), plan, runContext);
  }

  /**
   * The id of {@code owner}'s first request with {@code key} this engine took within the window, or
   * null (the journal knows those of earlier runs).
   */
  String keyed(String owner, String key) {
    return admission.keyed(owner, key);
  }

  /**
   * Takes a prepared run: it starts at once when its owner may have a slot now, and waits in line
   * otherwise. The answer comes once the journal holds it (and, when it starts at once, once it has
   * been launched). A request the journal could not record is withdrawn and answered
   * {@code unavailable}: the mark that lets it start is in the same commit, so it never ran.
   */
  Future<JsonObject> admit(ProcessRun run) {
    ProcessRecord record = run.record;
    boolean startsNow = dispatcher.startsNow(record.owner);
    Future<Void> accepted = seams.ledger().accept(snapshot(record), run.plan, startsNow, record.idempotencyKey);
    Future<JsonObject> entered = startsNow ? dispatcher.enterRunning(run, accepted) : dispatcher.enterQueue(run);
    // Its connection closed while the request was on its way: it goes the way of the others.
    if (record.clientId != null && !record.background && clients.isGone(record.clientId)) {
      run.terminate(Reason.CLIENT_DISCONNECTED);
    }
    return Future.all(accepted, entered).transform(both -> accepted.succeeded() ? entered : withdraw(run, accepted.cause()));
  }

  /**
   * Ends a request whose acceptance the journal could not record ({@code spawn_failed}, with why):
   * the client was never told of it, and it never started.
   */
  private Future<JsonObject> withdraw(ProcessRun run, Throwable failure) {
    LOG.error("The journal could not record {}; it is withdrawn without running: {}", run.record.id, failure.getMessage());
    admission.withdrawn(run.record);
    run.launchFailed(Dispatcher.notRecorded(failure));
    return Future.failedFuture(new EngineError(ErrorCode.UNAVAILABLE,
        "the request could not be recorded durably; it did not run"));
  }

  /** Takes back a process that was queued when the engine last stopped, with its own id and place in line. */
  void readmit(JsonObject json, ExecutionPlan plan) {
    ProcessRecord record = ProcessRecord.restore(json, settings.outputRetainBytes());
    record.queuePosition = null;
    ProcessRun run = new ProcessRun(record, plan, runContext);
    if (dispatcher.startsNow(record.owner)) {
      dispatcher.readmitRunning(run);
    } else {
      dispatcher.enterQueue(run);
    }
  }

  /** Records a process that was running (or dispatched) when the engine last stopped, and whose tree is now ended. */
  void restoreLost(JsonObject json) {
    restoreLost(json, Reason.ENGINE_RESTART, seams.clock().instant());
  }

  /**
   * The same, for a process the cluster already declared lost while this node was away: its word
   * ({@code node_lost}, and when) stands, so the journal and every client hear one story.
   */
  void restoreLost(JsonObject json, Reason reason, Instant endedAt) {
    ProcessRecord record = ProcessRecord.restore(json, settings.outputRetainBytes());
    record.state = reason.terminalState();
    record.reason = reason;
    record.endedAt = endedAt;
    record.queuePosition = null;
    table.addFinished(record);
    metrics.finished(record.state.wire(), record.reason.wire());
    publish(record);
  }

  // ---- control ----------------------------------------------------------------------------------

  JsonObject cancel(String id, Caller caller) {
    ProcessRun run = table.controllable(id, caller, "cancel");
    run.terminate(Reason.CANCELLED);
    return snapshot(run.record);
  }

  JsonObject suspend(String id, Caller caller) {
    ProcessRun run = table.controllable(id, caller, "suspend");
    run.suspend();
    return snapshot(run.record);
  }

  JsonObject resume(String id, Caller caller) {
    ProcessRun run = table.controllable(id, caller, "resume");
    run.resume();
    return snapshot(run.record);
  }

  JsonObject stdin(String id, Caller caller, StdinRequest request) {
    ProcessRun run = table.controllable(id, caller, "write to the stdin of");
    run.input(request.data(), request.eof());
    return snapshot(run.record);
  }

  JsonObject resize(String id, Caller caller, TerminalSize size) {
    ProcessRun run = table.controllable(id, caller, "resize the terminal of");
    run.resize(size);
    publish(run.record);
    return snapshot(run.record);
  }

  JsonObject background(String id, Caller caller) {
    ProcessRun run = table.controllable(id, caller, "move to the background");
    run.moveToBackground();
    return snapshot(run.record);
  }

  /**
   * A socket that gave a session authenticated: it is (again) client {@code clientId}, and the
   * answer names that client's live foreground processes, whose output it now gets.
   */
  List<String> clientAttached(String clientId) {
    clients.attached(clientId);
    return table.liveRuns().stream()
        .filter(run -> clientId.equals(run.record.clientId) && !run.record.background)
        .map(run -> run.record.id)
        .toList();
  }

  /**
   * A connection went away: its foreground processes go with it (background ones stay), at once, or
   * after the reconnect grace for a client that can come back.
   */
  void clientGone(String clientId) {
    clients.closed(clientId);
  }

  private void cancelForeground(String clientId) {
    for (ProcessRun run : table.liveRuns()) {
      if (clientId.equals(run.record.clientId) && !run.record.background) {
        run.terminate(Reason.CLIENT_DISCONNECTED);
      }
    }
  }

  /** The monitor's latest sample of a live tree; a tree that has ended keeps its last one. */
  void usage(String id, JsonObject usage) {
    ProcessRun run = table.live(id);
    if (run != null) {
      run.record.usage = usage;
    }
  }

  /** The monitor saw a tree over its memory limit: it is killed at once, no grace period. */
  void memoryExceeded(String id) {
    ProcessRun run = table.live(id);
    if (run != null) {
      run.memoryExceeded();
    }
  }

  /** Ends every live process ({@code engine_shutdown}); completes when none is left. */
  Future<Void> shutdown() {
    admission.stop();
    return shutdown.begin();
  }

  // ---- queries ----------------------------------------------------------------------------------

  /** The answers to queries about processes and load. */
  ProcessViews views() {
    return views;
  }

  /**
   * The cgroup jobs that live processes hold, and those of starts under way (a sandbox set up while
   * its mark is written): anything in another job is an orphan.
   */
  List<String> liveCgroups() {
    List<String> names = new ArrayList<>(table.liveCgroups());
    names.addAll(seams.launcher().startingJobs());
    return names;
  }

  /** Forgets finished records (and their output) that ended more than {@code olderThanMs} ago. */
  int evict(long olderThanMs) {
    admission.evictKeys();
    return table.evict(seams.clock().instant().minusMillis(olderThanMs));
  }

  String node() {
    return node;
  }

  void publishStats() {
    JsonObject stats = views.stats();
    metrics.stats(stats);
    events.stats(stats);
  }

  // ---- what runs tell the actor -----------------------------------------------------------------

  @Override
  public void running(ProcessRun run) {
    ProcessRecord record = run.record;
    metrics.started(Duration.between(record.createdAt, run.spawnRequested()),
        Duration.between(run.spawnRequested(), record.startedAt));
    changed(run);
  }

  @Override
  public void changed(ProcessRun run) {
    publish(run.record);
    statsChanged();
  }

  @Override
  public void output(ProcessRun run, Stream stream, long offset, OutputChunk chunk) {
    events.output(run.record.id, stream, offset, chunk.bytes().length, chunk.text());
  }

  /** Takes a finished run out of the live set, frees its slot (or its place in line) and lets the next one run. */
  @Override
  public void ended(ProcessRun run) {
    ProcessRecord record = run.record;
    table.ended(run);
    if (run.tookSlot()) {
      queue.vacate(run);
    } else {
      queue.remove(run);
    }
    if (run.launched() != null && run.launched().job() != null) {
      // Its cgroups go once it has ended; while something that escaped its group is still in them,
      // they stay, and the cleanup sweep finds it there as an orphan.
      seams.launcher().release(run.launched().job());
    }
    metrics.finished(record.state.wire(), record.reason.wire());
    publish(record);
    events.journalOutput(record.id, record.stdout.text(), record.stderr.text());
    statsChanged();
    startQueued();
    shutdown.runEnded();
  }

  private void startQueued() {
    // While the journal cannot write, no start could be marked: the queue waits for it.
    if (admission.queueMoves()) {
      dispatcher.startQueued();
    }
  }

  // ---- events -----------------------------------------------------------------------------------

  private void publish(ProcessRecord record) {
    events.process(snapshot(record));
  }

  private JsonObject snapshot(ProcessRecord record) {
    return record.toJson(seams.clock().instant());
  }

  /** Publishes stats on a change, at most once per {@link #COALESCE_MS} in a burst. */
  private void statsChanged() {
    statsUpdates.changed();
  }
}
