package io.isometry.cli;

import io.isometry.contract.ProcessState;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cancel|suspend|resume ID}: one control action; prints the process's state, for a cancel
 * once it has ended (the acknowledgement comes while the tree is still being signalled).
 */
abstract class ControlCommand implements Callable<Integer> {

  @ParentCommand
  private IsometryCli cli;
  @Spec
  private CommandSpec spec;
  @Parameters(index = "0", paramLabel = "ID", description = "The process id.")
  private String id;

  /** Longer than any grace period between SIGTERM and SIGKILL an engine is likely to have. */
  private static final long END_WAIT_MS = 60_000;
  private static final long POLL_MS = 50;

  private final String action;
  private final boolean awaitsTheEnd;

  ControlCommand(String action, boolean awaitsTheEnd) {
    this.action = action;
    this.awaitsTheEnd = awaitsTheEnd;
  }

  @Override
  public Integer call() throws InterruptedException {
    EngineClient engine = cli.engine();
    String path = "/processes/" + EngineClient.encode(id);
    JsonObject record = engine.post(path + "/" + action, new JsonObject());
    long deadline = System.nanoTime() + END_WAIT_MS * 1_000_000;
    while (awaitsTheEnd && !ProcessState.fromWire(record.getString("state")).isTerminal()) {
      if (System.nanoTime() > deadline) {
        throw new CliFailure(id + " is still " + record.getString("state") + " after " + END_WAIT_MS / 1000 + " s",
            EngineClient.FAILED);
      }
      Thread.sleep(POLL_MS);
      record = engine.get(path);
    }
    spec.commandLine().getOut().println(record.getString("id") + " " + record.getString("state"));
    spec.commandLine().getOut().flush();
    return 0;
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, versionProvider = IsometryCli.Version.class,
      description = "Cancel a process and its whole tree; prints its final state once it has ended.")
  static final class Cancel extends ControlCommand {
    Cancel() {
      super("cancel", true);
    }
  }

  @Command(name = "suspend", mixinStandardHelpOptions = true, versionProvider = IsometryCli.Version.class,
      description = "Suspend a process tree (SIGSTOP).")
  static final class Suspend extends ControlCommand {
    Suspend() {
      super("suspend", false);
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, versionProvider = IsometryCli.Version.class,
      description = "Resume a suspended process tree (SIGCONT).")
  static final class Resume extends ControlCommand {
    Resume() {
      super("resume", false);
    }
  }
}
