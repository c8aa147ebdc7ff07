package io.isometry.supervisor;

import io.isometry.validation.ExecutionPlan;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a validated plan as a child in a session (and so a process group) of its own, so that
 * its whole tree can be signalled at once. {@code setsid} execs the command in place, so the pid
 * Java reports is the command's own and also its process-group id. Blocking: call it off the
 * event loop.
 */
final class ProcessLauncher {

  private static final File DEV_NULL = new File("/dev/null");
  private final String setsid;
  private final Path workspace;

  ProcessLauncher(String setsid, Path workspace) {
    this.setsid = setsid;
    this.workspace = workspace;
  }

  Process launch(ExecutionPlan plan) throws IOException {
    List<String> command = new ArrayList<>(plan.argv().size() + 1);
    command.add(setsid);
    command.addAll(plan.argv());
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workspace.resolve(plan.cwd()).toFile())
        .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
    // Built from scratch: the engine's own environment (and its secrets) never reach a child.
    builder.environment().clear();
    builder.environment().putAll(plan.env());
    return builder.start();
  }
}
