package io.isometry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isometry.config.ConfigException;
import io.isometry.config.ConfigLoader;
import io.isometry.config.EngineConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The small parts the cluster routes by: ids that name their node, placement by load, the lost node's records. */
class PlacementAndIdsTest {

  @Test
  void aClusteredIdNamesItsNodeAndAPlainOneIsLocal() {
    String plain = "p-01JABCDEFGHJKMNPQRSTVWXYZ0";
    assertThat(ProcessNode.id(plain, null)).isEqualTo(plain);
    assertThat(ProcessNode.id(plain, "node-b.example")).isEqualTo(plain + "-node-b.example");
    assertThat(ProcessNode.of(plain + "-node-b.example", "a")).isEqualTo("node-b.example");
    assertThat(ProcessNode.of(plain, "a")).isEqualTo("a");
    assertThat(ProcessNode.of("not an id", "a")).isEqualTo("a");
    assertThat(ProcessNode.of(plain + "-", "a")).isEqualTo("a");
  }

  @Test
  void theLeastLoadedNodeTakesASubmitATieGoesToTheLocalOneAndAFullQueueIsPassedOver() {
    LoadBoard board = new LoadBoard();
    board.stats(stats("a", 2, 0, 3, 64));
    board.stats(stats("b", 1, 0, 3, 64));
    assertThat(board.choose(List.of("a", "b"), "a")).isEqualTo("b");
    // b now counts what was sent to it (2 of 3), a tie with a: the local node takes it.
    assertThat(board.choose(List.of("a", "b"), "a")).isEqualTo("a");
    board.stats(stats("a", 3, 2, 3, 2));
    board.stats(stats("b", 3, 0, 3, 64));
    assertThat(board.choose(List.of("a", "b"), "a")).as("a's queue is full").isEqualTo("b");
    // A node whose stats have not come yet counts what it was sent.
    assertThat(board.choose(List.of("a", "b", "c"), "a")).isEqualTo("c");
  }

  @Test
  void aKeyedSubmitGoesToTheSameNodeWhicheverNodeItCameThrough() {
    String first = RequestRouter.nodeForKey(List.of("a", "b", "c"), "alice", "key-1");
    assertThat(RequestRouter.nodeForKey(List.of("c", "a", "b"), "alice", "key-1")).isEqualTo(first);
    long spread = IntStream.range(0, 60)
        .mapToObj(i -> RequestRouter.nodeForKey(List.of("a", "b", "c"), "alice", "key-" + i)).distinct().count();
    assertThat(spread).as("keys spread over the nodes").isEqualTo(3);
  }

  @Test
  void aLostNodesLiveRecordsAreThoseNoEventHasEnded() {
    LiveRecords live = new LiveRecords();
    live.seen(record("p-1-b", "b", "running"));
    live.seen(record("p-2-b", "b", "queued"));
    live.seen(record("p-3-b", "b", "running"));
    live.seen(record("p-3-b", "b", "succeeded"));
    live.listed(record("p-3-b", "b", "running"));
    live.listed(record("p-4-b", "b", "suspended"));
    live.seen(record("p-5-c", "c", "running"));

    assertThat(live.drop("b").stream().map(record -> record.getString("id"))).containsExactly("p-1-b", "p-2-b", "p-4-b");
    assertThat(live.drop("b")).isEmpty();
    assertThat(live.drop("c")).hasSize(1);
  }

  @Test
  void theClusterKeysAreChecked() {
    assertThat(EngineConfig.defaults().cluster().enabled()).isFalse();
    assertThatThrownBy(() -> EngineConfig.from(ConfigLoader.withOverrides(new JsonObject()
        .put("cluster", new JsonObject().put("members", new JsonArray().add("10.0.0.1:5701-5703"))))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.members[0]");
    assertThatThrownBy(() -> EngineConfig.from(ConfigLoader.withOverrides(new JsonObject().put("node", "a/b"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("node");
    assertThat(NodeName.safe("host name!")).isEqualTo("host-name-");
    JsonObject clustered = ConfigLoader.withOverrides(new JsonObject()
        .put("cluster", new JsonObject().put("enabled", true).put("port", 5801)));
    assertThat(NodeName.settle(clustered)).endsWith("-5801");
    assertThat(clustered.getString("node")).endsWith("-5801");
  }

  private static JsonObject stats(String node, int running, int queued, int maxConcurrent, int queueCapacity) {
    return new JsonObject().put("node", node).put("running", running).put("suspended", 0).put("queued", queued)
        .put("limits", new JsonObject().put("maxConcurrent", maxConcurrent).put("queueCapacity", queueCapacity));
  }

  private static JsonObject record(String id, String node, String state) {
    return new JsonObject().put("id", id).put("node", node).put("state", state);
  }
}
