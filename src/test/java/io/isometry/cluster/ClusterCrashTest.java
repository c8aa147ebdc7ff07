package io.isometry.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.http.FeedSocket;
import io.isometry.testing.EngineProcess;
import io.isometry.testing.EngineRest;
import io.isometry.testing.ProcFs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engines, each a JVM of its own, in one cluster: b is SIGKILLed while it runs a process that a
 * submitted to it. a reports the process {@code lost}/{@code node_lost} within ten seconds, nothing
 * of it runs on (the sandbox died with b), and b, started again on its data dir, says what the
 * cluster said: its journal takes the cluster's {@code node_lost}, not {@code engine_restart}.
 */
@Timeout(150)
class ClusterCrashTest {

  private static final String TOKEN = "cluster-crash-token-0123456789";
  /**
   * What Hazelcast reaches into on Java 17 (the jar's manifest says the same for java -jar), and a
   * JIT that starts quickly: three engine JVMs start in this test, on two cores.
   */
  private static final List<String> OPENS = List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  @TempDir
  Path root;

  @Test
  void aSigkilledNodesProcessesAreReportedLostByTheOtherAndNothingOfThemRunsOn() throws Exception {
    String cluster = "isometry-crash-" + UUID.randomUUID();
    int portA = freePort();
    int portB = freePort();
    String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    Map<String, String> environmentB = environment("b", cluster, portB, members);
    Vertx vertx = Vertx.vertx();
    try (EngineProcess a = EngineProcess.start(environment("a", cluster, portA, members), OPENS)) {
      String id;
      long pid;
      // Both JVMs start side by side.
      try (EngineProcess b = EngineProcess.start(environmentB, OPENS)) {
        EngineRest restA = new EngineRest(a.port(), TOKEN);
        b.port();
        awaitNodes(restA, 2);
        id = submit(restA, new JsonObject().put("command", "sleep 300").put("node", "b")).getString("id");
        pid = restA.awaitState(id, Set.of("running")).getLong("pid");
        assertThat(ProcFs.alive(pid)).isTrue();
        FeedSocket feed = FeedSocket.connect(vertx, a.port(), TOKEN);
        try {
          b.kill();
          long killed = System.nanoTime();
          JsonObject lost = feed.await("b's process reported lost", frame -> "process".equals(frame.getString("type"))
              && id.equals(frame.getJsonObject("record").getString("id"))
              && "lost".equals(frame.getJsonObject("record").getString("state"))).getJsonObject("record");
          assertThat(lost.getString("reason")).isEqualTo("node_lost");
          assertThat((System.nanoTime() - killed) / 1_000_000).as("ms from SIGKILL to node_lost").isLessThan(10_000);
        } finally {
          feed.close();
        }
      }
      EngineRest restA = new EngineRest(a.port(), TOKEN);
      for (int i = 0; i < 100 && ProcFs.alive(pid); i++) {
        Thread.sleep(20);
      }
      assertThat(ProcFs.alive(pid)).as("the sandbox died with b").isFalse();

      try (EngineProcess b = EngineProcess.start(environmentB, OPENS)) {
        b.port();
        JsonObject record = new EngineRest(b.port(), TOKEN).get("/api/v1/processes/" + id);
        assertThat(record.getString("state")).isEqualTo("lost");
        assertThat(record.getString("reason")).as("the cluster's word stands").isEqualTo("node_lost");
        assertThat(restA.get("/api/v1/processes/" + id).getString("reason")).isEqualTo("node_lost");
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private Map<String, String> environment(String node, String cluster, int port, String members) throws Exception {
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path home = Files.createDirectories(root.resolve(node));
    Map<String, String> environment = EngineProcess.environment(home, home.resolve("data"), new JsonArray()
        .add(new JsonObject().put("token", TOKEN).put("principal", "alice").put("role", "operator")));
    environment.put("ISOMETRY_SANDBOX_MODE", "required");
    environment.put("ISOMETRY_NODE", node);
    environment.put("ISOMETRY_CLUSTER_ENABLED", "true");
    environment.put("ISOMETRY_CLUSTER_NAME", cluster);
    environment.put("ISOMETRY_CLUSTER_PORT", Integer.toString(port));
    environment.put("ISOMETRY_CLUSTER_MEMBERS", members);
    environment.put("ISOMETRY_CLUSTER_MAXNOHEARTBEATMS", "3000");
    return environment;
  }

  private static void awaitNodes(EngineRest rest, int count) throws Exception {
    for (int i = 0; i < 400; i++) {
      if (rest.get("/api/v1/cluster").getJsonArray("nodes").size() == count) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("the cluster never had " + count + " nodes: " + rest.get("/api/v1/cluster"));
  }

  private static JsonObject submit(EngineRest rest, JsonObject body) throws Exception {
    HttpResponse<String> response = rest.send(rest.request("/api/v1/processes")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return new JsonObject(response.body());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
