package io.isometry.http;

import io.isometry.config.ConfigLoader;
import io.isometry.testing.Await;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP surface on its own, with nothing behind it on the event bus. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpApiTest {

  static final int MAX_BODY_BYTES = 2048;

  private int port;
  private RestCalls rest;

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    port = deployHttp(vertx, MAX_BODY_BYTES);
    rest = new RestCalls(port, Tokens.ADMIN);
  }

  /** Deploys an {@link HttpVerticle} (with the test {@link Tokens}, no TCP bridge) on a free port and answers that port. */
  static int deployHttp(Vertx vertx, int maxBodyBytes) throws Exception {
    return deployHttp(vertx, new JsonObject().put("http", new JsonObject().put("maxBodyBytes", maxBodyBytes)
        .put("tcpBridgePort", -1))).port();
  }

  /** Deploys an {@link HttpVerticle} with the test {@link Tokens} and {@code overrides} on a free port. */
  static HttpVerticle deployHttp(Vertx vertx, JsonObject overrides) throws Exception {
    JsonObject config = ConfigLoader.withOverrides(new JsonObject()
        .put("http", new JsonObject().put("port", 0)).put("auth", Tokens.auth()));
    config.mergeIn(overrides, true);
    HttpVerticle http = new HttpVerticle();
    Await.result(vertx.deployVerticle(http, new DeploymentOptions().setConfig(config)));
    return http;
  }

  @ParameterizedTest
  @ValueSource(strings = {"/health", "/api/v1/health"})
  void healthAnswersUp(String path) {
    RestCalls.Reply reply = rest.get(path);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("application/json");
    assertThat(reply.json()).isEqualTo(new JsonObject().put("status", "up"));
    assertThat(rest.as(null).send(HttpMethod.HEAD, path, null).status()).as("HEAD, without a token").isEqualTo(200);
    assertError(rest.post(path, new JsonObject()), 405, "method_not_allowed");
  }

  @ParameterizedTest
  @CsvSource({
      "414, a request line over the decoder's limit",
      "431, headers over the decoder's limit",
      "400, a head the decoder cannot read"})
  void aRequestTheDecoderCannotReadGetsTheContractSError(int status, String what) throws Exception {
    String head = switch (status) {
      case 414 -> "GET /api/v1/processes?q=" + "x".repeat(10_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
      case 431 -> "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: " + "x".repeat(20_000) + "\r\n";
      default -> "POST /api/v1/processes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n";
    };
    try (RawWebSocket socket = RawWebSocket.request(port, 65536, head)) {
      String answer = socket.readHead();

      // HTTP/1.0 when not even the request line could be read.
      assertThat(answer).as(what).containsPattern("^HTTP/1\\.[01] " + status + " ")
          .containsIgnoringCase("content-type: application/json")
          .containsIgnoringCase("x-content-type-options: nosniff");
      assertThat(new JsonObject(socket.readBody(answer)).getString("error")).isEqualTo("invalid_request");
    }
  }

  @Test
  void anotherMethodOnTheFeedSPathIsNotAllowed() {
    assertError(rest.post(ApiRouter.WEB_SOCKET_PATH, new JsonObject()), 405, "method_not_allowed");
  }

  @Test
  void aBodyThatGivesAKeyTwiceIsRefusedWhicheverComesFirst() {
    RestCalls.Reply reply = rest.post("/api/v1/validate", "{\"command\": \"cat /etc/passwd\", \"command\": \"ls\"}");

    assertError(reply, 400, "invalid_request");
    assertThat(reply.json().getString("message")).contains("twice", "command");
  }

  @Test
  void aBodyWithAnythingAfterItsObjectIsNotJson() {
    RestCalls.Reply reply = rest.post("/api/v1/validate", "{\"command\": \"ls\"} {\"command\": \"id\"}");

    assertError(reply, 400, "invalid_request");
    assertThat(reply.json().getString("message")).contains("not valid JSON");
  }

  @Test
  void aBodyOfAnotherTypeThanJsonIsRefusedWithTheFixInTheMessage() {
    // What curl -d sends by default; the '%' would have failed a form decoder without a word of why.
    RestCalls.Reply form = rest.post("/api/v1/processes", "application/x-www-form-urlencoded",
        new JsonObject().put("command", "date +%s").encode());

    assertError(form, 400, "invalid_request");
    assertThat(form.json().getString("message")).contains("Content-Type: application/json",
        "application/x-www-form-urlencoded");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/nothing", "/api/v1", "/api/v1/processes/p-1/explode", "/api/v2/processes", "/app.js.map"})
  void unknownRouteIsNotFoundAsJson(String path) {
    RestCalls.Reply reply = rest.get(path);

    assertError(reply, 404, "not_found");
  }

  @Test
  void unknownRouteIsNotFoundForAPostToo() {
    assertError(rest.post("/api/v1/explode", "{}"), 404, "not_found");
  }

  @ParameterizedTest
  @CsvSource({
      "DELETE, /api/v1/processes",
      "PUT, /api/v1/processes/p-1",
      "POST, /api/v1/stats",
      "GET, /api/v1/processes/p-1/cancel",
      "GET, /api/v1/validate",
      "POST, /health",
      "POST, /api/v1/processes/p-1/output"})
  void wrongMethodOnAKnownRouteIsNotAllowed(HttpMethod method, String path) {
    RestCalls.Reply reply = rest.send(method, path, method == HttpMethod.GET ? null : "{}");

    assertError(reply, 405, "method_not_allowed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1/processes", "/api/v1/validate", "/api/v1/processes/p-1/cancel"})
  void bodyOverTheLimitIsRefused(String path) {
    String body = new JsonObject().put("command", "echo " + "x".repeat(MAX_BODY_BYTES)).encode();

    assertError(rest.post(path, body), 413, "payload_too_large");
  }

  @Test
  void chunkedBodyOverTheLimitIsRefused() {
    Buffer body = Buffer.buffer("{\"command\":\"echo " + "x".repeat(4 * MAX_BODY_BYTES) + "\"}");

    assertError(rest.postChunked("/api/v1/processes", body), 413, "payload_too_large");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "not json", "[1, 2]", "\"echo hi\"", "42", "null", "{\"command\": \"echo\"} trailing"})
  void bodyThatIsNotAJsonObjectIsInvalid(String body) {
    assertError(rest.post("/api/v1/processes", body), 400, "invalid_request");
    assertError(rest.post("/api/v1/validate", body), 400, "invalid_request");
  }

  @ParameterizedTest
  @ValueSource(strings = {"limit=abc", "limit=0", "limit=-3", "limit=1.5", "limit=99999999999"})
  void listRefusesALimitThatIsNotAPositiveInteger(String query) {
    RestCalls.Reply reply = rest.get("/api/v1/processes?" + query);

    assertError(reply, 400, "invalid_request");
    assertThat(reply.json().getString("message")).contains("limit");
  }

  @Test
  void outputRefusesAnUnknownStream() {
    assertError(rest.get("/api/v1/processes/p-1/output?stream=stdin"), 400, "invalid_request");
  }

  @ParameterizedTest
  @CsvSource({
      "POST, /api/v1/processes",
      "POST, /api/v1/validate",
      "GET, /api/v1/processes",
      "GET, /api/v1/processes/p-1",
      "GET, /api/v1/processes/p-1/output",
      "POST, /api/v1/processes/p-1/cancel",
      "POST, /api/v1/processes/p-1/suspend",
      "POST, /api/v1/processes/p-1/resume",
      "POST, /api/v1/processes/p-1/background",
      "GET, /api/v1/stats"})
  void withoutAnEngineBehindItTheApiIsUnavailable(HttpMethod method, String path) {
    String body = method == HttpMethod.POST ? new JsonObject().put("command", "echo hello").encode() : null;

    assertError(rest.send(method, path, body), 503, "unavailable");
  }

  @Test
  void webSocketAddressRefusesAPlainRequest() {
    assertError(rest.get(ApiRouter.WEB_SOCKET_PATH), 400, "invalid_request");
  }

  static void assertError(RestCalls.Reply reply, int status, String code) {
    assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/json");
    JsonObject error = reply.json();
    assertThat(error.getString("error")).isEqualTo(code);
    assertThat(error.getString("message")).isNotBlank();
  }
}
