package io.isometry.cluster;

import io.isometry.contract.Addresses;
import io.isometry.contract.EventType;
import io.isometry.contract.Fields;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Reason;
import io.isometry.contract.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a node leaves, the processes it still held are lost with it: a node that stops cleanly has
 * already published every one of them as ended, so whatever this node still counts as live was taken
 * by a crash or a lost network. The oldest surviving member alone says so (every member agrees on
 * which one that is), publishing each as {@code lost} with reason {@code node_lost}, and keeps the
 * records in the cluster map of {@link DeclaredLost}, where the node finds them when it comes back.
 */
final class NodeLoss {
  private static final Logger LOG = LoggerFactory.getLogger(NodeLoss.class);

  private final EventBus bus;
  private final Membership membership;
  private final LiveRecords live;
  private final Future<AsyncMap<String, JsonObject>> declared;
  private final long keepMs;
  private final Clock clock;

  NodeLoss(EventBus bus, Membership membership, LiveRecords live, Future<AsyncMap<String, JsonObject>> declared,
           long keepMs, Clock clock) {
    this.bus = bus;
    this.membership = membership;
    this.live = live;
    this.declared = declared;
    this.keepMs = keepMs;
    this.clock = clock;
  }

  void left(String node) {
    List<JsonObject> records = live.drop(node);
    if (records.isEmpty() || !membership.oldest()) {
      return;
    }
    LOG.warn("The node {} left the cluster with {} live process(es): reported lost (node_lost)", node, records.size());
    String now = Timestamps.format(clock.instant());
    for (JsonObject record : records) {
      JsonObject lost = record.copy().put(Fields.STATE, ProcessState.LOST.wire()).put(Fields.REASON, Reason.NODE_LOST.wire())
          .put(Fields.ENDED_AT, now).putNull(Fields.QUEUE_POSITION);
      declared.compose(map -> map.put(lost.getString(Fields.ID), lost, Math.max(1, keepMs)))
          .onFailure(failure -> LOG.warn("Could not keep the lost record {} in the cluster map: {}",
              lost.getString(Fields.ID), failure.getMessage()));
      bus.publish(Addresses.EVENT_PROCESS, new JsonObject().put(Fields.TYPE, EventType.PROCESS.wire()).put(Fields.RECORD, lost));
    }
  }
}
