package io.isometry.cli;

import io.isometry.contract.Stream;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A process run over the feed that outlives a dropped connection: the run's socket gives a session
 * of its own, and when the connection drops, a new socket with the same session takes the process
 * back within the engine's reconnect grace (15 s by default), prints what it wrote meanwhile (the
 * retained output, from where the terminal stopped, by byte offset), then follows it live again.
 */
final class AttachedRun {

  /** The engine's default reconnect grace: after it, the process is cancelled anyway. */
  private static final long PATIENCE_MS = 15_000;
  private static final long RETRY_MS = 300;

  private final EngineClient engine;
  private final OutputPrinter printer;
  private final String sessionId = "cli-" + UUID.randomUUID();
  private FeedSession session;

  AttachedRun(EngineClient engine, OutputPrinter printer) {
    this.engine = engine;
    this.printer = printer;
  }

  /** Connects, sends the run request, and answers its ack. */
  JsonObject start(JsonObject run) {
    session = new FeedSession(printer);
    engine.joinSession(session, sessionId);
    return session.request(run);
  }

  /** The process's terminal record, across as many dropped connections as it takes. */
  JsonObject awaitEnd(String id) throws InterruptedException {
    while (true) {
      try {
        return session.awaitEnd(id);
      } catch (CliFailure failure) {
        if (!session.dropped()) {
          throw failure;
        }
        JsonObject ended = reattach(id, failure);
        if (ended != null) {
          return ended;
        }
      }
    }
  }

  /** Takes the process back on a new socket; answers its record when it ended meanwhile, else null. */
  private JsonObject reattach(String id, CliFailure dropped) throws InterruptedException {
    long deadline = System.currentTimeMillis() + PATIENCE_MS;
    CliFailure last = dropped;
    while (System.currentTimeMillis() < deadline) {
      FeedSession next = new FeedSession(printer);
      printer.holdLive();
      try {
        engine.joinSession(next, sessionId);
        session = next;
        JsonObject record = engine.get("/processes/" + EngineClient.encode(id));
        for (Stream stream : Stream.values()) {
          EngineClient.Retained retained = engine.retained("/processes/" + EngineClient.encode(id) + "/output?stream=" + stream.wire());
          printer.catchUp(stream, retained.text(), retained.offset());
        }
        return FeedSession.isTerminal(record) ? record : null;
      } catch (CliFailure unreachable) {
        last = unreachable;
        next.close();
        Thread.sleep(RETRY_MS);
      } finally {
        printer.retainedPrinted();
      }
    }
    throw new CliFailure("the connection to the engine dropped and could not be made again: " + last.getMessage(),
        EngineClient.FAILED);
  }

  void close() {
    if (session != null) {
      session.close();
    }
  }
}
