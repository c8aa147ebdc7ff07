package io.isometry.cluster;

import io.isometry.contract.Fields;
import io.isometry.contract.ProcessState;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every node's live records, as this node has heard them: the last lifecycle event of each process
 * that is queued, running or suspended, by node. Built from the cluster-wide process events, and,
 * at start, from what each node answered about its live processes then (a process that started
 * before this node joined). When a node is lost, these are the processes it took with it. Used on
 * the cluster verticle's context only.
 */
final class LiveRecords {

  /** Ids whose end this node has seen, so that a late answer at start does not bring one back to life. */
  private static final int ENDED_REMEMBERED = 10_000;

  private final Map<String, Map<String, JsonObject>> byNode = new HashMap<>();
  private final Map<String, Boolean> ended = new LinkedHashMap<>(16, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > ENDED_REMEMBERED;
    }
  };

  /** A lifecycle event's record. */
  void seen(JsonObject record) {
    String id = record.getString(Fields.ID);
    String node = record.getString(Fields.NODE);
    if (id == null || node == null) {
      return;
    }
    if (terminal(record)) {
      ended.put(id, Boolean.TRUE);
      Map<String, JsonObject> live = byNode.get(node);
      if (live != null) {
        live.remove(id);
      }
    } else {
      byNode.computeIfAbsent(node, n -> new LinkedHashMap<>()).put(id, record);
    }
  }

  /** A record a node listed as live when asked at start: kept unless an event has said more since. */
  void listed(JsonObject record) {
    String id = record.getString(Fields.ID);
    String node = record.getString(Fields.NODE);
    if (id == null || node == null || ended.containsKey(id) || terminal(record)) {
      return;
    }
    byNode.computeIfAbsent(node, n -> new LinkedHashMap<>()).putIfAbsent(id, record);
  }

  /** The live records of a node that has gone, oldest first; this node forgets them. */
  List<JsonObject> drop(String node) {
    Map<String, JsonObject> live = byNode.remove(node);
    return live == null ? List.of() : new ArrayList<>(live.values());
  }

  private static boolean terminal(JsonObject record) {
    try {
      return ProcessState.fromWire(record.getString(Fields.STATE)).isTerminal();
    } catch (RuntimeException unknown) {
      return true;
    }
  }
}
