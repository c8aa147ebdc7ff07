package io.isometry.engine;

import static io.isometry.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isometry.client.IsometryClient;
import io.isometry.client.ProcessSnapshot;
import io.isometry.client.Submission;
import io.isometry.contract.ProcessState;
import io.isometry.testing.EngineFixture;
import io.isometry.testing.EngineProcess;
import io.isometry.testing.ProcFs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine that cannot have its data dir (another engine runs there) or its port refuses to start
 * with one line that names it. A second engine on a data dir in use changes nothing: before the lock,
 * its recovery killed the first engine's running processes as left over from a crash.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class StartRefusalTest {

  @TempDir
  Path root;

  @Test
  void aSecondEngineIsRefusedTheDataDirEndsNothingAndTheNextStartsOnceTheFirstHasStopped(Vertx vertx)
      throws Exception {
    JsonObject config = EngineFixture.config(root, new JsonObject());
    String first = result(EngineFixture.deployment(vertx, config));
    IsometryClient client = IsometryClient.trusted(vertx, "host");
    ProcessSnapshot running = awaitRunning(client, result(client.submit(Submission.of("sleep 30"))).id());

    assertThatThrownBy(() -> result(EngineFixture.deploy(vertx, config))).hasMessage(inUse());
    // After the refusal in this JVM, so it also shows that the refusal left the first engine's OS lock alone.
    try (EngineProcess other = EngineProcess.start(Map.of(
        "ISOMETRY_DATADIR", config.getString("dataDir"),
        "ISOMETRY_WORKSPACE", config.getString("workspace"),
        "ISOMETRY_RUNAS", "root"))) {
      assertThat(other.awaitExit()).isEqualTo(1);
      assertThat(other.log()).contains("The engine could not start: " + inUse());
    }
    assertThat(result(client.get(running.id())).state()).isEqualTo(ProcessState.RUNNING);
    assertThat(ProcFs.alive(running.pid())).as("the first engine's process still runs").isTrue();

    result(vertx.undeploy(first));
    EngineVerticle next = result(EngineFixture.deploy(vertx, config));
    assertThat(next.httpPort()).isPositive();
  }

  @Test
  void aWorkspaceTheRunAsUserCannotReachIsRefusedNamingTheDirectoryAndTheFix(Vertx vertx) throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "children run as nobody only under a root engine");
    Path closed = Files.createDirectory(root.resolve("closed"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    JsonObject config = EngineFixture.config(root, new JsonObject().put("runAs", "nobody"))
        .put("workspace", closed.resolve("workspace").toString());

    assertThatThrownBy(() -> result(EngineFixture.deploy(vertx, config)))
        .hasMessageStartingWith("the workspace " + closed.resolve("workspace") + " cannot be reached by nobody")
        .hasMessageContaining("directory " + closed + " (mode 0700, uid 0, gid 0) is not searchable by nobody")
        .hasMessageContaining("chmod o+x");
  }

  @Test
  void aPortInUseIsNamedAndLeavesTheDataDirFree(Vertx vertx) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      JsonObject onTakenPort = EngineFixture.config(root, new JsonObject().put("http", new JsonObject().put("port", port)));
      assertThatThrownBy(() -> result(EngineFixture.deploy(vertx, onTakenPort)))
          .hasMessageStartingWith("cannot listen on 127.0.0.1:" + port + ": ")
          .hasMessageContaining("in use");
      JsonObject bridgeOnTakenPort = EngineFixture.config(root,
          new JsonObject().put("http", new JsonObject().put("tcpBridgePort", port)));
      assertThatThrownBy(() -> result(EngineFixture.deploy(vertx, bridgeOnTakenPort)))
          .hasMessageStartingWith("cannot listen on 127.0.0.1:" + port + ": ");
    }

    EngineVerticle engine = result(EngineFixture.deploy(vertx, EngineFixture.config(root, new JsonObject())));
    assertThat(engine.httpPort()).isPositive();
  }

  private String inUse() {
    Path dataDir = root.resolve("data");
    return "another engine is using the data dir " + dataDir + " (lock " + dataDir.resolve("engine.lock") + ")";
  }

  private static ProcessSnapshot awaitRunning(IsometryClient client, String id) throws Exception {
    ProcessSnapshot snapshot = null;
    for (int i = 0; i < 200; i++) {
      snapshot = result(client.get(id));
      if (snapshot.state() == ProcessState.RUNNING && snapshot.pid() != null) {
        return snapshot;
      }
      Thread.sleep(25);
    }
    throw new AssertionError(id + " never ran; last seen " + snapshot);
  }
}
