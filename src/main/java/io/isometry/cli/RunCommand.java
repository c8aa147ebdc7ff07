package io.isometry.cli;

import io.isometry.contract.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code run "ls -la"}: runs a command over the feed (so it belongs to this terminal: Ctrl+C ends the
 * connection, and the engine cancels it once its reconnect grace has passed), streams its output, and
 * exits as the command did. A dropped connection is made again, and the output the command wrote
 * meanwhile printed ({@link AttachedRun}). With {@code -i} the command reads this terminal's stdin,
 * with {@code -t} it runs on a terminal ({@link TerminalInput}).
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = IsometryCli.Version.class,
    description = "Run a command, stream its output and exit with its exit code.")
final class RunCommand implements Callable<Integer> {

  /** Exit code of a command the engine refused to run, as a shell reports a command it cannot execute. */
  static final int REFUSED = 126;
  private static final Map<String, Integer> SIGNALS = Map.of("SIGHUP", 1, "SIGINT", 2, "SIGQUIT", 3, "SIGABRT", 6,
      "SIGKILL", 9, "SIGSEGV", 11, "SIGPIPE", 13, "SIGALRM", 14, "SIGTERM", 15);

  @ParentCommand
  private IsometryCli cli;
  @Spec
  private CommandSpec spec;
  @Parameters(arity = "1..*", paramLabel = "COMMAND",
      description = "The command line as one word, e.g. \"ls -la\"; or, after --, the program and its "
          + "arguments as words of their own, e.g. -- ls -la (sent as argv, with no parsing at all).")
  private List<String> words;
  @Option(names = "--cwd", description = "The working directory, relative to the workspace.")
  private String cwd;
  @Option(names = "--timeout-ms", description = "The timeout, in milliseconds.")
  private Long timeoutMs;
  @Option(names = "--background", description = "Run in the background (it outlives this terminal).")
  private boolean background;
  @Option(names = {"-i", "--interactive"},
      description = "Send this terminal's stdin to the command as it is typed; its end (Ctrl+D) ends the command's input.")
  private boolean interactive;
  @Option(names = {"-t", "--tty"}, description = "Run the command on a terminal of this terminal's size "
      + "(one output stream); with -i, keys reach it as typed, Ctrl+C included.")
  private boolean tty;
  @Option(names = "--node", description = "The cluster node to run it on (see: nodes); else the least loaded.")
  private String node;

  @Override
  public Integer call() throws InterruptedException {
    JsonObject request = request();
    if (background) {
      // Over REST, not the feed: nothing to stream, and the process is not tied to a connection.
      JsonObject record = cli.engine().post("/processes", request);
      spec.commandLine().getOut().println(record.getString("id"));
      spec.commandLine().getOut().flush();
      return 0;
    }
    OutputPrinter printer = OutputPrinter.live(spec.commandLine().getOut(), spec.commandLine().getErr());
    AttachedRun run = new AttachedRun(cli.engine(), printer);
    TerminalInput terminal = new TerminalInput(cli.engine());
    Thread cancelOnInterrupt = null;
    try {
      // One key per invocation: should the request be sent again (a reconnect), it never runs twice.
      JsonObject ack = run.start(request.copy().put("type", "run")
          .put(Fields.IDEMPOTENCY_KEY, UUID.randomUUID().toString()));
      String id = ack.getJsonObject("record").getString("id");
      cancelOnInterrupt = cancelOnInterrupt(id, terminal);
      if (interactive) {
        if (tty) {
          terminal.raw();
        }
        terminal.forward(System.in, id);
      }
      JsonObject record = run.awaitEnd(id);
      printer.awaitComplete(record);
      terminal.restore();
      sayWhyItEnded(record);
      return exitCode(record);
    } finally {
      terminal.restore();
      run.close();
      if (cancelOnInterrupt != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(cancelOnInterrupt);
        } catch (IllegalStateException shuttingDown) {
          // The hook is running (or ran): nothing to take back.
        }
      }
    }
  }

  /**
   * Ctrl+C on this terminal (SIGINT ends the JVM) cancels the command at once, as it always did: the
   * engine would otherwise keep it for its reconnect grace, waiting for this run to come back.
   */
  private Thread cancelOnInterrupt(String id, TerminalInput terminal) {
    Thread hook = new Thread(() -> {
      terminal.restore();
      try {
        cli.engine().post("/processes/" + EngineClient.encode(id) + "/cancel", new JsonObject());
      } catch (CliFailure endedOrUnreachable) {
        // Ended already (409), or the engine is out of reach: its grace ends it then.
      }
    }, "isometry-cancel");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  private JsonObject request() {
    JsonObject run = new JsonObject().put("background", background);
    if (words.size() == 1) {
      run.put("command", words.get(0));
    } else {
      run.put("argv", new JsonArray(words));
    }
    if (cwd != null) {
      run.put("cwd", cwd);
    }
    if (node != null) {
      run.put("node", node);
    }
    if (timeoutMs != null) {
      run.put("timeoutMs", timeoutMs);
    }
    if (interactive) {
      run.put("stdin", true);
    }
    if (tty) {
      run.put("tty", true);
      int[] size = TerminalInput.size();
      if (size != null) {
        run.put("cols", size[0]).put("rows", size[1]);
      }
    }
    return run;
  }

  /** A command the engine ended (a timeout, a cancel, a memory limit, a shutdown) says so: its exit code alone would not. */
  private void sayWhyItEnded(JsonObject record) {
    String reason = record.getString("reason");
    if (reason != null && !reason.equals("exit")) {
      String signal = record.getString("signal");
      spec.commandLine().getErr().println("isometry: " + record.getString("id") + " " + record.getString("state")
          + " (" + reason + (signal == null ? "" : ", " + signal) + ")");
      spec.commandLine().getErr().flush();
    }
  }

  /** As a shell reports it: the exit code, 128 + the signal, or 1 when the engine ended it otherwise. */
  static int exitCode(JsonObject record) {
    Integer code = record.getInteger("exitCode");
    if (code != null) {
      return code;
    }
    String signal = record.getString("signal");
    if (signal != null) {
      return 128 + SIGNALS.getOrDefault(signal, 0);
    }
    return EngineClient.FAILED;
  }
}
