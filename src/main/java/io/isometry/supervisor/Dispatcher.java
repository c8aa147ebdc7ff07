package io.isometry.supervisor;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way from an accepted run to a spawned one: into a slot at once or into the queue, and out of
 * the queue when a slot frees. Its one rule is the journal's: a run is spawned only once its
 * dispatch mark has committed, so that a crash in between leaves a record that recovery ends as
 * lost instead of running it again. Part of the supervisor actor: every method runs on its context.
 */
final class Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final ProcessTable table;
  private final RunQueue queue;
  private final Supervisor.Seams seams;
  private final Consumer<ProcessRecord> publish;
  private final Runnable statsChanged;

  Dispatcher(ProcessTable table, RunQueue queue, Supervisor.Seams seams, Consumer<ProcessRecord> publish,
             Runnable statsChanged) {
    this.table = table;
    this.queue = queue;
    this.seams = seams;
    this.publish = publish;
    this.statsChanged = statsChanged;
  }

  /** Whether a run of {@code owner} would take a slot now rather than wait in line. */
  boolean startsNow(String owner) {
    return queue.canStartNow(owner);
  }

  /** Takes a slot for the run, which starts once {@code mark} commits; answers its record then. */
  Future<JsonObject> enterRunning(ProcessRun run, Future<Void> mark) {
    table.add(run);
    publish.accept(run.record);
    return start(run, mark).map(started -> snapshot(run.record));
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
      start(next, seams.ledger().dispatch(next.record.id));
      started = true;
    }
    if (started) {
      queue.renumber();
    }
  }

  /** What a run that never started says when the journal could not record it. */
  static String notRecorded(Throwable failure) {
    return "not started: the journal could not record it (" + failure.getMessage() + ")";
  }

  /**
   * Takes a slot for the run and spawns it once {@code mark} has committed; never before. A mark
   * that fails, or a run ended while it was being written, is never spawned.
   */
  private Future<Void> start(ProcessRun run, Future<Void> mark) {
    queue.occupy(run);
    run.starting();
    Promise<Void> started = Promise.promise();
    mark.onComplete(marked -> seams.actor().execute(() -> {
      if (marked.failed()) {
        LOG.error("The journal could not record that {} starts; it is not started: {}", run.record.id,
            marked.cause().getMessage());
        run.launchFailed(notRecorded(marked.cause()));
        started.complete();
      } else if (run.mayLaunch()) {
        launch(run, started);
      } else {
        started.complete();
      }
    }));
    return started.future();
  }

  private void launch(ProcessRun run, Promise<Void> started) {
    seams.launcher().launch(run.plan, run.record.memoryBytes).whenComplete((launched, failure) ->
        seams.actor().execute(() -> {
          if (failure == null) {
            run.launched(launched);
          } else {
            Throwable cause = failure instanceof CompletionException wrapped ? wrapped.getCause() : failure;
            LOG.warn("Could not start {} ({}): {}", run.record.id, run.plan.argv().get(0), cause.getMessage());
            run.launchFailed(cause.getMessage());
          }
          started.complete();
        }));
  }

  private JsonObject snapshot(ProcessRecord record) {
    return record.toJson(seams.clock().instant());
  }
}
