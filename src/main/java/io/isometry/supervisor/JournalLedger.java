package io.isometry.supervisor;

import io.isometry.contract.Addresses;
import io.isometry.contract.Fields;
import io.isometry.validation.ExecutionPlan;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Ledger} on the journal's addresses. A test may hold every start for a while after its
 * mark has committed (system property {@value #PAUSE_PROPERTY}, milliseconds; unset in production),
 * to kill the engine exactly between the dispatch and the spawn.
 */
final class JournalLedger implements Ledger {

  static final String PAUSE_PROPERTY = "isometry.test.pauseAfterDispatchMs";
  private static final long JOURNAL_TIMEOUT_MS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(JournalLedger.class);

  private final Vertx vertx;
  private final long pauseAfterDispatchMs = Long.getLong(PAUSE_PROPERTY, 0);

  JournalLedger(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<Void> accept(JsonObject record, ExecutionPlan plan, boolean dispatched, String idempotencyKey) {
    JsonObject entry = new JsonObject().put(Fields.RECORD, record).put(Fields.PLAN, plan.toJson())
        .put(Fields.DISPATCHED, dispatched).put(Fields.IDEMPOTENCY_KEY, idempotencyKey);
    Future<Void> committed = request(Addresses.JOURNAL_ACCEPT, entry);
    return dispatched ? paused(record.getString(Fields.ID), committed) : committed;
  }

  @Override
  public Future<Void> dispatch(String id) {
    return paused(id, request(Addresses.JOURNAL_DISPATCH, new JsonObject().put(Fields.ID, id)));
  }

  private Future<Void> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(JOURNAL_TIMEOUT_MS))
        .mapEmpty();
  }

  private Future<Void> paused(String id, Future<Void> committed) {
    if (pauseAfterDispatchMs <= 0) {
      return committed;
    }
    return committed.compose(marked -> {
      LOG.warn("Test hook {}: {} is dispatched; it starts in {} ms", PAUSE_PROPERTY, id, pauseAfterDispatchMs);
      Promise<Void> resumed = Promise.promise();
      vertx.setTimer(pauseAfterDispatchMs, t -> resumed.complete());
      return resumed.future();
    });
  }
}
