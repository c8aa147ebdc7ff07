package io.isometry.http;

import io.isometry.config.ConfigLoader;
import io.isometry.contract.Addresses;
import io.isometry.testing.Await;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static io.isometry.http.EngineStandIn.answer;
import static io.isometry.http.HttpApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** Tokens, roles, the engine's own token, the rate limit and the headers, in front of a stand-in supervisor. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AuthTest {

  private static final JsonObject RECORD = new JsonObject().put("id", "p-1").put("state", "queued");

  @ParameterizedTest
  @CsvSource({"GET, /api/v1/processes", "POST, /api/v1/processes", "GET, /api/v1/stats",
      "GET, /api/v1/capabilities", "POST, /api/v1/processes/p-1/cancel", "GET, /api/v1/nothing"})
  void everyApiRouteNeedsAValidToken(HttpMethod method, String path, Vertx vertx) throws Exception {
    RestCalls rest = new RestCalls(HttpApiTest.deployHttp(vertx, 65536), null);

    RestCalls.Reply missing = rest.send(method, path, "{}");
    RestCalls.Reply wrong = rest.as("not-a-token-of-this-engine").send(method, path, "{}");

    assertError(missing, 401, "unauthorized");
    assertThat(missing.headers().get("WWW-Authenticate")).startsWith("Bearer");
    assertError(wrong, 401, "unauthorized");
  }

  @Test
  void healthAndTheConsoleNeedNoTokenAndCarryTheSecurityHeaders(Vertx vertx) throws Exception {
    RestCalls rest = new RestCalls(HttpApiTest.deployHttp(vertx, 65536), null);

    RestCalls.Reply health = rest.get("/health");
    RestCalls.Reply console = rest.get("/");
    RestCalls.Reply script = rest.get("/js/app.js");

    assertThat(health.status()).isEqualTo(200);
    assertThat(console.status()).isEqualTo(200);
    assertThat(console.contentType()).startsWith("text/html");
    assertThat(console.body()).contains("<title>Isometry</title>").doesNotContain("<script>");
    assertThat(script.contentType()).contains("javascript");
    for (RestCalls.Reply reply : new RestCalls.Reply[] {health, console, script}) {
      assertThat(reply.headers().get("Content-Security-Policy"))
          .contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline");
      assertThat(reply.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(reply.headers().get("Referrer-Policy")).isEqualTo("no-referrer");
      assertThat(reply.headers().get("Access-Control-Allow-Origin")).as("CORS is off").isNull();
    }
    for (RestCalls.Reply file : new RestCalls.Reply[] {console, script}) {
      assertThat(file.headers().get("Cache-Control")).as("revalidated, never kept as immutable").isEqualTo("no-cache");
    }
  }

  @Test
  void requestsCarryTheTokenSPrincipalAndRoleWhateverTheClientSays(Vertx vertx) throws Exception {
    RestCalls rest = new RestCalls(HttpApiTest.deployHttp(vertx, 65536), Tokens.VIEWER);
    CompletableFuture<Message<Object>> listed = answer(vertx, Addresses.LIST, message -> message.reply(
        new JsonObject().put("items", new JsonArray())));

    assertThat(rest.get("/api/v1/processes?owner=root&role=admin").status()).isEqualTo(200);

    Message<Object> request = listed.get(10, TimeUnit.SECONDS);
    assertThat(request.headers().get(Addresses.HEADER_OWNER)).isEqualTo("vera");
    assertThat(request.headers().get(Addresses.HEADER_ROLE)).isEqualTo("viewer");
  }

  @ParameterizedTest
  @CsvSource({"/api/v1/processes", "/api/v1/processes/p-1/cancel", "/api/v1/processes/p-1/suspend"})
  void aViewerMayNotRunOrControl(String path, Vertx vertx) throws Exception {
    RestCalls rest = new RestCalls(HttpApiTest.deployHttp(vertx, 65536), Tokens.VIEWER);

    assertError(rest.post(path, new JsonObject().put("command", "echo hi")), 403, "forbidden");
  }

  @Test
  void submitsOverTheRateAreRefusedWithRetryAfter(Vertx vertx) throws Exception {
    int port = HttpApiTest.deployHttp(vertx, new JsonObject().put("http", new JsonObject()
        .put("tcpBridgePort", -1).put("submitRatePerSecond", 1).put("submitBurst", 2))).port();
    answer(vertx, Addresses.SUBMIT, message -> message.reply(RECORD));
    RestCalls alice = new RestCalls(port, Tokens.ALICE);
    JsonObject body = new JsonObject().put("command", "echo hi");

    assertThat(alice.post("/api/v1/processes", body).status()).isEqualTo(202);
    assertThat(alice.post("/api/v1/processes", body).status()).isEqualTo(202);
    RestCalls.Reply limited = alice.post("/api/v1/processes", body);
    RestCalls.Reply bob = alice.as(Tokens.BOB).post("/api/v1/processes", body);

    assertError(limited, 429, "rate_limited");
    assertThat(Long.parseLong(limited.headers().get("Retry-After"))).isBetween(1L, 2L);
    assertThat(limited.json().getLong("retryAfterMs")).isPositive();
    assertThat(bob.status()).as("each principal has a bucket of its own").isEqualTo(202);
  }

  @Test
  void withoutConfiguredTokensTheEngineMakesOneKeepsItPrivateAndReusesIt(Vertx vertx, @TempDir Path dataDir)
      throws Exception {
    JsonObject config = ConfigLoader.withOverrides(new JsonObject()
        .put("http", new JsonObject().put("port", 0).put("tcpBridgePort", -1)).put("dataDir", dataDir.toString()));
    HttpVerticle first = new HttpVerticle();
    String firstDeployment = Await.result(vertx.deployVerticle(first, new DeploymentOptions().setConfig(config)));
    Path tokenFile = dataDir.resolve("token");
    String token = Files.readString(tokenFile).strip();
    Await.result(vertx.undeploy(firstDeployment));
    HttpVerticle second = new HttpVerticle();
    Await.result(vertx.deployVerticle(second, new DeploymentOptions().setConfig(config)));

    assertThat(token).hasSizeGreaterThanOrEqualTo(32);
    assertThat(Files.getPosixFilePermissions(tokenFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(tokenFile).strip()).as("kept across restarts").isEqualTo(token);
    answer(vertx, Addresses.STATS, message -> message.reply(new JsonObject()));
    assertThat(new RestCalls(second.port(), token).get("/api/v1/stats").status()).isEqualTo(200);
    assertThat(new RestCalls(second.port(), null).get("/api/v1/stats").status()).isEqualTo(401);
  }

  @Test
  void aSocketAuthenticatesWithAFirstMessage(Vertx vertx) throws Exception {
    int port = HttpApiTest.deployHttp(vertx, 65536);
    FeedSocket socket = FeedSocket.connectWithoutToken(vertx, port);

    socket.send(new JsonObject().put("type", "auth").put("token", Tokens.ALICE).put("requestId", "a"));

    JsonObject ack = socket.await("auth ack", frame -> "a".equals(frame.getValue("requestId")));
    assertThat(ack).isEqualTo(new JsonObject().put("type", "ack").put("requestId", "a")
        .put("principal", "alice").put("role", "operator"));
    vertx.eventBus().publish(Addresses.EVENT_STATS, new JsonObject().put("type", "stats").put("n", 1));
    socket.await("stats", frame -> "stats".equals(frame.getString("type")));
  }

  @Test
  void aSocketThatDoesNotAuthenticateGetsNothingAndIsClosed(Vertx vertx) throws Exception {
    int port = HttpApiTest.deployHttp(vertx, 65536);
    FeedSocket socket = FeedSocket.connectWithoutToken(vertx, port);

    vertx.eventBus().publish(Addresses.EVENT_STATS, new JsonObject().put("type", "stats"));
    socket.send(new JsonObject().put("type", "run").put("command", "echo hi"));

    socket.awaitClosed();
    assertThat(socket.socket().closeStatusCode()).isEqualTo(FeedClient.UNAUTHENTICATED);
    assertThat(socket.frames()).hasSize(1).allSatisfy(frame -> assertThat(frame.getString("error")).isEqualTo("unauthorized"));
  }

  @Test
  void aSocketWithAWrongTokenOrAForeignOriginIsRefusedAtTheHandshake(Vertx vertx) throws Exception {
    int port = HttpApiTest.deployHttp(vertx, 65536);
    WebSocketConnectOptions base = new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1")
        .setURI(ApiRouter.WEB_SOCKET_PATH);

    Throwable wrongToken = catchFailure(vertx, new WebSocketConnectOptions(base).addHeader("Authorization", "Bearer nope"));
    Throwable foreign = catchFailure(vertx, new WebSocketConnectOptions(base)
        .addHeader("Authorization", "Bearer " + Tokens.ADMIN).addHeader("Origin", "http://evil.example"));

    assertThat(wrongToken).hasMessageContaining("401");
    assertThat(foreign).hasMessageContaining("403");
  }

  @Test
  void withoutATokenNothingOfARequestIsJudgedButTheToken(Vertx vertx) throws Exception {
    RestCalls anonymous = new RestCalls(HttpApiTest.deployHttp(vertx, 65536), null);

    RestCalls.Reply form = anonymous.post("/api/v1/processes", "application/x-www-form-urlencoded", "command=ls");
    RestCalls.Reply huge = anonymous.post("/api/v1/processes", "{\"command\": \"" + "x".repeat(100_000) + "\"}");

    assertError(form, 401, "unauthorized");
    assertError(huge, 401, "unauthorized");
  }

  @Test
  void aRefusedHandshakeGetsTheContractSErrorAndTheSecurityHeaders(Vertx vertx) throws Exception {
    int port = HttpApiTest.deployHttp(vertx, 65536);

    assertRefused(port, RawWebSocket.handshake("Authorization: Bearer nope\r\n"), 401, "unauthorized");
    assertRefused(port, RawWebSocket.handshake("Authorization: Bearer " + Tokens.ADMIN
        + "\r\nOrigin: http://evil.example\r\n"), 403, "forbidden");
    // Not an upgrade, at a spelling of the feed's path the router would also have matched.
    assertRefused(port, "GET " + ApiRouter.WEB_SOCKET_PATH + "/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer " + Tokens.ADMIN + "\r\n", 400, "invalid_request");
  }

  private static void assertRefused(int port, String head, int status, String error) throws Exception {
    try (RawWebSocket socket = RawWebSocket.request(port, 65536, head)) {
      String answer = socket.readHead();
      assertThat(answer).startsWith("HTTP/1.1 " + status)
          .containsIgnoringCase("content-security-policy: " + SecurityHeaders.CONTENT_SECURITY_POLICY)
          .containsIgnoringCase("x-content-type-options: nosniff")
          .containsIgnoringCase("cache-control: no-store")
          .containsIgnoringCase("content-type: application/json");
      assertThat(new JsonObject(socket.readBody(answer)).getString("error")).isEqualTo(error);
    }
  }

  @Test
  void aPageOfTheEngineSOwnOriginMayOpenTheFeed(Vertx vertx) throws Exception {
    int port = HttpApiTest.deployHttp(vertx, 65536);

    FeedSocket socket = FeedSocket.open(vertx, new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1")
        .setURI(ApiRouter.WEB_SOCKET_PATH).addHeader("Origin", "http://127.0.0.1:" + port));

    assertThat(socket.socket().isClosed()).isFalse();
  }

  private static Throwable catchFailure(Vertx vertx, WebSocketConnectOptions options) {
    try {
      Await.result(vertx.createWebSocketClient().connect(options));
    } catch (Exception failure) {
      return failure;
    }
    throw new AssertionError("the handshake was accepted");
  }

}
