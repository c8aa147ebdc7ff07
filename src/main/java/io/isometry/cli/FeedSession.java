package io.isometry.cli;

import io.isometry.contract.ErrorCode;
import io.isometry.contract.ProcessState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One WebSocket conversation with the engine: requests answered by {@code ack}/{@code error} frames
 * (matched by requestId), output handed to an {@link OutputPrinter}, and the end of any process
 * waited for by id. The JDK calls the listener methods one at a time; the command's thread waits.
 */
final class FeedSession implements WebSocket.Listener {

  private static final long ANSWER_TIMEOUT_S = 30;

  private final OutputPrinter printer;
  private final StringBuilder partial = new StringBuilder();
  private final Map<String, CompletableFuture<JsonObject>> answers = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<JsonObject>> endings = new ConcurrentHashMap<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private final AtomicInteger nextRequest = new AtomicInteger();
  private WebSocket socket;

  FeedSession(OutputPrinter printer) {
    this.printer = printer;
  }

  void attach(WebSocket socket) {
    this.socket = socket;
  }

  /** Sends a message and waits for its ack; an error frame becomes a {@link CliFailure}. */
  JsonObject request(JsonObject message) {
    String requestId = "cli-" + nextRequest.incrementAndGet();
    CompletableFuture<JsonObject> answer = answers.computeIfAbsent(requestId, id -> new CompletableFuture<>());
    socket.sendText(message.copy().put("requestId", requestId).encode(), true).join();
    JsonObject frame = await(answer.applyToEither(closed.thenApply(this::dropped), reply -> reply), ANSWER_TIMEOUT_S);
    if ("error".equals(frame.getString("type"))) {
      // A refused command exits as a shell's command that cannot execute; any other error as a failure.
      boolean refused = ErrorCode.SECURITY_VIOLATION.wire().equals(frame.getString("error"));
      throw new CliFailure(describe(frame), refused ? RunCommand.REFUSED : EngineClient.FAILED);
    }
    return frame;
  }

  /** The terminal record of process {@code id}, once the engine publishes it. */
  JsonObject awaitEnd(String id) {
    return await(ending(id).applyToEither(closed.thenApply(this::dropped), record -> record), Long.MAX_VALUE);
  }

  /** Whether the connection has gone (closed by the engine, or broken). */
  boolean dropped() {
    return closed.isDone();
  }

  void close() {
    if (socket != null && !dropped()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      received(new JsonObject(partial.toString()));
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(reason == null || reason.isEmpty() ? "code " + statusCode : reason);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete(String.valueOf(error.getMessage()));
  }

  private void received(JsonObject frame) {
    String type = frame.getString("type");
    if (("ack".equals(type) || "error".equals(type)) && frame.getValue("requestId") instanceof String id) {
      answers.computeIfAbsent(id, key -> new CompletableFuture<>()).complete(frame);
    } else if ("output".equals(type)) {
      printer.print(frame);
    } else if ("process".equals(type) && frame.getValue("record") instanceof JsonObject record
        && isTerminal(record)) {
      ending(record.getString("id")).complete(record);
    }
  }

  /** Whether a record has reached a terminal state, as the contract names them. */
  static boolean isTerminal(JsonObject record) {
    return ProcessState.fromWire(record.getString("state")).isTerminal();
  }

  private CompletableFuture<JsonObject> ending(String id) {
    return endings.computeIfAbsent(id, key -> new CompletableFuture<>());
  }

  private JsonObject dropped(String why) {
    throw new CliFailure("the engine closed the connection (" + why + ")", EngineClient.FAILED);
  }

  private static JsonObject await(CompletableFuture<JsonObject> future, long timeoutSeconds) {
    try {
      return future.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CliFailure failure) {
        throw failure;
      }
      throw new CliFailure(String.valueOf(e.getCause().getMessage()), EngineClient.FAILED);
    } catch (TimeoutException e) {
      throw new CliFailure("the engine did not answer in time", EngineClient.FAILED);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure("interrupted", EngineClient.FAILED);
    }
  }

  /** An error frame as a person reads it, with every violation on a line of its own. */
  static String describe(JsonObject error) {
    StringBuilder text = new StringBuilder(error.getString("error") + ": " + error.getString("message"));
    if (error.getValue("violations") instanceof JsonArray violations) {
      for (Object item : violations) {
        JsonObject violation = (JsonObject) item;
        text.append(System.lineSeparator()).append("  ").append(violation.getString("type"))
            .append(" (").append(violation.getString("severity")).append("): ").append(violation.getString("message"));
      }
    }
    return text.toString();
  }
}
