package io.isometry.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cancel|suspend|resume ID}: one control action; prints the process's state as it stands. */
abstract class ControlCommand implements Callable<Integer> {

  @ParentCommand
  private IsometryCli cli;
  @Spec
  private CommandSpec spec;
  @Parameters(index = "0", paramLabel = "ID", description = "The process id.")
  private String id;

  private final String action;

  ControlCommand(String action) {
    this.action = action;
  }

  @Override
  public Integer call() {
    JsonObject record = cli.engine().post("/processes/" + EngineClient.encode(id) + "/" + action, new JsonObject());
    spec.commandLine().getOut().println(record.getString("id") + " " + record.getString("state"));
    spec.commandLine().getOut().flush();
    return 0;
  }

  @Command(name = "cancel", description = "Cancel a process and its whole tree.")
  static final class Cancel extends ControlCommand {
    Cancel() {
      super("cancel");
    }
  }

  @Command(name = "suspend", description = "Suspend a process tree (SIGSTOP).")
  static final class Suspend extends ControlCommand {
    Suspend() {
      super("suspend");
    }
  }

  @Command(name = "resume", description = "Resume a suspended process tree (SIGCONT).")
  static final class Resume extends ControlCommand {
    Resume() {
      super("resume");
    }
  }
}
