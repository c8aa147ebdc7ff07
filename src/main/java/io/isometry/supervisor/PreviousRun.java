package io.isometry.supervisor;

import io.isometry.cluster.DeclaredLost;
import io.isometry.contract.Addresses;
import io.isometry.contract.Fields;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Reason;
import io.isometry.os.Cgroups;
import io.isometry.validation.ExecutionPlan;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine's previous run left live, taken up at start: the journal's live records, whose
 * trees are ended first, and those among them the cluster declared lost meanwhile, by id. The new
 * supervisor then gets them back ({@link #handTo}) before it answers any request.
 */
final class PreviousRun {

  private static final Logger LOG = LoggerFactory.getLogger(PreviousRun.class);

  private final List<JsonObject> left;
  private final Map<String, JsonObject> declaredLost;

  private PreviousRun(List<JsonObject> left, Map<String, JsonObject> declaredLost) {
    this.left = left;
    this.declaredLost = declaredLost;
  }

  /**
   * Asks the journal what was live, kills what of it still runs (and the empty cgroup jobs), then
   * asks the cluster which of those it declared lost.
   *
   * @param cgroups this engine's cgroups, or null without cgroup enforcement
   */
  static Future<PreviousRun> recover(Vertx vertx, Cgroups cgroups) {
    return live(vertx)
        .compose(left -> vertx.executeBlocking(() -> endTrees(left, cgroups)))
        .compose(left -> DeclaredLost.among(vertx, left.stream()
                .map(entry -> entry.getJsonObject(Fields.RECORD).getString(Fields.ID)).toList())
            .map(declared -> new PreviousRun(left, declared)));
  }

  /** What the journal says was live when the engine last stopped: {record, plan} entries, oldest first. */
  private static Future<List<JsonObject>> live(Vertx vertx) {
    return vertx.eventBus().<JsonObject>request(Addresses.JOURNAL_RECOVER, new JsonObject(),
            new DeliveryOptions().addHeader(Addresses.HEADER_STOP_NOTICE, "true"))
        .map(reply -> reply.body().getJsonArray(Fields.LIVE, new JsonArray()).stream().map(JsonObject.class::cast).toList());
  }

  /** Blocking: kills the trees a previous run left running, and its empty cgroup jobs. */
  private static List<JsonObject> endTrees(List<JsonObject> left, Cgroups cgroups) throws InterruptedException {
    Recovery recovery = new Recovery(cgroups);
    for (JsonObject entry : left) {
      JsonObject record = entry.getJsonObject(Fields.RECORD);
      if (!ProcessState.QUEUED.wire().equals(record.getString(Fields.STATE))) {
        recovery.endTree(record);
      }
    }
    recovery.removeLeftoverJobs();
    return left;
  }

  /**
   * Gives the supervisor the previous run's live records: running ones, and queued ones whose start
   * had been decided, are lost; the others run as if nothing happened.
   */
  void handTo(Supervisor supervisor) {
    int lost = 0;
    int requeued = 0;
    for (JsonObject entry : left) {
      JsonObject record = entry.getJsonObject(Fields.RECORD);
      JsonObject declared = declaredLost.get(record.getString(Fields.ID));
      if (declared != null) {
        // The cluster reported it lost with this node: it does not run again, and the report stands.
        supervisor.restoreLost(record, Reason.NODE_LOST, Instant.parse(declared.getString(Fields.ENDED_AT)));
        lost++;
        continue;
      }
      // A record without a plan was never acknowledged: it did not wait for anything, and does not run.
      // A dispatched one may have run before the engine stopped: it is never started a second time.
      if (ProcessState.QUEUED.wire().equals(record.getString(Fields.STATE)) && entry.getJsonObject(Fields.PLAN) != null
          && !entry.getBoolean(Fields.DISPATCHED, false)) {
        supervisor.readmit(record, ExecutionPlan.fromJson(entry.getJsonObject(Fields.PLAN)));
        requeued++;
      } else {
        supervisor.restoreLost(record);
        lost++;
      }
    }
    if (!left.isEmpty()) {
      LOG.info("Recovered from the journal: {} process(es) lost with the previous run, {} queued one(s) taken back",
          lost, requeued);
    }
  }
}
