package io.isometry.monitor;

import static io.isometry.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isometry.client.IsometryClient;
import io.isometry.client.ProcessSnapshot;
import io.isometry.client.Submission;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Stream;
import io.isometry.os.CgroupHierarchies;
import io.isometry.os.CgroupV1;
import io.isometry.testing.EngineFixture;
import io.isometry.testing.EventLog;
import io.isometry.testing.UnifiedCgroups;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on the unified hierarchy (cgroup v2), with real processes: a command is in its job's
 * cgroup from its first instruction; suspend freezes the whole job, also a daemon that left the
 * sandbox's process group (SIGSTOP to the group would miss it); {@code /capabilities} names which
 * hierarchy serves what. Skipped, saying why, where the engine does not use cgroup v2.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class UnifiedHierarchyTest {

  @TempDir
  Path root;
  private JsonObject config;
  private IsometryClient client;
  private EventLog events;
  private JsonObject capabilities;

  private void deploy(Vertx vertx) throws Exception {
    config = EngineFixture.config(root, new JsonObject());
    result(EngineFixture.deploy(vertx, config));
    client = IsometryClient.trusted(vertx, EngineFixture.HOST);
    events = result(EventLog.attach(client));
    capabilities = UnifiedCgroups.capabilities(vertx);
    assumeTrue(capabilities.getJsonObject("enforcement").getString("placement").contains("cgroup-v2"),
        "the engine does not use cgroup v2 here: " + capabilities.getJsonObject("enforcement").getString("why"));
  }

  @Test
  void aCommandIsInItsJobFromItsFirstInstruction(Vertx vertx) throws Exception {
    deploy(vertx);
    String script = EngineFixture.script(config, "where.py", """
        print(open('/proc/self/cgroup').read(), end='', flush=True)
        """);

    ProcessSnapshot done = events.awaitTerminal(result(client.submit(Submission.of("python3 " + script))).id(), 20_000);

    assertThat(done.state()).isEqualTo(ProcessState.SUCCEEDED);
    String job = done.json().getString("cgroup");
    // The sandbox's cgroup namespace is rooted where the engine is: the command sees its job's path below it.
    String below = "/" + CgroupV1.scopeFor(Path.of(config.getString("dataDir"))) + "/" + job;
    List<String> lines = result(client.output(done.id(), Stream.STDOUT)).lines().toList();
    assertThat(lines.stream().filter(line -> line.startsWith("0::"))).containsExactly("0::" + below);
    // On a hybrid machine the v1 half (its limits) was placed by pid too, before the same release.
    if ("cgroup-v1".equals(capabilities.getJsonObject("enforcement").getString("memory"))) {
      assertThat(lines.stream().filter(line -> line.contains(":memory:")))
          .singleElement().asString().endsWith(":memory:" + below);
    }
  }

  @Test
  void aRunningCommandIsInItsJobSeenFromTheHost(Vertx vertx) throws Exception {
    deploy(vertx);
    ProcessSnapshot sleeping = result(client.submit(Submission.of("sleep 30")));
    ProcessSnapshot running = events.await(sleeping.id(), snapshot -> snapshot.pid() != null, 10_000);
    Path job = UnifiedCgroups.job(config, running.json().getString("cgroup"));

    assertThat(UnifiedCgroups.of(running.pid())).endsWith("/" + job.getParent().getFileName() + "/" + job.getFileName());
    assertThat(UnifiedCgroups.members(job)).contains(running.pid(), (long) running.json().getInteger("processGroup"));

    result(client.cancel(sleeping.id()));
    assertThat(events.awaitTerminal(sleeping.id(), 10_000).state()).isEqualTo(ProcessState.CANCELLED);
  }

  @Test
  void suspendFreezesADaemonThatLeftTheProcessGroupAndResumeThawsIt(Vertx vertx) throws Exception {
    deploy(vertx);
    String script = EngineFixture.script(config, "beats.py", """
        import os, time
        if os.fork() == 0:
            os.setsid()
            while True:
                with open('daemon.beat', 'w') as f:
                    f.write(repr(time.time()))
                time.sleep(0.02)
        while True:
            with open('command.beat', 'w') as f:
                f.write(repr(time.time()))
            time.sleep(0.02)
        """);
    Path workspace = EngineFixture.workspace(config, EngineFixture.HOST);
    ProcessSnapshot beating = result(client.submit(Submission.of("python3 " + script)));
    for (int i = 0; i < 500 && !(Files.exists(workspace.resolve("daemon.beat")) && Files.exists(workspace.resolve("command.beat"))); i++) {
      Thread.sleep(10);
    }
    Path job = UnifiedCgroups.job(config, result(client.get(beating.id())).json().getString("cgroup"));

    result(client.suspend(beating.id()));

    assertThat(UnifiedCgroups.awaitFrozen(job, true)).isTrue();
    String daemonBeat = Files.readString(workspace.resolve("daemon.beat"));
    String commandBeat = Files.readString(workspace.resolve("command.beat"));
    Thread.sleep(300);
    assertThat(Files.readString(workspace.resolve("daemon.beat"))).as("the daemon is frozen too").isEqualTo(daemonBeat);
    assertThat(Files.readString(workspace.resolve("command.beat"))).isEqualTo(commandBeat);

    result(client.resume(beating.id()));

    assertThat(UnifiedCgroups.awaitFrozen(job, false)).isTrue();
    Thread.sleep(300);
    assertThat(Files.readString(workspace.resolve("daemon.beat"))).as("the daemon runs again").isNotEqualTo(daemonBeat);
    result(client.cancel(beating.id()));
    assertThat(events.awaitTerminal(beating.id(), 10_000).state()).isEqualTo(ProcessState.CANCELLED);
  }

  /**
   * A sandbox whose setup fails (here its /etc is gone) ends failed with bubblewrap's
   * message, held or not. (Whether pid 1 is still there to be placed is a race the engine usually
   * wins; HeldSandboxTest makes it lose.)
   */
  @Test
  void aSandboxThatFailsBeforeItIsHeldEndsFailedWithBubblewrapsMessage(Vertx vertx) throws Exception {
    deploy(vertx);
    try (var generations = Files.list(Path.of(config.getString("workspace")).resolve(".sandbox"))) {
      for (Path etc : generations.filter(path -> path.getFileName().toString().startsWith("etc-")).toList()) {
        deleteTree(etc);
      }
    }

    ProcessSnapshot done = events.awaitTerminal(result(client.submit(Submission.of("echo hi"))).id(), 20_000);

    assertThat(done.state()).isEqualTo(ProcessState.FAILED);
    assertThat(done.exitCode()).isNull();
    assertThat(result(client.output(done.id(), Stream.STDERR))).startsWith("bwrap:").contains("etc-");
  }

  @Test
  void onAHybridMachineV1KeepsTheLimitsAndV2ServesKillFreezeAndPlacement(Vertx vertx) throws Exception {
    deploy(vertx);
    assumeTrue(CgroupHierarchies.ofThisProcess().v1().containsKey("memory"),
        "not a hybrid machine: no cgroup v1 memory controller here");
    JsonObject enforcement = capabilities.getJsonObject("enforcement");

    assertThat(enforcement.getString("memory")).isEqualTo("cgroup-v1");
    assertThat(enforcement.getString("treeKill")).isEqualTo("cgroup-v2 cgroup.kill and process group");
    assertThat(enforcement.getString("freeze")).isEqualTo("cgroup-v2 cgroup.freeze");
    assertThat(enforcement.getString("placement")).contains("cgroup-v1 tasks").contains("--seccomp");
    assertThat(capabilities.getJsonObject("cgroups").getJsonArray("v2InUse").getList()).isEmpty();
  }

  @Test
  void onACgroupV2HostV2ServesTheLimits(Vertx vertx) throws Exception {
    deploy(vertx);
    assumeTrue(!CgroupHierarchies.ofThisProcess().v1().containsKey("memory"),
        "a hybrid machine: the limits stay in cgroup v1 here (run this on a cgroup v2 host)");
    JsonObject enforcement = capabilities.getJsonObject("enforcement");

    assertThat(enforcement.getString("memory")).isEqualTo("cgroup-v2");
    assertThat(enforcement.getString("treeKill")).isEqualTo("cgroup-v2 cgroup.kill and process group");
    assertThat(enforcement.getString("freeze")).isEqualTo("cgroup-v2 cgroup.freeze");
    assertThat(capabilities.getJsonObject("cgroups").getJsonArray("v2InUse").getList()).contains("memory");
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var walk = Files.walk(root)) {
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
