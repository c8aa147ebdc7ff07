package io.isometry.engine;

import static io.isometry.testing.EngineRest.TERMINAL_STATES;
import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.testing.EngineProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Idempotency-Key} on a real engine over REST: a retry with the same key answers the first
 * request's record and runs nothing, also after a restart (the key is in the journal); another
 * owner's same key is its own; a body field that contradicts the header is refused.
 */
@Timeout(120)
class IdempotencyTest {

  private static final String ALICE = "idempotency-alice-token-0123456789";
  private static final String BOB = "idempotency-bob-token-0123456789ab";
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path root;

  @Test
  void aRetryWithTheSameKeyAnswersTheFirstRecordAndRunsNothingEvenAfterARestart() throws Exception {
    Map<String, String> environment = environment();
    String first;
    try (EngineProcess engine = EngineProcess.start(environment)) {
      int port = engine.port();
      HttpResponse<String> answer = submit(port, ALICE, "echo once", "key-1");
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
      first = new JsonObject(answer.body()).getString("id");
      awaitTerminal(port, first);

      HttpResponse<String> retry = submit(port, ALICE, "echo once", "key-1");
      assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
      assertThat(new JsonObject(retry.body()).getString("id")).isEqualTo(first);
      assertThat(new JsonObject(retry.body()).getString("state")).as("the first record as it is now").isEqualTo("succeeded");

      HttpResponse<String> bobs = submit(port, BOB, "echo once", "key-1");
      assertThat(new JsonObject(bobs.body()).getString("id")).as("another owner's key is its own").isNotEqualTo(first);
      HttpResponse<String> contradicted = http.send(request(port, ALICE, "/api/v1/processes").header("Idempotency-Key", "key-2")
              .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("command", "echo x")
                  .put("idempotencyKey", "key-3").encode())).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(contradicted.statusCode()).as(contradicted.body()).isEqualTo(400);
      assertThat(engine.stop()).isIn(0, 143);
    }

    try (EngineProcess engine = EngineProcess.start(environment)) {
      int port = engine.port();
      HttpResponse<String> retry = submit(port, ALICE, "echo once", "key-1");
      assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
      assertThat(new JsonObject(retry.body()).getString("id")).as("durable across the restart").isEqualTo(first);
      JsonArray mine = get(port, ALICE, "/api/v1/history?q=once").getJsonArray("items");
      assertThat(mine).as("alice's command ran once").hasSize(1);
      assertThat(engine.stop()).isIn(0, 143);
    }
  }

  private Map<String, String> environment() throws Exception {
    Map<String, String> environment = EngineProcess.environment(root, root.resolve("data"), new JsonArray()
        .add(new JsonObject().put("token", ALICE).put("principal", "alice").put("role", "operator"))
        .add(new JsonObject().put("token", BOB).put("principal", "bob").put("role", "operator")));
    environment.put("ISOMETRY_SANDBOX_MODE", "off");
    return environment;
  }

  private HttpResponse<String> submit(int port, String token, String command, String key) throws Exception {
    return http.send(request(port, token, "/api/v1/processes").header("Idempotency-Key", key)
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("command", command).encode())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void awaitTerminal(int port, String id) throws Exception {
    for (int i = 0; i < 400; i++) {
      if (TERMINAL_STATES.contains(get(port, ALICE, "/api/v1/processes/" + id).getString("state"))) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError(id + " never ended");
  }

  private JsonObject get(int port, String token, String path) throws Exception {
    HttpResponse<String> response = http.send(request(port, token, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  private static HttpRequest.Builder request(int port, String token, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + token);
  }
}
