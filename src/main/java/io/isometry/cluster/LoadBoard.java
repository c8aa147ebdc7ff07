package io.isometry.cluster;

import io.isometry.contract.Fields;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Placement: each node's load as its last {@code stats} event said (running, suspended and queued
 * against its {@code maxConcurrent}), plus what this node has sent it since, so that a burst of
 * submits spreads before the next stats arrive. The least loaded node takes a submit; a tie goes to
 * the local node, then to the first by name. A node whose queue is full is passed over while another
 * has room. Used on the cluster verticle's context only.
 */
final class LoadBoard {

  private final Map<String, JsonObject> stats = new HashMap<>();
  private final Map<String, Integer> sentSince = new HashMap<>();

  /** A node's {@code stats} event: its load is now known, and what was sent to it is counted in it. */
  void stats(JsonObject nodeStats) {
    if (nodeStats.getValue(Fields.NODE) instanceof String node) {
      stats.put(node, nodeStats);
      sentSince.remove(node);
    }
  }

  void forget(String node) {
    stats.remove(node);
    sentSince.remove(node);
  }

  /** The node that takes the next submit, among {@code members} (never empty: the local node is one). */
  String choose(List<String> members, String local) {
    String best = null;
    double bestLoad = Double.MAX_VALUE;
    boolean bestFull = true;
    for (String node : members) {
      double load = load(node);
      boolean full = queueFull(node);
      boolean better = best == null || (bestFull && !full)
          || (full == bestFull && (load < bestLoad || load == bestLoad && preferred(node, best, local)));
      if (better) {
        best = node;
        bestLoad = load;
        bestFull = full;
      }
    }
    sentSince.merge(best, 1, Integer::sum);
    return best;
  }

  /** The live processes a node holds (with those sent since its last stats), per slot. Unknown: empty. */
  double load(String node) {
    JsonObject nodeStats = stats.get(node);
    int sent = sentSince.getOrDefault(node, 0);
    if (nodeStats == null) {
      return sent;
    }
    int live = nodeStats.getInteger("running", 0) + nodeStats.getInteger("suspended", 0)
        + nodeStats.getInteger("queued", 0) + sent;
    return (double) live / Math.max(1, limits(nodeStats).getInteger("maxConcurrent", 1));
  }

  private boolean queueFull(String node) {
    JsonObject nodeStats = stats.get(node);
    if (nodeStats == null) {
      return false;
    }
    int waiting = nodeStats.getInteger("queued", 0) + sentSince.getOrDefault(node, 0);
    int slotsFree = limits(nodeStats).getInteger("maxConcurrent", 1) - nodeStats.getInteger("running", 0)
        - nodeStats.getInteger("suspended", 0);
    return waiting - Math.max(0, slotsFree) >= limits(nodeStats).getInteger("queueCapacity", Integer.MAX_VALUE);
  }

  private static boolean preferred(String node, String current, String local) {
    if (current.equals(local)) {
      return false;
    }
    return node.equals(local) || node.compareTo(current) < 0;
  }

  private static JsonObject limits(JsonObject nodeStats) {
    return nodeStats.getJsonObject("limits", new JsonObject());
  }
}
