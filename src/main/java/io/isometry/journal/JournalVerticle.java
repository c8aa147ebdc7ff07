package io.isometry.journal;

import io.isometry.config.EngineConfig;
import io.isometry.contract.Addresses;
import io.isometry.contract.Caller;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.isometry.contract.Requests;
import io.isometry.contract.Stream;
import io.isometry.contract.SubmitRequest;
import io.isometry.contract.Timestamps;
import io.isometry.metrics.EngineMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-bus face of the journal: one per node. It reads each message on its event loop (a
 * malformed one is answered with {@code invalid_request}, or logged when nobody waits for an answer),
 * hands the work to the {@link JournalWriter}'s thread in the order the messages came, and answers
 * once the work is committed. See the {@code JOURNAL_*} and {@code HISTORY} addresses for the shapes,
 * and docs/journal.md for what survives what.
 */
public final class JournalVerticle extends VerticleBase {

  /** The most records (and, apart, rejections) one evict request deletes, so one sweep never stalls the writer for long. */
  static final int MAX_EVICT = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(JournalVerticle.class);
  /** Beyond the supervisor's own patience at shutdown (its grace period and a few seconds more). */
  private static final long SUPERVISOR_PATIENCE_EXTRA_MS = 10_000;

  private final Clock clock = Clock.systemUTC();
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
  private JournalMetrics metrics;
  /** This node's name: the journal keeps its records only. */
  private String node;
  private JournalWriter writer;
  /** True once a supervisor that will report its stop has asked for recovery: it runs beside this journal. */
  private boolean supervisorAttached;
  private final Promise<Void> supervisorStopped = Promise.promise();

  @Override
  public Future<?> start() {
    EngineConfig config = EngineConfig.from(config());
    node = config.node();
    metrics = new JournalMetrics(EngineMetrics.registry(vertx));
    writer = new JournalWriter(() -> opened(Journal.open(config.dataDir(), config.journal()), config.journal()), metrics,
        because -> context.runOnContext(v -> vertx.eventBus().publish(Addresses.JOURNAL_HEALTH, health(because))));
    return Future.fromCompletionStage(writer.opened(), context).compose(v -> listen());
  }

  /**
   * Stops taking messages, lets the writer finish what is queued, then closes the database. When a
   * supervisor asked it for recovery (so one runs beside it), it first waits for that supervisor to
   * have stopped: the engine's verticles stop side by side, and the supervisor's last events (its
   * processes, {@code lost} at shutdown) must still be recorded.
   */
  @Override
  public Future<?> stop() {
    Future<Void> supervisorGone = supervisorAttached ? waitForSupervisor() : Future.succeededFuture();
    return supervisorGone
        .eventually(() -> Future.all(consumers.stream().map(MessageConsumer::unregister).toList()))
        .eventually(() -> Future.fromCompletionStage(writer.close(), context))
        .onComplete(done -> metrics.close());
  }

  private Future<Void> waitForSupervisor() {
    long patience = EngineConfig.from(config()).supervisor().gracePeriodMs() + SUPERVISOR_PATIENCE_EXTRA_MS;
    long timer = vertx.setTimer(patience, t -> {
      LOG.warn("The supervisor did not report its stop in time; closing the journal anyway");
      supervisorStopped.tryComplete();
    });
    return supervisorStopped.future().onComplete(done -> vertx.cancelTimer(timer));
  }

  private static Journal opened(Journal journal, EngineConfig.JournalSettings settings) {
    LOG.info("Journal {} at schema version {}, synchronous={}, history search by {}", journal.file(),
        journal.schemaVersion(), settings.synchronous().name().toLowerCase(Locale.ROOT),
        journal.history().fullText() ? "FTS5" : "LIKE");
    return journal;
  }

  /**
   * This node's own messages (local consumers): in a cluster, every node has its journal. The
   * history is asked of each node on its node-scoped address, and the cluster's view merges them.
   */
  private Future<?> listen() {
    EventBus bus = vertx.eventBus();
    consumers.add(bus.localConsumer(Addresses.JOURNAL_ACCEPT, answering(this::accept)));
    consumers.add(bus.localConsumer(Addresses.JOURNAL_DISPATCH, answering(this::dispatch)));
    consumers.add(bus.localConsumer(Addresses.JOURNAL_BY_KEY, answering(this::byKey)));
    consumers.add(bus.localConsumer(Addresses.EVENT_PROCESS, recording("process event", this::event)));
    consumers.add(bus.localConsumer(Addresses.EVENT_REJECTED, recording("rejection", this::rejected)));
    consumers.add(bus.localConsumer(Addresses.JOURNAL_OUTPUT, recording("output", this::output)));
    consumers.add(bus.localConsumer(Addresses.JOURNAL_RECOVER, message -> {
      supervisorAttached |= message.headers().contains(Addresses.HEADER_STOP_NOTICE);
      answering(this::recover).handle(message);
    }));
    consumers.add(bus.localConsumer(Addresses.SUPERVISOR_STOPPED, message -> supervisorStopped.tryComplete()));
    consumers.add(bus.localConsumer(Addresses.HEALTH, message -> message.reply(health(writer.degradedBecause()))));
    consumers.add(bus.localConsumer(Addresses.JOURNAL_GET, Requests.answering((body, message) -> get(body, Caller.of(message)))));
    consumers.add(bus.localConsumer(Addresses.JOURNAL_OUTPUT_GET,
        Requests.answering((body, message) -> outputOf(body, Caller.of(message)))));
    consumers.add(bus.localConsumer(Addresses.JOURNAL_EVICT, answering(this::evict)));
    consumers.add(bus.consumer(Addresses.onNode(node, Addresses.HISTORY),
        Requests.answering((body, message) -> history(HistoryQuery.from(body, Caller.of(message))))));
    consumers.add(bus.localConsumer(Addresses.REJECTIONS,
        Requests.answering((body, message) -> rejections(Caller.of(message).ownerFilter(), HistoryQuery.limit(body)))));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  // ---- writes ---------------------------------------------------------------------------------

  private Future<JsonObject> accept(JsonObject body) {
    RecordRow row = RecordRow.from(body.getValue(Fields.RECORD));
    String plan = Requests.object(body, Fields.PLAN).encode();
    boolean dispatched = Boolean.TRUE.equals(Requests.optional(body, Fields.DISPATCHED, Boolean.class));
    String key = Requests.optional(body, Fields.IDEMPOTENCY_KEY, String.class);
    String at = now();
    return write("record the accepted " + row.id(), journal -> journal.records().accept(row, plan, dispatched, key, at))
        .map(created -> {
          metrics.rows(JournalMetrics.Kind.ACCEPTED, 1);
          return new JsonObject();
        });
  }

  private Future<JsonObject> dispatch(JsonObject body) {
    String id = Requests.id(body);
    String at = now();
    return write("record the dispatch of " + id, journal -> journal.records().dispatch(id, at)).map(known -> {
      if (!known) {
        throw notFound(id);
      }
      return new JsonObject();
    });
  }

  private Future<?> event(JsonObject body) {
    if (body.getValue(Fields.RECORD) instanceof JsonObject record && !node.equals(record.getValue(Fields.NODE))) {
      // Another node's process (the cluster reporting a lost node): that node's journal keeps it.
      return Future.succeededFuture();
    }
    RecordRow row = RecordRow.from(body.getValue(Fields.RECORD));
    String at = now();
    return keep("record the " + row.state().wire() + " event of " + row.id(), journal -> journal.records().event(row, at))
        .onSuccess(changed -> metrics.rows(JournalMetrics.Kind.EVENT, changed ? 1 : 0));
  }

  private Future<?> rejected(JsonObject body) {
    Rejection rejection = Rejection.from(body, now());
    return keep("record a rejection of " + rejection.owner(), journal -> {
      journal.audit().rejected(rejection);
      return null;
    }).onSuccess(done -> metrics.rows(JournalMetrics.Kind.REJECTION, 1));
  }

  private Future<?> output(JsonObject body) {
    String id = Requests.id(body);
    String stdout = Requests.text(body, Stream.STDOUT.wire());
    String stderr = Requests.text(body, Stream.STDERR.wire());
    return keep("keep the output of " + id, journal -> journal.outputs().keep(id, stdout, stderr))
        .onSuccess(kept -> {
          if (kept) {
            metrics.rows(JournalMetrics.Kind.OUTPUT, 2);
          } else {
            LOG.warn("Not keeping the output of {}: the journal has no record of it", id);
          }
        });
  }

  private Future<JsonObject> evict(JsonObject body) {
    String cutoff = Timestamps.format(clock.instant().minusMillis(Requests.nonNegative(body, Fields.OLDER_THAN_MS)));
    String keysCutoff = Timestamps.format(clock.instant().minusMillis(SubmitRequest.IDEMPOTENCY_WINDOW_MS));
    return write("evict records older than " + cutoff, journal -> new int[] {
        journal.records().evict(cutoff, MAX_EVICT), journal.audit().evict(cutoff, MAX_EVICT),
        journal.records().evictKeys(keysCutoff)})
        .map(deleted -> {
          metrics.rows(JournalMetrics.Kind.EVICTED, deleted[0]);
          return new JsonObject().put(Fields.DELETED, deleted[0]).put("rejections", deleted[1]);
        });
  }

  // ---- reads (queued behind the writes before them, so a read sees every write sent before it) --

  private Future<JsonObject> recover(JsonObject body) {
    return write("list the live records", journal -> journal.records().live())
        .map(live -> new JsonObject().put(Fields.LIVE, new JsonArray(live)));
  }

  /** The first record of an owner's idempotency key within the window; 404 when there is none. */
  private Future<JsonObject> byKey(JsonObject body) {
    String owner = Requests.optional(body, Fields.OWNER, String.class);
    String key = Requests.optional(body, Fields.IDEMPOTENCY_KEY, String.class);
    if (owner == null || key == null) {
      throw EngineError.invalid("'owner' and '" + Fields.IDEMPOTENCY_KEY + "' are required");
    }
    String since = Timestamps.format(clock.instant().minusMillis(SubmitRequest.IDEMPOTENCY_WINDOW_MS));
    return write("look up an idempotency key of " + owner, journal -> journal.records().byKey(owner, key, since))
        .map(encoded -> {
          if (encoded == null) {
            throw new EngineError(ErrorCode.NOT_FOUND, "no request of " + owner + " with that key");
          }
          return new JsonObject(encoded);
        });
  }

  private Future<JsonObject> get(JsonObject body, Caller caller) {
    String id = Requests.id(body);
    return write("read " + id, journal -> journal.records().get(id)).map(encoded -> {
      JsonObject record = encoded == null ? null : new JsonObject(encoded);
      if (record == null || !caller.sees(record.getString(Fields.OWNER))) {
        throw notFound(id);
      }
      return record;
    });
  }

  private Future<JsonObject> outputOf(JsonObject body, Caller caller) {
    String id = Requests.id(body);
    String stream = Stream.fromWire(body.getValue(Fields.STREAM)).wire();
    return write("read the " + stream + " of " + id, journal -> journal.outputs().read(id, stream)).map(stored -> {
      if (stored == null || !caller.sees(stored.owner())) {
        throw notFound(id);
      }
      return new JsonObject().put(Fields.ID, id).put(Fields.STREAM, stream).put(Fields.DATA, stored.data())
          .put(Fields.TRUNCATED, stored.truncated());
    });
  }

  private Future<JsonObject> history(HistoryQuery query) {
    return write("search the history", journal -> journal.history().search(query))
        .map(items -> new JsonObject().put(Fields.ITEMS, new JsonArray(items)));
  }

  private Future<JsonObject> rejections(String owner, int limit) {
    return write("read the rejections", journal -> journal.audit().newest(owner, limit))
        .map(items -> new JsonObject().put(Fields.ITEMS, new JsonArray(items)));
  }

  // ---- plumbing -------------------------------------------------------------------------------

  /**
   * Runs work on the writer thread and comes back on this context. A failure is logged here, with
   * what was being done, and becomes {@code unavailable} for whoever asked.
   */
  private <T> Future<T> write(String what, JournalWriter.Work<T> work) {
    return Future.fromCompletionStage(writer.submit(work), context).recover(failure -> {
      metrics.failed(1);
      LOG.error("The journal could not {}: {}", what, failure.toString());
      return Future.failedFuture(new EngineError(ErrorCode.UNAVAILABLE, "the journal could not " + what));
    });
  }

  /**
   * Runs a record nobody waits for: kept and tried again until it lands when the journal cannot write
   * (see {@link JournalWriter#record}); a failure here is its own (or the journal closed without it).
   */
  private <T> Future<T> keep(String what, JournalWriter.Work<T> work) {
    return Future.fromCompletionStage(writer.record(work), context).recover(failure -> {
      metrics.failed(1);
      LOG.error("The journal could not {}: {}", what, failure.toString());
      return Future.failedFuture(new EngineError(ErrorCode.UNAVAILABLE, "the journal could not " + what));
    });
  }

  /** {@code {status: "up"}}, or {@code {status: "degraded", reason}} while the journal cannot write. */
  private static JsonObject health(String degradedBecause) {
    return degradedBecause == null ? new JsonObject().put(Fields.STATUS, "up")
        : new JsonObject().put(Fields.STATUS, "degraded")
            .put(Fields.REASON, "the journal cannot write (" + degradedBecause + "); what it could not write is kept and retried");
  }

  private static Handler<Message<Object>> answering(Function<JsonObject, Future<JsonObject>> handler) {
    return Requests.answering((body, message) -> handler.apply(body));
  }

  /** For messages nobody waits on: a malformed one is logged and skipped; a failed write is logged by {@link #write}. */
  private static Handler<Message<Object>> recording(String what, Function<JsonObject, Future<?>> handler) {
    return message -> {
      try {
        handler.apply(Requests.body(message));
      } catch (RuntimeException e) {
        LOG.warn("Ignoring a malformed {} message: {}", what, e.getMessage());
      }
    };
  }

  private String now() {
    return Timestamps.format(clock.instant());
  }

  private static EngineError notFound(String id) {
    return new EngineError(ErrorCode.NOT_FOUND, "no process '" + id + "' in the journal");
  }
}
