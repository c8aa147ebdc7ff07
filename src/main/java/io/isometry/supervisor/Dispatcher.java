package io.isometry.supervisor;

import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way from an accepted run to a spawned one: into a slot at once or into the queue, and out of
 * the queue when a slot frees. Its one rule is the journal's: a run's command runs only once its
 * dispatch mark has committed, so that a crash in between leaves a record that recovery ends as
 * lost instead of running it again. Its start is prepared meanwhile (a sandbox held before its
 * command), so that the mark and the sandbox's setup take their time side by side. Part of the
 * supervisor actor: every method runs on its context.
 */
final class Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  /** How soon a start that could not be recorded is tried again, unless the journal says it writes again first. */
  private static final long RETRY_MS = 1000;

  private final ProcessTable table;
  private final RunQueue queue;
  private final Supervisor.Seams seams;
  private final Consumer<ProcessRecord> publish;
  private final Runnable statsChanged;
  private final Runnable startQueued;

  /**
   * @param startQueued starts what waits, when the journal can write: asked for again a while after
   *     a start could not be recorded
   */
  Dispatcher(ProcessTable table, RunQueue queue, Supervisor.Seams seams, Consumer<ProcessRecord> publish,
             Runnable statsChanged, Runnable startQueued) {
    this.table = table;
    this.queue = queue;
    this.seams = seams;
    this.publish = publish;
    this.statsChanged = statsChanged;
    this.startQueued = startQueued;
  }

  /** Whether a run of {@code owner} would take a slot now rather than wait in line. */
  boolean startsNow(String owner) {
    return queue.canStartNow(owner);
  }

  /**
   * Takes a slot for the run, which starts once {@code mark} (its accept) commits; answers its record
   * then. A mark that fails ends it: its request is answered 503.
   */
  Future<JsonObject> enterRunning(ProcessRun run, Future<Void> mark) {
    table.add(run);
    publish.accept(run.record);
    return start(run, mark, false).map(started -> snapshot(run.record));
  }

  /** Takes a slot for a run taken back from the journal, which starts once its dispatch mark commits. */
  void readmitRunning(ProcessRun run) {
    table.add(run);
    publish.accept(run.record);
    start(run, seams.ledger().dispatch(run.record.id), true);
  }

  /** Puts the run in line; answers its record (with its place) at once. */
  Future<JsonObject> enterQueue(ProcessRun run) {
    table.add(run);
    queue.add(run);
    statsChanged.run();
    return Future.succeededFuture(snapshot(run.record));
  }

  /** Starts queued runs while slots are free, each once its dispatch mark commits. */
  void startQueued() {
    boolean started = false;
    ProcessRun next;
    while ((next = queue.next()) != null) {
      start(next, seams.ledger().dispatch(next.record.id), true);
      started = true;
    }
    if (started) {
      queue.renumber();
    }
  }

  private static boolean journalCannotWrite(Throwable failure) {
    return EngineError.from(failure).code() == ErrorCode.UNAVAILABLE;
  }

  /** What a run that never started says when the journal could not record it. */
  static String notRecorded(Throwable failure) {
    return "not started: the journal could not record it (" + failure.getMessage() + ")";
  }

  /**
   * Takes a slot for the run, prepares its start at once (a sandbox is set up while the mark is
   * written) and lets its command run once {@code mark} has committed; never before. A run ended while
   * its mark was being written never runs: its prepared start is withdrawn. A dispatch mark
   * ({@code dispatched}) that the journal could not write (a full disk) puts the run back at the head
   * of the queue: it did not start, and saying {@code failed} now could not be recorded either, so a
   * crash would bring it back queued and run it after the client was told it failed. Any other failed
   * mark ends it {@code spawn_failed}, never run. The launch's outcome is taken only once the mark is
   * decided, so that nothing is told of a run whose mark is still being written.
   */
  private Future<Void> start(ProcessRun run, Future<Void> mark, boolean dispatched) {
    queue.occupy(run);
    run.starting();
    Promise<Void> started = Promise.promise();
    CompletableFuture<Boolean> go = new CompletableFuture<>();
    CompletableFuture<ProcessLauncher.Launched> launch =
        seams.launcher().launch(run.plan, run.record.memoryBytes, run.record.childStdin(), go);
    mark.onComplete(marked -> seams.actor().execute(() -> {
      boolean mayStart = decide(go, run, marked, dispatched);
      launch.whenComplete((launched, failure) -> seams.actor().execute(() -> {
        // A run that may not start was ended or put back above; its launch only fails (withdrawn).
        if (mayStart) {
          launchEnded(run, launched, failure);
        }
        started.complete();
      }));
    }));
    return started.future();
  }

  /** Decides {@code go} as {@link #mayStart}; false if deciding failed: a prepared start never waits for a go that never comes. */
  private boolean decide(CompletableFuture<Boolean> go, ProcessRun run, AsyncResult<Void> marked, boolean dispatched) {
    boolean mayStart = false;
    try {
      mayStart = mayStart(run, marked, dispatched);
      return mayStart;
    } finally {
      go.complete(mayStart);
    }
  }

  /** Whether the run may start now that its mark is decided; if not, it is ended or waits again. */
  private boolean mayStart(ProcessRun run, AsyncResult<Void> marked, boolean dispatched) {
    if (marked.failed() && dispatched && journalCannotWrite(marked.cause()) && run.waitsAgain()) {
      LOG.warn("The journal could not record that {} starts; it waits in the queue again: {}", run.record.id,
          marked.cause().getMessage());
      queue.putBack(run);
      statsChanged.run();
      seams.timers().schedule(RETRY_MS, startQueued);
      return false;
    }
    if (marked.failed()) {
      LOG.error("The journal could not record that {} starts; it is not started: {}", run.record.id,
          marked.cause().getMessage());
      run.launchFailed(notRecorded(marked.cause()));
      return false;
    }
    return run.mayLaunch();
  }

  private void launchEnded(ProcessRun run, ProcessLauncher.Launched launched, Throwable failure) {
    if (failure == null) {
      run.launched(launched);
    } else {
      Throwable cause = failure instanceof CompletionException wrapped ? wrapped.getCause() : failure;
      LOG.warn("Could not start {} ({}): {}", run.record.id, run.plan.argv().get(0), cause.getMessage());
      run.launchFailed(cause.getMessage());
    }
  }

  private JsonObject snapshot(ProcessRecord record) {
    return record.toJson(seams.clock().instant());
  }
}
