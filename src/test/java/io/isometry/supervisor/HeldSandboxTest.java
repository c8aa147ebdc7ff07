package io.isometry.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isometry.config.EngineConfig;
import io.isometry.os.CgroupHierarchies;
import io.isometry.os.CgroupV2;
import io.isometry.os.CgroupV2Job;
import io.isometry.os.ChildProcess;
import io.isometry.os.PosixSpawner;
import io.isometry.os.ProcStat;
import io.isometry.os.Reaper;
import io.isometry.os.SpawnException;
import io.isometry.os.SpawnerThread;
import io.isometry.sandbox.Confinement;
import io.isometry.sandbox.Sandbox;
import io.isometry.sandbox.SandboxExit;
import io.isometry.sandbox.SandboxProbe;
import io.isometry.sandbox.StatusPipe;
import io.isometry.sandbox.Workspaces;
import io.isometry.testing.EngineFixture;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's placement of a held sandbox when it goes wrong, on real processes: a sandbox that
 * cannot be placed while its pid 1 lives is killed before it is let go, so its command never runs;
 * a sandbox whose pid 1 already died in its setup is not a placement failure, and bubblewrap's own
 * message stays on its stderr. Needs a sandbox and cgroup v2 (skipped, saying why, without).
 */
@Timeout(30)
class HeldSandboxTest {

  @TempDir
  Path root;
  private CgroupV2 cgroups;
  private CgroupV2Job job;
  private Sandbox sandbox;
  private SpawnerThread spawner;
  private Path workspace;

  @BeforeEach
  void open() throws Exception {
    CgroupHierarchies machine = CgroupHierarchies.ofThisProcess();
    assumeTrue(machine.v2().isPresent(), "no cgroup v2 hierarchy is mounted here");
    try {
      cgroups = CgroupV2.open(machine, "isometry-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime(), 1.0);
    } catch (IOException e) {
      assumeTrue(false, "the engine may not use cgroup v2 here: " + e.getMessage());
    }
    job = cgroups.create("job-1", 100L << 20, 64);
    EngineConfig config = EngineConfig.from(EngineFixture.config(root, new JsonObject()));
    spawner = new SpawnerThread(null);
    Confinement confinement = SandboxProbe.detect(config, spawner, null);
    assumeTrue(confinement.confined(), "no sandbox here: " + confinement.why());
    sandbox = confinement.sandbox();
    workspace = new Workspaces(config.workspace(), null).ensure("host");
  }

  @AfterEach
  void close() throws Exception {
    if (cgroups == null) {
      return;
    }
    job.remove();
    cgroups.removeScope();
    spawner.close();
  }

  @Test
  void aSandboxThatCannotBePlacedIsKilledBeforeItsCommandRuns() throws Exception {
    Path ran = workspace.resolve("ran");
    ChildProcess child = spawnHeld(sandbox.wrap(List.of("/usr/bin/touch", ran.toString()), workspace, workspace, true));
    int pidOne = SandboxExit.childPid(StatusPipe.firstLine(child.status()));
    assertThat(job.remove()).as("the job is gone before the sandbox is placed").isTrue();

    assertThatThrownBy(() -> ProcessLauncher.placeAndRelease(child, pidOne, job))
        .isInstanceOf(SpawnException.class).hasMessageContaining("cannot place the sandbox");

    // SIGKILL is pending before the hold is let go: pid 1 dies on its way back from the read, before any
    // instruction of its own.
    ProcStat pidOneNow = ProcStat.of(pidOne);
    for (int i = 0; i < 200 && pidOneNow != null && pidOneNow.alive(); i++) {
      Thread.sleep(10);
      pidOneNow = ProcStat.of(pidOne);
    }
    assertThat(pidOneNow == null || !pidOneNow.alive()).as("pid 1 is dead: %s", pidOneNow).isTrue();
    Thread.sleep(200);
    assertThat(ran).as("the command never ran").doesNotExist();
  }

  @Test
  void aSandboxWhosePidOneDiedInItsSetupIsNotAPlacementFailure() throws Exception {
    List<String> argv = new ArrayList<>(sandbox.wrap(List.of("/usr/bin/true"), workspace, workspace, true));
    argv.addAll(1, List.of("--ro-bind", root.resolve("missing").toString(), "/mnt"));
    ChildProcess child = spawnHeld(argv);
    int pidOne = SandboxExit.childPid(StatusPipe.firstLine(child.status()));
    // Read once per turn: pid 1 may be reaped between two reads.
    ProcStat pidOneNow = ProcStat.of(pidOne);
    for (int i = 0; i < 500 && pidOneNow != null && pidOneNow.alive(); i++) {
      Thread.sleep(10);
      pidOneNow = ProcStat.of(pidOne);
    }

    ProcessLauncher.placeAndRelease(child, pidOne, job);

    assertThat(Reaper.await(child.pid()).exitCode()).isEqualTo(1);
    assertThat(new String(child.stderr().readAllBytes(), StandardCharsets.UTF_8)).startsWith("bwrap:").contains("missing");
    child.stdout().close();
    assertThat(Files.exists(root.resolve("missing"))).isFalse();
  }

  private ChildProcess spawnHeld(List<String> argv) throws Exception {
    return new PosixSpawner().spawn(argv, Path.of("/"), Map.of("PATH", "/usr/bin:/bin"), true, true);
  }
}
