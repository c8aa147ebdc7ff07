package io.isometry.supervisor;

import io.isometry.os.ChildProcess;
import io.isometry.os.PosixSpawner;
import io.isometry.os.SpawnException;
import io.isometry.validation.ExecutionPlan;
import java.nio.file.Path;

/**
 * Starts a validated plan in the workspace: the plan's argv, working directory (relative to the
 * workspace root) and environment, built from scratch so the engine's own environment and its
 * secrets never reach a child. Blocking: call it off the event loop.
 */
final class ProcessLauncher {

  private final PosixSpawner spawner = new PosixSpawner();
  private final Path workspace;

  ProcessLauncher(Path workspace) {
    this.workspace = workspace;
  }

  ChildProcess launch(ExecutionPlan plan) throws SpawnException {
    return spawner.spawn(plan.argv(), workspace.resolve(plan.cwd()).toAbsolutePath().normalize(), plan.env());
  }
}
