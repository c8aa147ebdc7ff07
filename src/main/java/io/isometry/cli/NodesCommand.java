package io.isometry.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code nodes}: the cluster's nodes, oldest first, with their load (a node alone lists itself). */
@Command(name = "nodes", mixinStandardHelpOptions = true, versionProvider = IsometryCli.Version.class,
    description = "List the cluster's nodes and their load.")
final class NodesCommand implements Callable<Integer> {

  @ParentCommand
  private IsometryCli cli;
  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() {
    JsonObject cluster = cli.engine().get("/cluster");
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%-24s %-7s %-7s %-9s %-24s %s%n", "NODE", "RUNNING", "QUEUED", "SLOTS", "JOINED", "SANDBOX");
    for (Object item : cluster.getJsonArray("nodes", new JsonArray())) {
      JsonObject node = (JsonObject) item;
      JsonObject load = node.getJsonObject("load", new JsonObject());
      JsonObject sandbox = node.getJsonObject("capabilities", new JsonObject()).getJsonObject("sandbox", new JsonObject());
      out.printf("%-24s %-7d %-7d %-9d %-24s %s%n", node.getString("node") + (node.getBoolean("local", false) ? " *" : ""),
          load.getInteger("running", 0) + load.getInteger("suspended", 0), load.getInteger("queued", 0),
          load.getInteger("maxConcurrent", 0), node.getString("joinedAt"), sandbox.getBoolean("enabled", false) ? "on" : "off");
    }
    for (Object node : cluster.getJsonArray("unreachable", new JsonArray())) {
      out.printf("%-24s did not answer%n", node);
    }
    out.flush();
    return 0;
  }
}
