package io.isometry.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code validate "cmd"}: the security policy's verdict, without running anything; exit 0 when allowed. */
@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = IsometryCli.Version.class,
    description = "Check a command against the security policy (nothing runs).")
final class ValidateCommand implements Callable<Integer> {

  @ParentCommand
  private IsometryCli cli;
  @Spec
  private CommandSpec spec;
  @Parameters(index = "0", paramLabel = "COMMAND", description = "The command line.")
  private String command;

  @Override
  public Integer call() {
    JsonObject verdict = cli.engine().post("/validate", new JsonObject().put("command", command));
    PrintWriter out = spec.commandLine().getOut();
    if (verdict.getBoolean("allowed", false)) {
      JsonObject plan = verdict.getJsonObject("plan", new JsonObject());
      out.println("allowed: " + plan.getValue("argv", command));
      out.flush();
      return 0;
    }
    out.println(FeedSession.describe(new JsonObject().put("error", "refused")
        .put("message", "the command breaks the security policy").put("violations", verdict.getJsonArray("violations"))));
    out.flush();
    return RunCommand.REFUSED;
  }
}
