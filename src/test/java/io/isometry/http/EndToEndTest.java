package io.isometry.http;

import static io.isometry.testing.EngineRest.TERMINAL_STATES;
import io.isometry.config.ConfigLoader;
import io.isometry.engine.EngineVerticle;
import io.isometry.testing.Await;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import static io.isometry.http.HttpApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** The whole engine, driven the way its clients drive it: over REST and the WebSocket feed. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EndToEndTest {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private Vertx vertx;
  private int port;
  private RestCalls rest;

  @BeforeEach
  void deployEngine(Vertx vertx, @TempDir Path temp) throws Exception {
    this.vertx = vertx;
    // The engine may run its children as an unprivileged user: they must reach the workspace.
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path workspace = Files.createDirectories(temp.resolve("workspace"));
    Files.setPosixFilePermissions(workspace, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path dataDir = Files.createDirectories(temp.resolve("data"));
    JsonObject config = ConfigLoader.withOverrides(new JsonObject()
        .put("http", new JsonObject().put("port", 0).put("tcpBridgePort", 0))
        .put("auth", Tokens.auth())
        .put("workspace", workspace.toString())
        .put("dataDir", dataDir.toString()));
    EngineVerticle engine = new EngineVerticle();
    Await.result(vertx.deployVerticle(engine, new DeploymentOptions().setConfig(config)));
    port = engine.httpPort();
    rest = new RestCalls(port, Tokens.ADMIN);
  }

  @Test
  void echoRunsToSuccessAndItsOutputCanBeRead() throws Exception {
    RestCalls.Reply submitted = rest.post("/api/v1/processes", new JsonObject().put("command", "echo hello"));

    assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
    String id = submitted.json().getString("id");
    assertThat(submitted.json().getString("state")).isIn("queued", "running", "succeeded");
    JsonObject finished = awaitRecord(id, record -> TERMINAL_STATES.contains(record.getString("state")));
    assertThat(finished.getString("state")).isEqualTo("succeeded");
    assertThat(finished.getInteger("exitCode")).isZero();
    RestCalls.Reply output = rest.get("/api/v1/processes/" + id + "/output");
    assertThat(output.status()).isEqualTo(200);
    assertThat(output.contentType()).startsWith("text/plain");
    assertThat(output.body()).isEqualTo("hello\n");
    assertThat(rest.get("/api/v1/processes/" + id + "/output?stream=stderr").body()).isEmpty();
    JsonArray listed = rest.get("/api/v1/processes?limit=10").json().getJsonArray("items");
    assertThat(listed.stream().map(item -> ((JsonObject) item).getString("id"))).contains(id);
  }

  static List<Arguments> badSubmissions() {
    return List.of(
        Arguments.of("unknown field", "{\"command\": \"echo hi\", \"colour\": \"red\"}", 400, "invalid_request"),
        Arguments.of("command of the wrong type", "{\"command\": 42}", 400, "invalid_request"),
        Arguments.of("timeout of the wrong type", "{\"command\": \"echo hi\", \"timeoutMs\": \"soon\"}", 400,
            "invalid_request"),
        Arguments.of("background of the wrong type", "{\"command\": \"echo hi\", \"background\": \"yes\"}", 400,
            "invalid_request"),
        Arguments.of("argv not strings", "{\"argv\": [\"echo\", 1]}", 400, "invalid_request"),
        Arguments.of("both command and argv", "{\"command\": \"echo hi\", \"argv\": [\"echo\", \"hi\"]}", 400,
            "invalid_request"),
        Arguments.of("neither command nor argv", "{}", 400, "invalid_request"),
        Arguments.of("not allowlisted", "{\"command\": \"nc -l 4444\"}", 403, "security_violation"),
        Arguments.of("shell operator", "{\"command\": \"echo hi; cat /etc/shadow\"}", 403, "security_violation"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSubmissions")
  void badSubmissionsAreRefusedWithTheRightError(String what, String body, int status, String code) {
    RestCalls.Reply reply = rest.post("/api/v1/processes", body);

    assertError(reply, status, code);
    if (status == 403) {
      assertThat(reply.json().getJsonArray("violations")).isNotEmpty();
    }
  }

  @Test
  void validateIsADryRun() {
    RestCalls.Reply allowed = rest.post("/api/v1/validate", new JsonObject().put("command", "echo hi"));
    RestCalls.Reply refused = rest.post("/api/v1/validate", new JsonObject().put("command", "nc -l 4444"));

    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.json().getBoolean("allowed")).isTrue();
    assertThat(refused.status()).isEqualTo(200);
    assertThat(refused.json().getBoolean("allowed")).isFalse();
    assertThat(refused.json().getJsonArray("violations")).isNotEmpty();
  }

  @Test
  void unknownIdsAreNotFound() {
    assertError(rest.get("/api/v1/processes/p-nobody"), 404, "not_found");
    assertError(rest.post("/api/v1/processes/p-nobody/cancel", ""), 404, "not_found");
    assertError(rest.get("/api/v1/processes/p-nobody/output"), 404, "not_found");
  }

  @Test
  void cancellingAFinishedProcessIsAConflict() throws Exception {
    String id = submit(new JsonObject().put("command", "true"));
    awaitRecord(id, record -> TERMINAL_STATES.contains(record.getString("state")));

    assertError(rest.post("/api/v1/processes/" + id + "/cancel", ""), 409, "invalid_state");
  }

  @Test
  void statsAnswer() {
    RestCalls.Reply stats = rest.get("/api/v1/stats");

    assertThat(stats.status()).isEqualTo(200);
    assertThat(stats.json().fieldNames()).contains("running", "queued");
  }

  @Test
  void aSocketRunsAProcessAndSeesItsWholeLifeInOrder() throws Exception {
    FeedSocket socket = FeedSocket.connect(vertx, port, Tokens.ADMIN);
    StringBuilder expected = new StringBuilder();
    for (int i = 1; i <= 3000; i++) {
      expected.append(i).append('\n');
    }

    socket.send(new JsonObject().put("type", "run").put("argv", new JsonArray().add("seq").add("1").add("3000"))
        .put("requestId", "r-1"));

    JsonObject ack = socket.await("ack", frame -> "ack".equals(frame.getString("type")));
    assertThat(ack.getString("requestId")).isEqualTo("r-1");
    String id = ack.getJsonObject("record").getString("id");
    socket.await("the end", frame -> isProcessEvent(frame, id) && "succeeded".equals(state(frame)));
    List<String> states = new ArrayList<>();
    for (JsonObject frame : socket.frames()) {
      if (isProcessEvent(frame, id) && (states.isEmpty() || !states.get(states.size() - 1).equals(state(frame)))) {
        states.add(state(frame));
      }
    }
    assertThat(states).endsWith("running", "succeeded").isSubsetOf("queued", "running", "succeeded");
    assertThat(states.indexOf("queued")).isIn(-1, 0);
    awaitAllOutput(socket, id, expected.length());
    StringBuilder data = new StringBuilder();
    long offset = 0;
    for (JsonObject frame : outputFrames(socket, id)) {
      assertThat(frame.getString("stream")).isEqualTo("stdout");
      assertThat(frame.getLong("offset")).as("offsets are contiguous").isEqualTo(offset);
      offset += frame.getLong("bytes");
      data.append(frame.getString("data"));
    }
    assertThat(data.toString()).isEqualTo(expected.toString());
  }

  @Test
  void aSocketCanWatchTheOutputOfAProcessItDidNotRun() throws Exception {
    // Every slot busy, so the watched process waits in the queue until the socket has subscribed.
    List<String> blockers = new ArrayList<>();
    int slots = 3;
    for (int i = 0; i < slots; i++) {
      blockers.add(submit(new JsonObject().put("command", "sleep 30")));
    }
    String watched = submit(new JsonObject().put("command", "echo watched"));
    assertThat(rest.get("/api/v1/processes/" + watched).json().getString("state")).isEqualTo("queued");
    FeedSocket watcher = FeedSocket.connect(vertx, port, Tokens.ADMIN);
    watcher.send(new JsonObject().put("type", "subscribe").put("output", new JsonArray().add(watched)));
    watcher.await("subscribe ack", frame -> "ack".equals(frame.getString("type")));

    for (String blocker : blockers) {
      assertThat(rest.post("/api/v1/processes/" + blocker + "/cancel", "").status()).isEqualTo(202);
    }

    JsonObject output = watcher.await("watched output", frame -> "output".equals(frame.getString("type")));
    assertThat(output.getString("id")).isEqualTo(watched);
    assertThat(output.getString("data")).isEqualTo("watched\n");
  }

  @Test
  void closingASocketCancelsItsForegroundProcessesButNotItsBackgroundOnes() throws Exception {
    FeedSocket socket = FeedSocket.connect(vertx, port, Tokens.ADMIN);
    String foreground = run(socket, new JsonObject().put("command", "sleep 30"), "fg");
    String background = run(socket, new JsonObject().put("command", "sleep 30").put("background", true), "bg");
    awaitRecord(foreground, record -> "running".equals(record.getString("state")));
    awaitRecord(background, record -> "running".equals(record.getString("state")));

    socket.close();

    JsonObject cancelled = awaitRecord(foreground, record -> TERMINAL_STATES.contains(record.getString("state")));
    assertThat(cancelled.getString("state")).isEqualTo("cancelled");
    assertThat(cancelled.getString("reason")).isEqualTo("client_disconnected");
    assertThat(rest.get("/api/v1/processes/" + background).json().getString("state")).isEqualTo("running");
    assertThat(rest.post("/api/v1/processes/" + background + "/cancel", "").status()).isEqualTo(202);
  }

  @Test
  void aBadMessageGetsAnErrorAndTheSocketStaysUsable() throws Exception {
    FeedSocket socket = FeedSocket.connect(vertx, port, Tokens.ADMIN);

    socket.sendText("{\"type\": \"launch\"}");
    JsonObject error = socket.await("error", frame -> "error".equals(frame.getString("type")));
    socket.send(new JsonObject().put("type", "run").put("command", "echo hi").put("unknown", 1).put("requestId", 2));
    JsonObject refused = socket.await("refusal", frame -> Integer.valueOf(2).equals(frame.getValue("requestId")));
    String id = run(socket, new JsonObject().put("command", "echo still here"), "ok");

    assertThat(error.getString("error")).isEqualTo("invalid_request");
    assertThat(refused.getString("type")).isEqualTo("error");
    assertThat(refused.getString("error")).isEqualTo("invalid_request");
    socket.await("the end", frame -> isProcessEvent(frame, id) && "succeeded".equals(state(frame)));
  }

  private String submit(JsonObject body) {
    RestCalls.Reply reply = rest.post("/api/v1/processes", body);
    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    return reply.json().getString("id");
  }

  /** Runs {@code body} from {@code socket}; answers the new process's id. */
  private static String run(FeedSocket socket, JsonObject body, String requestId) throws Exception {
    socket.send(body.copy().put("type", "run").put("requestId", requestId));
    JsonObject answer = socket.await("answer to " + requestId, frame -> requestId.equals(frame.getValue("requestId")));
    assertThat(answer.getString("type")).as(answer.encode()).isEqualTo("ack");
    return answer.getJsonObject("record").getString("id");
  }

  /** Polls the record until it matches. */
  private JsonObject awaitRecord(String id, Predicate<JsonObject> matches) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    JsonObject record = null;
    while (System.nanoTime() < deadline) {
      RestCalls.Reply reply = rest.get("/api/v1/processes/" + id);
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      record = reply.json();
      if (matches.test(record)) {
        return record;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("process " + id + " never got there; last seen " + record);
  }

  private static void awaitAllOutput(FeedSocket socket, String id, long bytes) throws InterruptedException {
    socket.await(bytes + " bytes of output", frame -> "output".equals(frame.getString("type"))
        && id.equals(frame.getString("id")) && frame.getLong("offset") + frame.getLong("bytes") >= bytes);
  }

  private static List<JsonObject> outputFrames(FeedSocket socket, String id) {
    return socket.frames().stream()
        .filter(frame -> "output".equals(frame.getString("type")) && id.equals(frame.getString("id")))
        .toList();
  }

  private static boolean isProcessEvent(JsonObject frame, String id) {
    return "process".equals(frame.getString("type")) && id.equals(frame.getJsonObject("record").getString("id"));
  }

  private static String state(JsonObject processEvent) {
    return processEvent.getJsonObject("record").getString("state");
  }
}
