package io.isometry.cluster;

import io.isometry.config.EngineConfig;
import io.isometry.contract.Addresses;
import io.isometry.contract.Caller;
import io.isometry.contract.Fields;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's part in the cluster, one per node (a node alone is a cluster of one): it answers the
 * public requests by sending each to the node concerned ({@link RequestRouter}), answers the views
 * for every node ({@link ClusterViews}), follows every node's load ({@link LoadBoard}) and live
 * processes ({@link LiveRecords}), and reports a lost node's processes ({@link NodeLoss}).
 * The supervisor and the journal answer only on their node-scoped addresses.
 */
public final class ClusterVerticle extends VerticleBase {

  /**
   * How long after a node has left its processes are judged: a node that stopped cleanly has
   * published their end just before it left, on another connection than the one that says it left.
   */
  private static final long LEFT_GRACE_MS = 1000;
  private static final List<ProcessState> LIVE = List.of(ProcessState.QUEUED, ProcessState.RUNNING, ProcessState.SUSPENDED);
  /** Who this verticle is when it asks the nodes what runs: it needs to see every owner's processes. */
  private static final Caller ITSELF = Caller.trustedHost("cluster");

  private final Clock clock = Clock.systemUTC();
  private Membership membership;

  @Override
  public Future<?> start() {
    EngineConfig config = EngineConfig.from(config());
    String node = config.node();
    membership = Membership.of(vertx, node, Timestamps.format(clock.instant()));
    long namesakes = membership.nodes().stream().filter(member -> member.name().equals(node)).count();
    if (namesakes > 1) {
      return Future.failedFuture(new IllegalStateException("another member of the cluster '" + config.cluster().name()
          + "' is already called '" + node + "': give this one another 'node' name"));
    }
    EventBus bus = vertx.eventBus();
    LoadBoard load = new LoadBoard();
    LiveRecords live = new LiveRecords();
    NodeLoss loss = new NodeLoss(bus, membership, live, DeclaredLost.map(vertx),
        config.journal().retainFinishedMs(), clock);
    List<MessageConsumer<Object>> consumers = new ArrayList<>();
    consumers.addAll(new RequestRouter(vertx, membership, load).register());
    consumers.addAll(new ClusterViews(bus, membership, config.cluster().viewTimeoutMs()).register());
    // Cluster-wide: every node's stats and lifecycle events.
    consumers.add(bus.consumer(Addresses.EVENT_STATS, message -> {
      if (message.body() instanceof JsonObject event && event.getValue(Fields.STATS) instanceof JsonObject stats) {
        load.stats(stats);
      }
    }));
    consumers.add(bus.consumer(Addresses.EVENT_PROCESS, message -> {
      if (message.body() instanceof JsonObject event && event.getValue(Fields.RECORD) instanceof JsonObject record) {
        live.seen(record);
      }
    }));
    membership.onLeft(gone -> {
      load.forget(gone);
      vertx.setTimer(LEFT_GRACE_MS, t -> loss.left(gone));
    });
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .onSuccess(registered -> listLiveElsewhere(live, config.cluster().viewTimeoutMs()));
  }

  /** What runs on the other nodes already: their events before this node joined never reached it. */
  private void listLiveElsewhere(LiveRecords live, long timeoutMs) {
    NodeRequests nodes = new NodeRequests(vertx.eventBus());
    for (Membership.Node member : membership.nodes()) {
      if (member.name().equals(membership.local())) {
        continue;
      }
      for (ProcessState state : LIVE) {
        nodes.ask(member.name(), Addresses.LIST, new JsonObject().put(Fields.STATE, state.wire()).put(Fields.LIMIT, 1000),
                ITSELF.headers().getHeaders(), timeoutMs)
            .onSuccess(answer -> answer.getJsonArray(Fields.ITEMS, new JsonArray())
                .forEach(record -> live.listed((JsonObject) record)));
      }
    }
  }

  @Override
  public Future<?> stop() {
    membership.close();
    return Future.succeededFuture();
  }
}
