package io.isometry.supervisor;

import io.isometry.validation.ExecutionPlan;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Where the supervisor's decisions become durable before it acts on them: the journal in the
 * verticle ({@link JournalLedger}), a stand-in in unit tests. A command runs only after the mark
 * that it starts has committed (its sandbox may be set up and held meanwhile), so that a restart
 * never starts it a second time.
 */
interface Ledger {

  /**
   * Records an accepted request and the plan it will run; {@code dispatched} when it starts as soon
   * as this commits; with the client's {@code idempotencyKey} (or null) in the same commit. Completes,
   * on any thread, once committed; fails when it could not be.
   */
  Future<Void> accept(JsonObject record, ExecutionPlan plan, boolean dispatched, String idempotencyKey);

  /** Records that a queued request starts now; its command runs only once this has committed. */
  Future<Void> dispatch(String id);
}
