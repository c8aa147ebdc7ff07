package io.isometry.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ps}: the processes the token may see, newest first. */
@Command(name = "ps", mixinStandardHelpOptions = true, versionProvider = IsometryCli.Version.class,
    description = "List processes, newest first.")
final class PsCommand implements Callable<Integer> {

  @ParentCommand
  private IsometryCli cli;
  @Spec
  private CommandSpec spec;
  @Option(names = "--state", description = "Only processes in this state.")
  private String state;
  @Option(names = "--limit", defaultValue = "20", description = "At most this many (default: ${DEFAULT-VALUE}).")
  private int limit;

  @Override
  public Integer call() {
    String query = "?limit=" + limit + (state == null ? "" : "&state=" + EngineClient.encode(state));
    // Asked before anything is printed: a failure leaves no table header behind it.
    JsonArray items = cli.engine().get("/processes" + query).getJsonArray("items");
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%-30s %-10s %-10s %9s  %s%n", "ID", "STATE", "OWNER", "TIME", "COMMAND");
    for (Object item : items) {
      JsonObject record = (JsonObject) item;
      String flag = record.getBoolean("background", false) ? "*" : "";
      out.printf("%-30s %-10s %-10s %8.1fs  %s%n", record.getString("id"), record.getString("state") + flag,
          record.getString("owner"), record.getLong("durationMs", 0L) / 1000.0, record.getString("command"));
    }
    out.flush();
    return 0;
  }
}
