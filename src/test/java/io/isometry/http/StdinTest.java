package io.isometry.http;

import static io.isometry.http.HttpApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.testing.EngineFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A process's stdin, written over REST and the WebSocket, in the sandbox: real processes that read it. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StdinTest {

  static final String ASK = "name = input('name? ')\nprint('hello ' + name, flush=True)\n";

  private Vertx vertx;
  private JsonObject config;
  private int port;
  private RestCalls alice;

  @BeforeEach
  void deploy(Vertx vertx, @TempDir Path temp) throws Exception {
    this.vertx = vertx;
    TokenEngine engine = TokenEngine.deploy(vertx, temp, new JsonObject());
    config = engine.config();
    port = engine.port();
    alice = engine.as(Tokens.ALICE);
    EngineFixture.script(config, "alice", "ask.py", ASK);
  }

  @Test
  void aScriptReadsALineWrittenOverRestAndAnswers() {
    JsonObject record = submit(new JsonObject().put("command", "python3 ask.py").put("stdin", true));
    assertThat(record.getBoolean("stdin")).isTrue();
    assertThat(record.getBoolean("tty")).isFalse();
    String id = record.getString("id");

    RestCalls.Reply written = alice.post(path(id, "stdin"), new JsonObject().put("data", "world\n"));

    assertThat(written.status()).as(written.body()).isEqualTo(202);
    assertThat(awaitEnd(id).getString("state")).isEqualTo("succeeded");
    assertThat(alice.get(path(id, "output")).body()).isEqualTo("name? hello world\n");
  }

  @Test
  void aScriptReadsALineWrittenOnTheWebSocketAndAnswers() throws Exception {
    FeedSocket feed = FeedSocket.connect(vertx, port, Tokens.ALICE);
    feed.send(new JsonObject().put("type", "run").put("command", "python3 ask.py").put("stdin", true).put("requestId", 1));
    String id = feed.await("the run's ack", frame -> "ack".equals(frame.getString("type")) && frame.getInteger("requestId") == 1)
        .getJsonObject("record").getString("id");

    feed.send(new JsonObject().put("type", "stdin").put("id", id).put("data", "socket\n").put("requestId", 2));

    feed.await("the stdin's ack", frame -> "ack".equals(frame.getString("type")) && frame.getInteger("requestId") == 2);
    feed.await("the answer", frame -> "output".equals(frame.getString("type")) && id.equals(frame.getString("id"))
        && frame.getString("data").contains("hello socket"));
    feed.close();
  }

  @Test
  void theEndOfInputEndsCat() {
    String id = submit(new JsonObject().put("command", "cat").put("stdin", true)).getString("id");

    alice.post(path(id, "stdin"), new JsonObject().put("data", "one\n"));
    RestCalls.Reply ended = alice.post(path(id, "stdin"), new JsonObject().put("data", "two\n").put("eof", true));

    assertThat(ended.status()).as(ended.body()).isEqualTo(202);
    assertThat(awaitEnd(id).getString("state")).isEqualTo("succeeded");
    assertThat(alice.get(path(id, "output")).body()).isEqualTo("one\ntwo\n");
  }

  @Test
  void inputBeyondTheBoundIsRefusedWhileTheProcessDoesNotRead() {
    String id = submit(new JsonObject().put("command", "sleep 30").put("stdin", true)).getString("id");

    // The pipe takes 64 KiB, the engine's queue 64 KiB more; then it refuses, and the writer never blocks it.
    String chunk = "y".repeat(16 * 1024);
    int accepted = 0;
    RestCalls.Reply reply;
    while ((reply = alice.post(path(id, "stdin"), new JsonObject().put("data", chunk))).status() == 202) {
      accepted++;
      assertThat(accepted).as("writes taken by a process that reads nothing").isLessThan(12);
    }
    assertError(reply, 429, "stdin_full");
    assertThat(accepted).isGreaterThanOrEqualTo(4);
    assertThat(alice.post(path(id, "cancel"), "").status()).isEqualTo(202);
    assertThat(awaitEnd(id).getString("reason")).isEqualTo("cancelled");
  }

  @Test
  void stdinIsRefusedForAProcessWithoutItAndAfterItsEnd() {
    String id = submit(new JsonObject().put("command", "sleep 30")).getString("id");
    assertError(alice.post(path(id, "stdin"), new JsonObject().put("data", "x")), 409, "invalid_state");

    String cat = submit(new JsonObject().put("command", "cat").put("stdin", true)).getString("id");
    alice.post(path(cat, "stdin"), new JsonObject().put("eof", true));
    awaitEnd(cat);
    assertError(alice.post(path(cat, "stdin"), new JsonObject().put("data", "late")), 409, "invalid_state");
    assertError(alice.post(path(id, "stdin"), new JsonObject()), 400, "invalid_request");
    assertError(alice.post(path(id, "resize"), new JsonObject().put("cols", 100).put("rows", 30)), 409, "invalid_state");
    alice.post(path(id, "cancel"), "");
  }

  @Test
  void onlyThoseWhoMayCancelMayWrite() {
    String id = submit(new JsonObject().put("command", "cat").put("stdin", true)).getString("id");
    JsonObject line = new JsonObject().put("data", "intruder\n");

    assertError(alice.as(Tokens.BOB).post(path(id, "stdin"), line), 404, "not_found");
    assertError(alice.as(Tokens.VIEWER).post(path(id, "stdin"), line), 403, "forbidden");
    assertThat(alice.as(Tokens.ADMIN).post(path(id, "stdin"), new JsonObject().put("data", "admin\n").put("eof", true))
        .status()).isEqualTo(202);
    awaitEnd(id);
    assertThat(alice.get(path(id, "output")).body()).isEqualTo("admin\n");
  }

  private JsonObject submit(JsonObject body) {
    RestCalls.Reply reply = alice.post("/api/v1/processes", body);
    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    return reply.json();
  }

  private JsonObject awaitEnd(String id) {
    return awaitEnd(alice, id);
  }

  static JsonObject awaitEnd(RestCalls rest, String id) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      JsonObject record = rest.get("/api/v1/processes/" + id).json();
      if (record.getString("endedAt") != null) {
        return record;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError(id + " did not end");
  }

  static String path(String id, String action) {
    return "/api/v1/processes/" + id + "/" + action;
  }
}
