package io.isometry.cli;

import io.isometry.contract.Stream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code logs [-f] ID}: a process's retained output, stdout to stdout and stderr to stderr; with
 * {@code -f}, then its live output until it ends (subscribed before reading, so nothing falls between).
 */
@Command(name = "logs", mixinStandardHelpOptions = true, versionProvider = IsometryCli.Version.class,
    description = "Print a process's output; -f follows it until the process ends.")
final class LogsCommand implements Callable<Integer> {

  @ParentCommand
  private IsometryCli cli;
  @Spec
  private CommandSpec spec;
  @Parameters(index = "0", paramLabel = "ID", description = "The process id.")
  private String id;
  @Option(names = {"-f", "--follow"}, description = "Follow the output until the process ends.")
  private boolean follow;

  @Override
  public Integer call() throws InterruptedException {
    EngineClient engine = cli.engine();
    OutputPrinter printer = OutputPrinter.retainedFirst(spec.commandLine().getOut(), spec.commandLine().getErr());
    FeedSession session = null;
    if (follow) {
      session = new FeedSession(printer);
      session.attach(engine.feed(session));
      session.request(new JsonObject().put("type", "subscribe").put("output", new JsonArray().add(id)));
    }
    try {
      String path = "/processes/" + EngineClient.encode(id);
      for (Stream stream : Stream.values()) {
        EngineClient.Retained retained = engine.retained(path + "/output?stream=" + stream.wire());
        printer.printRetained(stream, retained.text(), retained.offset());
      }
      printer.retainedPrinted();
      if (session != null && !FeedSession.isTerminal(engine.get(path))) {
        printer.awaitComplete(session.awaitEnd(id));
      }
      return 0;
    } finally {
      if (session != null) {
        session.close();
      }
    }
  }
}
