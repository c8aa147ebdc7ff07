package io.isometry.http;

import static io.isometry.http.EngineStandIn.answer;
import static io.isometry.http.HttpApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.contract.Addresses;
import io.isometry.contract.Fields;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The REST API in front of a stand-in for the supervisor: requests arrive on the right addresses with
 * the right bodies and headers, and answers and failures come back with the right status.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RestRelayTest {

  private static final JsonObject RECORD = new JsonObject().put("id", "p-1").put("state", "queued");

  private Vertx vertx;
  private RestCalls rest;

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    this.vertx = vertx;
    rest = new RestCalls(HttpApiTest.deployHttp(vertx, 65536), Tokens.ADMIN);
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "application/merge-patch+json"})
  void aJsonBodyMaySaySoInAnySpelling(String type) throws Exception {
    CompletableFuture<Message<Object>> received = answer(vertx, Addresses.SUBMIT, message -> message.reply(RECORD));

    RestCalls.Reply reply = rest.post("/api/v1/processes", type, new JsonObject().put("command", "date +%s").encode());

    assertThat(reply.status()).isEqualTo(202);
    assertThat(((JsonObject) received.get(10, TimeUnit.SECONDS).body()).getString("command")).isEqualTo("date +%s");
  }

  @Test
  void submitPassesTheBodyAsItIsForTheTokenSPrincipal() throws Exception {
    CompletableFuture<Message<Object>> received = answer(vertx, Addresses.SUBMIT, message -> message.reply(RECORD));
    JsonObject body = new JsonObject().put("command", "echo hello").put("background", true).put("surprise", 1);

    RestCalls.Reply reply = rest.post("/api/v1/processes", body);

    assertThat(reply.status()).isEqualTo(202);
    assertThat(reply.contentType()).startsWith("application/json");
    assertThat(reply.json()).isEqualTo(RECORD);
    Message<Object> request = received.get(10, TimeUnit.SECONDS);
    assertThat(request.body()).isEqualTo(body);
    assertThat(request.headers().get(Addresses.HEADER_OWNER)).isEqualTo("root");
    assertThat(request.headers().get(Addresses.HEADER_ROLE)).isEqualTo("admin");
    assertThat(request.headers().contains(Addresses.HEADER_CLIENT)).as("REST processes belong to no connection")
        .isFalse();
  }

  @ParameterizedTest
  @CsvSource({"cancel, " + Addresses.CANCEL, "suspend, " + Addresses.SUSPEND, "resume, " + Addresses.RESUME,
      "background, " + Addresses.BACKGROUND})
  void controlSendsTheIdAndAnswersAccepted(String action, String address) throws Exception {
    CompletableFuture<Message<Object>> received = answer(vertx, address, message -> message.reply(RECORD));

    RestCalls.Reply reply = rest.post("/api/v1/processes/p-7/" + action, "");

    assertThat(reply.status()).isEqualTo(202);
    assertThat(reply.json()).isEqualTo(RECORD);
    assertThat(received.get(10, TimeUnit.SECONDS).body()).isEqualTo(new JsonObject().put("id", "p-7"));
  }

  @Test
  void getSendsTheId() throws Exception {
    CompletableFuture<Message<Object>> received = answer(vertx, Addresses.GET, message -> message.reply(RECORD));

    RestCalls.Reply reply = rest.get("/api/v1/processes/p-7");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json()).isEqualTo(RECORD);
    assertThat(received.get(10, TimeUnit.SECONDS).body()).isEqualTo(new JsonObject().put("id", "p-7"));
  }

  @Test
  void listPassesStateAndLimit() throws Exception {
    JsonObject items = new JsonObject().put("items", new JsonArray().add(RECORD));
    CompletableFuture<Message<Object>> received = answer(vertx, Addresses.LIST, message -> message.reply(items));

    RestCalls.Reply reply = rest.get("/api/v1/processes?state=running&limit=5");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json()).isEqualTo(items);
    assertThat(received.get(10, TimeUnit.SECONDS).body())
        .isEqualTo(new JsonObject().put("state", "running").put("limit", 5));
  }

  @Test
  void listTakesEmptyParametersForAbsentOnes() throws Exception {
    CompletableFuture<Message<Object>> received = answer(vertx, Addresses.LIST,
        message -> message.reply(new JsonObject().put("items", new JsonArray())));

    assertThat(rest.get("/api/v1/processes?state=&limit=").status()).isEqualTo(200);
    assertThat(received.get(10, TimeUnit.SECONDS).body()).isEqualTo(new JsonObject());
  }

  @Test
  void outputAnswersTheRetainedTextOfTheAskedStream() throws Exception {
    CompletableFuture<Message<Object>> received = answer(vertx, Addresses.OUTPUT, message -> message.reply(
        new JsonObject().put("id", "p-7").put("stream", "stderr").put("offset", 4096).put("data", "oops ✓\n")));

    RestCalls.Reply reply = rest.get("/api/v1/processes/p-7/output?stream=stderr");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).isEqualTo("text/plain; charset=utf-8");
    assertThat(reply.body()).isEqualTo("oops ✓\n");
    assertThat(reply.headers().get(Fields.OUTPUT_OFFSET_HEADER)).as("where the retained text starts").isEqualTo("4096");
    assertThat(received.get(10, TimeUnit.SECONDS).body())
        .isEqualTo(new JsonObject().put("id", "p-7").put("stream", "stderr"));
  }

  @Test
  void outputReadsStdoutUnlessToldOtherwise() throws Exception {
    CompletableFuture<Message<Object>> received = answer(vertx, Addresses.OUTPUT,
        message -> message.reply(new JsonObject().put("data", "hello\n")));

    assertThat(rest.get("/api/v1/processes/p-7/output").body()).isEqualTo("hello\n");
    assertThat(((JsonObject) received.get(10, TimeUnit.SECONDS).body()).getString("stream")).isEqualTo("stdout");
  }

  @Test
  void statsAndValidateAnswerOk() throws Exception {
    JsonObject stats = new JsonObject().put("running", 0).put("queued", 0);
    JsonObject verdict = new JsonObject().put("allowed", true).put("violations", new JsonArray());
    answer(vertx, Addresses.STATS, message -> message.reply(stats));
    answer(vertx, Addresses.VALIDATE, message -> message.reply(verdict));

    RestCalls.Reply statsReply = rest.get("/api/v1/stats");
    RestCalls.Reply validateReply = rest.post("/api/v1/validate", new JsonObject().put("command", "ls"));

    assertThat(statsReply.status()).isEqualTo(200);
    assertThat(statsReply.json()).isEqualTo(stats);
    assertThat(validateReply.status()).isEqualTo(200);
    assertThat(validateReply.json()).isEqualTo(verdict);
  }

  @Test
  void aBodyMayCarryCommentsAsBefore() throws Exception {
    CompletableFuture<Message<Object>> received = answer(vertx, Addresses.VALIDATE,
        message -> message.reply(new JsonObject().put("allowed", true)));

    RestCalls.Reply reply = rest.post("/api/v1/validate", "{\"command\": \"ls\" /* a note */}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(((JsonObject) received.get(10, TimeUnit.SECONDS).body()).getString("command")).isEqualTo("ls");
  }

  @Test
  void aFullQueueSaysWhenToTryAgain() throws Exception {
    answer(vertx, Addresses.SUBMIT, message -> message.fail(429,
        new JsonObject().put("error", "queue_full").put("message", "the queue is full").encode()));

    RestCalls.Reply reply = rest.post("/api/v1/processes", new JsonObject().put("command", "ls"));

    assertThat(reply.status()).isEqualTo(429);
    assertThat(reply.json().getString("error")).isEqualTo("queue_full");
    assertThat(reply.headers().get("Retry-After")).isEqualTo("1");
  }

  @Test
  void failuresComeBackWithTheirStatusAndEveryField() throws Exception {
    JsonObject violation = new JsonObject().put("type", "command_not_allowed").put("severity", "high");
    JsonObject error = new JsonObject().put("error", "security_violation").put("message", "refused")
        .put("violations", new JsonArray().add(violation));
    answer(vertx, Addresses.SUBMIT, message -> message.fail(403, error.encode()));

    RestCalls.Reply reply = rest.post("/api/v1/processes", new JsonObject().put("command", "rm -rf /"));

    assertError(reply, 403, "security_violation");
    assertThat(reply.json()).isEqualTo(error);
  }

  @Test
  void conflictsAndUnknownIdsKeepTheirCodes() throws Exception {
    answer(vertx, Addresses.CANCEL, message -> message.fail(409,
        new JsonObject().put("error", "invalid_state").put("message", "it has finished").encode()));
    answer(vertx, Addresses.GET, message -> message.fail(404,
        new JsonObject().put("error", "not_found").put("message", "no process p-9").encode()));

    assertError(rest.post("/api/v1/processes/p-9/cancel", ""), 409, "invalid_state");
    assertError(rest.get("/api/v1/processes/p-9"), 404, "not_found");
  }

  @Test
  void anAnswerThatIsNotAnObjectIsAnInternalErrorWithoutDetails() throws Exception {
    answer(vertx, Addresses.STATS, message -> message.reply("surprise"));
    answer(vertx, Addresses.GET, message -> message.fail(500, "java.lang.NullPointerException at Supervisor.java:12"));

    RestCalls.Reply notAnObject = rest.get("/api/v1/stats");
    RestCalls.Reply notAnError = rest.get("/api/v1/processes/p-1");

    assertError(notAnObject, 500, "internal_error");
    assertError(notAnError, 500, "internal_error");
    assertThat(notAnError.body()).doesNotContain("NullPointerException");
  }

}
