package io.isometry.http;

import static io.isometry.http.StdinTest.awaitEnd;
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

/**
 * A WebSocket that gave a session: its foreground process outlives the socket for the reconnect
 * grace, a socket of the same principal and session takes it back (and its output), and without one
 * it is cancelled as {@code client_disconnected} once the grace has passed.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReconnectTest {

  private static final long GRACE_MS = 1500;
  private static final String TICKER = "import time\nfor i in range(600):\n    print('tick', i, flush=True)\n    time.sleep(0.1)\n";

  private Vertx vertx;
  private int port;
  private RestCalls alice;

  @BeforeEach
  void deploy(Vertx vertx, @TempDir Path temp) throws Exception {
    this.vertx = vertx;
    TokenEngine engine = TokenEngine.deploy(vertx, temp,
        new JsonObject().put("supervisor", new JsonObject().put("reconnectGraceMs", GRACE_MS)));
    port = engine.port();
    alice = engine.as(Tokens.ALICE);
    EngineFixture.script(engine.config(), "alice", "ticker.py", TICKER);
  }

  @Test
  void aSocketOfTheSameSessionTakesTheProcessBackAndItsOutput() throws Exception {
    FeedSocket first = login(Tokens.ALICE, "tab-1");
    String id = run(first, "python3 ticker.py");
    first.await("output on the first socket", frame -> isOutputOf(frame, id));
    first.close();

    FeedSocket second = FeedSocket.connectWithoutToken(vertx, port);
    second.send(auth(Tokens.ALICE, "tab-1"));
    JsonObject ack = second.await("the auth's ack", frame -> "ack".equals(frame.getString("type")));
    assertThat(ack.getString("session")).isEqualTo("tab-1");
    assertThat(ack.getJsonArray("processes")).containsExactly(id);
    JsonObject live = second.await("output on the second socket", frame -> isOutputOf(frame, id));
    assertThat(live.getString("data")).contains("tick");

    Thread.sleep(GRACE_MS + 1000);
    assertThat(alice.get("/api/v1/processes/" + id).json().getString("state")).isEqualTo("running");

    second.close();
    JsonObject ended = awaitEnd(alice, id);
    assertThat(ended.getString("reason")).isEqualTo("client_disconnected");
  }

  @Test
  void withoutAReconnectTheProcessIsCancelledOnlyAfterTheGrace() throws Exception {
    FeedSocket socket = login(Tokens.ALICE, "tab-2");
    String id = run(socket, "sleep 60");
    long closedAt = System.nanoTime();
    socket.close();

    Thread.sleep(GRACE_MS / 3);
    assertThat(alice.get("/api/v1/processes/" + id).json().getString("state")).isEqualTo("running");
    JsonObject ended = awaitEnd(alice, id);
    assertThat(ended.getString("reason")).isEqualTo("client_disconnected");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt)).isGreaterThanOrEqualTo(GRACE_MS);
  }

  @Test
  void theGraceStartsWhenTheLastSocketOfTheSessionCloses() throws Exception {
    FeedSocket first = login(Tokens.ALICE, "twin");
    FeedSocket second = login(Tokens.ALICE, "twin");
    String id = run(first, "sleep 60");
    first.close();

    Thread.sleep(GRACE_MS + 1000);
    assertThat(alice.get("/api/v1/processes/" + id).json().getString("state")).isEqualTo("running");
    second.close();
    assertThat(awaitEnd(alice, id).getString("reason")).isEqualTo("client_disconnected");
  }

  @Test
  void anotherPrincipalWithTheSameSessionTakesNothing() throws Exception {
    FeedSocket socket = login(Tokens.ALICE, "shared");
    String id = run(socket, "sleep 60");
    socket.close();

    FeedSocket bob = FeedSocket.connectWithoutToken(vertx, port);
    bob.send(auth(Tokens.BOB, "shared"));
    JsonObject ack = bob.await("bob's ack", frame -> "ack".equals(frame.getString("type")));
    assertThat(ack.getJsonArray("processes")).isEmpty();
    assertThat(awaitEnd(alice, id).getString("reason")).isEqualTo("client_disconnected");
    bob.close();
  }

  @Test
  void aBadSessionIsRefused() throws Exception {
    FeedSocket socket = FeedSocket.connectWithoutToken(vertx, port);
    socket.send(auth(Tokens.ALICE, "no spaces/or slashes"));
    JsonObject error = socket.await("the refusal", frame -> "error".equals(frame.getString("type")));
    assertThat(error.getString("error")).isEqualTo("invalid_request");
    socket.awaitClosed();
  }

  private FeedSocket login(String token, String session) throws Exception {
    FeedSocket socket = FeedSocket.connectWithoutToken(vertx, port);
    socket.send(auth(token, session));
    socket.await("the auth's ack", frame -> "ack".equals(frame.getString("type")));
    return socket;
  }

  private static JsonObject auth(String token, String session) {
    return new JsonObject().put("type", "auth").put("token", token).put("session", session);
  }

  private static String run(FeedSocket socket, String command) throws Exception {
    socket.send(new JsonObject().put("type", "run").put("command", command).put("requestId", "run"));
    JsonObject ack = socket.await("the run's ack", frame -> "run".equals(frame.getValue("requestId")));
    assertThat(ack.getString("type")).as(ack.encode()).isEqualTo("ack");
    return ack.getJsonObject("record").getString("id");
  }

  private static boolean isOutputOf(JsonObject frame, String id) {
    return "output".equals(frame.getString("type")) && id.equals(frame.getString("id"));
  }
}
