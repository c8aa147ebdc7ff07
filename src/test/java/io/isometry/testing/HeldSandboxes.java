package io.isometry.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isometry.config.EngineConfig;
import io.isometry.os.CgroupHierarchies;
import io.isometry.os.CgroupV2;
import io.isometry.os.ChildProcess;
import io.isometry.os.PosixSpawner;
import io.isometry.os.SpawnerThread;
import io.isometry.sandbox.Confinement;
import io.isometry.sandbox.Sandbox;
import io.isometry.sandbox.SandboxExit;
import io.isometry.sandbox.SandboxProbe;
import io.isometry.sandbox.StatusPipe;
import io.isometry.sandbox.Workspaces;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * For tests of sandboxes held by bubblewrap ({@code --seccomp}) and placed in cgroup v2 jobs, on
 * the real machine: a cgroup v2 scope of the test's own, the sandbox the engine would use, and the
 * host principal's workspace. Where the machine has no cgroup v2 the engine may use, or no sandbox,
 * the test is skipped saying why.
 */
public final class HeldSandboxes {

  /** A held sandbox: bubblewrap's process, and its pid 1 (which runs the command once let go). */
  public record Held(ChildProcess child, int pidOne) {
  }

  private final CgroupV2 cgroups;
  private final SpawnerThread spawner;
  private final Sandbox sandbox;
  private final Path workspace;

  private HeldSandboxes(CgroupV2 cgroups, SpawnerThread spawner, Sandbox sandbox, Path workspace) {
    this.cgroups = cgroups;
    this.spawner = spawner;
    this.sandbox = sandbox;
    this.workspace = workspace;
  }

  /** Opens a scope of {@code cpuCores} under the test's engine configuration in {@code root}, or skips the test. */
  public static HeldSandboxes open(Path root, double cpuCores) throws Exception {
    CgroupHierarchies machine = CgroupHierarchies.ofThisProcess();
    assumeTrue(machine.v2().isPresent(), "no cgroup v2 hierarchy is mounted here");
    CgroupV2 cgroups = null;
    try {
      cgroups = CgroupV2.open(machine, "isometry-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime(), cpuCores);
    } catch (IOException e) {
      assumeTrue(false, "the engine may not use cgroup v2 here: " + e.getMessage());
    }
    SpawnerThread spawner = null;
    try {
      spawner = new SpawnerThread(null);
      EngineConfig config = EngineConfig.from(EngineFixture.config(root, new JsonObject()));
      Confinement confinement = SandboxProbe.detect(config, spawner, null);
      assumeTrue(confinement.confined(), "no sandbox here: " + confinement.why());
      return new HeldSandboxes(cgroups, spawner, confinement.sandbox(),
          new Workspaces(config.workspace(), null).ensure(EngineFixture.HOST));
    } catch (Exception | Error notOpened) {
      // Skipped or failed half-way: what was opened goes now, since no test will close it.
      cgroups.removeScope();
      if (spawner != null) {
        spawner.close();
      }
      throw notOpened;
    }
  }

  public CgroupV2 cgroups() {
    return cgroups;
  }

  public Path workspace() {
    return workspace;
  }

  /** {@code command} as the sandbox runs it in the workspace, held until it is let go. */
  public List<String> wrap(List<String> command) {
    return sandbox.wrap(command, workspace, workspace, true);
  }

  /** Spawns {@code command} in a held sandbox. */
  public Held spawnHeld(List<String> command) throws Exception {
    return spawnWrapped(wrap(command));
  }

  /** Spawns a sandbox's own argument list (from {@link #wrap}, perhaps changed by the test); it stays held. */
  public Held spawnWrapped(List<String> argv) throws Exception {
    ChildProcess child = new PosixSpawner().spawn(argv, Path.of("/"), Map.of("PATH", "/usr/bin:/bin"), true, true);
    return new Held(child, SandboxExit.childPid(StatusPipe.firstLine(child.status())));
  }

  /** Removes the test's scope (answers whether it went: it must be empty) and stops the spawner. */
  public boolean close() {
    try {
      return cgroups.removeScope();
    } finally {
      spawner.close();
    }
  }
}
