package io.isometry.cluster;

import io.isometry.contract.Fields;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The records the cluster declared {@code node_lost} (see {@link NodeLoss}), kept in a cluster-wide
 * map by id for as long as the journal keeps finished records. A node that comes back after it was
 * lost asks it for the processes its journal still has as live: what the cluster said stands.
 */
public final class DeclaredLost {

  static final String MAP = "isometry.node-lost";

  private DeclaredLost() {
  }

  static Future<AsyncMap<String, JsonObject>> map(Vertx vertx) {
    return vertx.sharedData().getAsyncMap(MAP);
  }

  /** The declared records among {@code ids}, by id; none when the node is not clustered. */
  public static Future<Map<String, JsonObject>> among(Vertx vertx, List<String> ids) {
    if (!vertx.isClustered() || ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return map(vertx).compose(map -> Future.all(ids.stream().map(map::get).toList()).map(all -> {
      Map<String, JsonObject> declared = new HashMap<>();
      for (int i = 0; i < ids.size(); i++) {
        JsonObject record = all.resultAt(i);
        if (record != null && ids.get(i).equals(record.getString(Fields.ID))) {
          declared.put(ids.get(i), record);
        }
      }
      return declared;
    }));
  }
}
