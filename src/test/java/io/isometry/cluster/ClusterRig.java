package io.isometry.cluster;

import io.isometry.engine.EngineVerticle;
import io.isometry.engine.EngineVertx;
import io.isometry.testing.Await;
import io.isometry.testing.EngineFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Clustered engines in this JVM: each its own clustered Vert.x (Hazelcast on loopback, a port of its
 * own), its own data dir and workspace, the same tokens. A cluster name of its own per run, so that
 * two builds on one machine never join each other.
 */
public final class ClusterRig {

  public static final String ADMIN = "admin-token-0123456789";
  static final String ALICE = "alice-token-0123456789";
  static final String BOB = "bob-token-01234567890";

  /** One node: its Vert.x, its engine, its HTTP port. */
  public record Node(String name, Vertx vertx, EngineVerticle engine, JsonObject config) {
    public int port() {
      return engine.httpPort();
    }
  }

  private final String cluster = "isometry-test-" + UUID.randomUUID();
  private final List<Integer> ports = new ArrayList<>();

  public ClusterRig(int nodes) throws IOException {
    for (int i = 0; i < nodes; i++) {
      ports.add(freePort());
    }
  }

  /** Starts node {@code index} (named by {@code name}) with the others as its members. */
  public Node start(Path root, String name, int index) throws Exception {
    return start(root, name, index, new JsonObject());
  }

  /** The same, with {@code overrides} laid over the test configuration section by section. */
  public Node start(Path root, String name, int index, JsonObject overrides) throws Exception {
    JsonArray members = new JsonArray();
    ports.forEach(port -> members.add("127.0.0.1:" + port));
    JsonObject config = EngineFixture.config(root, overrides.copy()
        .put("node", name)
        .put("cluster", new JsonObject().put("enabled", true).put("name", cluster).put("host", "127.0.0.1")
            .put("port", ports.get(index)).put("members", members).put("heartbeatMs", 1000).put("maxNoHeartbeatMs", 3000)
            .put("viewTimeoutMs", 3000))
        .put("auth", new JsonObject().put("tokens", new JsonArray()
            .add(token(ADMIN, "admin", "admin")).add(token(ALICE, "alice", "operator")).add(token(BOB, "bob", "operator")))));
    Vertx vertx = EngineVertx.create(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    EngineVerticle engine = Await.result(EngineFixture.deploy(vertx, config));
    return new Node(name, vertx, engine, config);
  }

  private static JsonObject token(String token, String principal, String role) {
    return new JsonObject().put("token", token).put("principal", principal).put("role", role);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
