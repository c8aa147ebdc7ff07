package io.isometry.supervisor;

import static io.isometry.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isometry.client.IsometryClient;
import io.isometry.client.ProcessSnapshot;
import io.isometry.client.Submission;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Reason;
import io.isometry.testing.EngineFixture;
import io.isometry.testing.EventLog;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures explained to the client, on real processes and directories: a start that fails is
 * {@code failed} / {@code spawn_failed} with a {@code message} saying why, and a workspace deleted
 * under the engine is made again rather than answered as the client's fault.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class SpawnFailureTest {

  @TempDir
  Path root;

  private record Engine(JsonObject config, IsometryClient client, EventLog events) {
  }

  private Engine deploy(Vertx vertx, JsonObject overrides) throws Exception {
    JsonObject config = EngineFixture.config(root, overrides.put("sandbox", new JsonObject().put("mode", "off")));
    result(EngineFixture.deploy(vertx, config));
    IsometryClient client = IsometryClient.trusted(vertx, "alice");
    return new Engine(config, client, result(EventLog.attach(client)));
  }

  @Test
  void aDirectoryTheRunAsUserCannotEnterIsSpawnFailedWithTheSystemsReason(Vertx vertx) throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run children as nobody");
    Engine engine = deploy(vertx, new JsonObject().put("runAs", "nobody"));
    String first = result(engine.client().submit(Submission.of("true"))).id();
    engine.events().awaitTerminal(first, 10_000);
    // Made by the engine's user with mode 000: the validator (the engine) sees it, the child cannot enter it.
    Path locked = Files.createDirectory(root.resolve("workspace/alice/locked"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("---------")));

    ProcessSnapshot done = engine.events().awaitTerminal(
        result(engine.client().submit(Submission.of("ls").cwd("locked"))).id(), 10_000);

    assertThat(done.state()).isEqualTo(ProcessState.FAILED);
    assertThat(done.reason()).isEqualTo(Reason.SPAWN_FAILED);
    assertThat(done.json().getString("message")).isEqualTo("cannot run /usr/bin/ls in " + locked + ": Permission denied");
    assertThat(done.json().getValue("exitCode")).isNull();
  }

  @Test
  void aPlanRefusedAsItLeavesTheQueueIsSpawnFailedWithTheViolation(Vertx vertx) throws Exception {
    Engine engine = deploy(vertx, new JsonObject().put("supervisor", new JsonObject().put("maxConcurrent", 1)));
    Files.createDirectories(root.resolve("workspace/alice/sub"));
    String blocker = result(engine.client().submit(Submission.of("sleep 1"))).id();
    String queued = result(engine.client().submit(Submission.of("ls").cwd("sub"))).id();
    Path sub = root.resolve("workspace/alice/sub");
    Files.delete(sub);
    Files.createSymbolicLink(sub, Path.of("/etc"));

    engine.events().awaitTerminal(blocker, 10_000);
    ProcessSnapshot done = engine.events().awaitTerminal(queued, 10_000);

    assertThat(done.reason()).isEqualTo(Reason.SPAWN_FAILED);
    assertThat(done.json().getString("message")).startsWith("refused as it started, its workspace having changed");
  }

  @Test
  void aWorkspaceDeletedUnderTheEngineIsMadeAgainNotASecurityViolation(Vertx vertx) throws Exception {
    Engine engine = deploy(vertx, new JsonObject().put("supervisor", new JsonObject().put("maxConcurrent", 1)));
    String blocker = result(engine.client().submit(Submission.of("sleep 1"))).id();
    String queued = result(engine.client().submit(Submission.of("ls"))).id();
    deleteTree(root.resolve("workspace/alice"));

    assertThat(engine.events().awaitTerminal(queued, 10_000).state()).as("queued while it went").isEqualTo(ProcessState.SUCCEEDED);
    engine.events().awaitTerminal(blocker, 10_000);
    deleteTree(root.resolve("workspace"));
    ProcessSnapshot after = engine.events().awaitTerminal(result(engine.client().submit(Submission.of("ls"))).id(), 10_000);

    assertThat(after.state()).as("submitted after the whole root went").isEqualTo(ProcessState.SUCCEEDED);
    assertThat(Files.isDirectory(root.resolve("workspace/alice"))).isTrue();
  }

  private static void deleteTree(Path directory) throws Exception {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
