package io.isometry.journal;

import static io.isometry.journal.Records.ended;
import static io.isometry.journal.Records.plan;
import static io.isometry.journal.Records.record;
import static io.isometry.testing.Await.failure;
import static io.isometry.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.config.ConfigLoader;
import io.isometry.contract.Addresses;
import io.isometry.contract.Caller;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Timestamps;
import io.isometry.metrics.EngineMetrics;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The journal on a real event bus, as the supervisor, the cleanup sweep and the bridges speak to it. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class JournalVerticleTest {

  @TempDir
  Path dir;
  private Vertx vertx;
  private String deployment;

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    this.vertx = vertx;
    JsonObject config = ConfigLoader.withOverrides(new JsonObject().put("dataDir", dir.toString()).put("node", "test")
        .put("journal", new JsonObject().put("outputRetainBytes", 16)));
    deployment = result(vertx.deployVerticle(new JournalVerticle(), new DeploymentOptions().setConfig(config)));
  }

  @Test
  void anAcceptIsAnsweredOnlyOnceTheRecordIsInTheDatabaseFile() throws Exception {
    JsonObject record = record("p-1", "alice", "ls -la", "queued", 1);
    // Look in the file from another connection the moment the answer arrives, before anything else runs.
    Future<String> seen = request(Addresses.JOURNAL_ACCEPT, new JsonObject().put("record", record).put("plan", plan("ls")))
        .map(answer -> {
          assertThat(answer).isEqualTo(new JsonObject());
          return sql("SELECT record || ' ' || plan FROM processes WHERE id = 'p-1'");
        });

    assertThat(result(seen)).isEqualTo(record.encode() + " " + plan("ls").encode());
  }

  @Test
  void lifecycleEventsBecomeTheRecordAndItsTransitionsInOrder() throws Exception {
    JsonObject queued = record("p-1", "alice", "sleep 1", "queued", 1);
    result(request(Addresses.JOURNAL_ACCEPT, new JsonObject().put("record", queued).put("plan", plan("sleep 1"))));
    for (String state : List.of("queued", "running", "suspended", "running")) {
      publishProcess(queued.copy().put("state", state));
    }
    JsonObject done = ended(queued, "cancelled", "cancelled", 3);
    publishProcess(done);

    assertThat(result(request(Addresses.JOURNAL_GET, new JsonObject().put("id", "p-1")))).isEqualTo(done);
    assertThat(sql("SELECT group_concat(state, ',') FROM (SELECT state FROM transitions WHERE id = 'p-1' ORDER BY seq)"))
        .isEqualTo("queued,running,suspended,running,cancelled");
  }

  @Test
  void recoveryAnswersTheLiveRecordsWithTheirPlansOldestFirst() throws Exception {
    result(request(Addresses.JOURNAL_ACCEPT, new JsonObject().put("record", record("p-2", "a", "ls", "queued", 2))
        .put("plan", plan("ls"))));
    result(request(Addresses.JOURNAL_ACCEPT, new JsonObject().put("record", record("p-1", "a", "sleep 9", "queued", 1))
        .put("plan", plan("sleep 9"))));
    publishProcess(record("p-1", "a", "sleep 9", "running", 1).put("pid", 4242).put("pidStartTicks", 99));
    publishProcess(ended(record("p-0", "a", "true", "running", 0), "succeeded", "exit", 1));

    JsonArray live = result(request(Addresses.JOURNAL_RECOVER, new JsonObject())).getJsonArray("live");

    assertThat(live).hasSize(2);
    assertThat(live.getJsonObject(0).getJsonObject("record").getInteger("pid")).isEqualTo(4242);
    assertThat(live.getJsonObject(0).getJsonObject("plan")).isEqualTo(plan("sleep 9"));
    assertThat(live.getJsonObject(1).getJsonObject("record").getString("id")).isEqualTo("p-2");
  }

  @Test
  void aDispatchIsAnsweredOnceItsMarkIsInTheFileAndRecoveryReportsIt() throws Exception {
    result(request(Addresses.JOURNAL_ACCEPT, new JsonObject().put("record", record("p-1", "a", "ls", "queued", 1))
        .put("plan", plan("ls")).put("dispatched", true)));
    result(request(Addresses.JOURNAL_ACCEPT, new JsonObject().put("record", record("p-2", "a", "ls", "queued", 2))
        .put("plan", plan("ls"))));
    Future<String> seen = request(Addresses.JOURNAL_DISPATCH, new JsonObject().put("id", "p-2"))
        .map(answer -> sql("SELECT COUNT(*) FROM processes WHERE dispatched_at IS NOT NULL"));

    assertThat(result(seen)).isEqualTo("2");
    assertThat(code(request(Addresses.JOURNAL_DISPATCH, new JsonObject().put("id", "p-9"))))
        .as("never accepted: it must not start").isEqualTo(ErrorCode.NOT_FOUND);
    JsonArray live = result(request(Addresses.JOURNAL_RECOVER, new JsonObject())).getJsonArray("live");
    assertThat(live.stream().map(entry -> ((JsonObject) entry).getBoolean("dispatched")).toList()).containsExactly(true, true);
  }

  @Test
  void outputIsKeptBoundedAndUnknownRecordsAreNotFound() throws Exception {
    publishProcess(ended(record("p-1", "alice", "seq 100", "running", 1), "succeeded", "exit", 2));
    vertx.eventBus().send(Addresses.JOURNAL_OUTPUT,
        new JsonObject().put("id", "p-1").put("stdout", "0123456789abcdefghij").put("stderr", "oops"));

    assertThat(result(request(Addresses.JOURNAL_OUTPUT_GET, new JsonObject().put("id", "p-1"))))
        .isEqualTo(new JsonObject().put("id", "p-1").put("stream", "stdout").put("data", "456789abcdefghij")
            .put("truncated", true));
    assertThat(result(request(Addresses.JOURNAL_OUTPUT_GET, new JsonObject().put("id", "p-1").put("stream", "stderr")))
        .getString("data")).isEqualTo("oops");
    assertThat(code(request(Addresses.JOURNAL_OUTPUT_GET, new JsonObject().put("id", "p-9")))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(code(request(Addresses.JOURNAL_GET, new JsonObject().put("id", "p-9")))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(code(request(Addresses.JOURNAL_OUTPUT_GET, new JsonObject().put("id", "p-1").put("stream", "stdin"))))
        .isEqualTo(ErrorCode.INVALID_REQUEST);
  }

  @Test
  void evictionDeletesFinishedRecordsOlderThanAskedAndOldRejections() throws Exception {
    publishProcess(ended(record("p-old", "a", "ls", "running", 1), "succeeded", "exit", 2));
    JsonObject recent = record("p-new", "a", "ls", "running", 1)
        .put("state", "succeeded").put("endedAt", Timestamps.format(Instant.now()));
    publishProcess(recent);
    vertx.eventBus().publish(Addresses.EVENT_REJECTED, rejection("mallory", "2026-01-01T00:00:00.000Z"));

    JsonObject answer = result(request(Addresses.JOURNAL_EVICT, new JsonObject().put("olderThanMs", 60_000)));

    assertThat(answer).isEqualTo(new JsonObject().put("deleted", 1).put("rejections", 1));
    assertThat(code(request(Addresses.JOURNAL_GET, new JsonObject().put("id", "p-old")))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(result(request(Addresses.JOURNAL_GET, new JsonObject().put("id", "p-new")))).isEqualTo(recent);
    assertThat(code(request(Addresses.JOURNAL_EVICT, new JsonObject().put("olderThanMs", -1))))
        .isEqualTo(ErrorCode.INVALID_REQUEST);
  }

  @Test
  void historyIsNewestFirstAndOperatorsSeeOnlyTheirOwn() throws Exception {
    publishProcess(record("p-1", "alice", "git status", "succeeded", 1));
    publishProcess(record("p-2", "bob", "git push", "succeeded", 2));
    publishProcess(record("p-3", "alice", "ls", "running", 3).put("label", "listing"));

    assertThat(history(new JsonObject(), "host", "admin")).containsExactly("p-3", "p-2", "p-1");
    assertThat(history(new JsonObject().put("q", "git"), "alice", "operator")).containsExactly("p-1");
    assertThat(history(new JsonObject().put("q", "git"), "alice", "viewer")).containsExactly("p-2", "p-1");
    assertThat(history(new JsonObject().put("q", "LIST"), "carol", "admin")).containsExactly("p-3");
    assertThat(history(new JsonObject().put("limit", 1), "host", "admin")).containsExactly("p-3");
    assertThat(code(historyRequest(new JsonObject().put("limit", 501), "host", "admin"))).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(code(historyRequest(new JsonObject().put("q", 7), "host", "admin"))).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(code(historyRequest(new JsonObject(), "alice", "root"))).isEqualTo(ErrorCode.FORBIDDEN);
  }

  @Test
  void anOperatorCannotReadAnotherOwnersRecordOrOutput() throws Exception {
    publishProcess(record("p-1", "bob", "ls", "succeeded", 1));
    DeliveryOptions alice = headers("alice", "operator");
    assertThat(code(vertx.eventBus().<JsonObject>request(Addresses.JOURNAL_GET, new JsonObject().put("id", "p-1"), alice)
        .map(Message::body))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(code(vertx.eventBus().<JsonObject>request(Addresses.JOURNAL_OUTPUT_GET, new JsonObject().put("id", "p-1"),
        alice).map(Message::body))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(result(vertx.eventBus().<JsonObject>request(Addresses.JOURNAL_GET, new JsonObject().put("id", "p-1"),
        headers("bob", "operator")).map(Message::body)).getString("owner")).isEqualTo("bob");
  }

  @Test
  void malformedMessagesGetAStructuredFailureAndTheJournalCarriesOn() throws Exception {
    assertThat(code(request(Addresses.JOURNAL_ACCEPT, new JsonObject().put("plan", plan("ls")))))
        .isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(code(request(Addresses.JOURNAL_ACCEPT, new JsonObject()
        .put("record", record("p-1", "a", "ls", "sleeping", 1)).put("plan", plan("ls"))))).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(code(request(Addresses.JOURNAL_ACCEPT, new JsonObject()
        .put("record", record("p-1", "a", "ls", "queued", 1))))).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(code(vertx.eventBus().<JsonObject>request(Addresses.JOURNAL_GET, "p-1").map(Message::body)))
        .isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(code(request(Addresses.JOURNAL_GET, new JsonObject()))).isEqualTo(ErrorCode.INVALID_REQUEST);
    vertx.eventBus().publish(Addresses.EVENT_PROCESS, new JsonObject().put("record", "not a record"));
    vertx.eventBus().publish(Addresses.EVENT_PROCESS, "not even JSON");
    vertx.eventBus().publish(Addresses.EVENT_REJECTED, new JsonObject().put("owner", "x"));
    vertx.eventBus().send(Addresses.JOURNAL_OUTPUT, new JsonObject().put("stdout", "no id"));
    publishProcess(record("p-2", "a", "ls", "queued", 2));

    assertThat(result(request(Addresses.JOURNAL_GET, new JsonObject().put("id", "p-2"))).getString("state"))
        .isEqualTo("queued");
  }

  @Test
  void rejectionsAreAuditedWithTheRequestAsGiven() throws Exception {
    vertx.eventBus().publish(Addresses.EVENT_REJECTED, rejection("mallory", "2026-05-01T00:00:00.000Z"));
    result(request(Addresses.JOURNAL_RECOVER, new JsonObject()));

    assertThat(sql("SELECT owner || ' ' || request || ' ' || violations || ' ' || at FROM rejections"))
        .isEqualTo("mallory {\"command\":\"cat /etc/shadow\",\"env\":[\"ISOMETRY_TOKEN\"]} "
            + "[{\"type\":\"unauthorized_file_access\"}] 2026-05-01T00:00:00.000Z");
  }

  @Test
  void undeployingClosesTheDatabaseCleanlyAndARestartKeepsEverything() throws Exception {
    JsonObject record = record("p-1", "alice", "ls", "queued", 1);
    result(request(Addresses.JOURNAL_ACCEPT, new JsonObject().put("record", record).put("plan", plan("ls"))));
    assertThat(EngineMetrics.registry(vertx).get("isometry.journal.write").timer().count()).isPositive();
    assertThat(EngineMetrics.registry(vertx).get("isometry.journal.rows").tag("kind", "accepted").counter().count())
        .isEqualTo(1.0);
    result(vertx.undeploy(deployment));

    Path wal = dir.resolve("journal.db-wal");
    assertThat(Files.exists(wal) ? Files.size(wal) : 0L).isZero();
    deploy(vertx);
    assertThat(result(request(Addresses.JOURNAL_GET, new JsonObject().put("id", "p-1")))).isEqualTo(record);
  }

  private List<String> history(JsonObject query, String owner, String role) throws Exception {
    List<String> ids = new ArrayList<>();
    result(historyRequest(query, owner, role)).getJsonArray("items")
        .forEach(item -> ids.add(((JsonObject) item).getString("id")));
    return ids;
  }

  private Future<JsonObject> historyRequest(JsonObject query, String owner, String role) {
    return vertx.eventBus().<JsonObject>request(Addresses.onNode("test", Addresses.HISTORY), query, headers(owner, role)).map(Message::body);
  }

  private static DeliveryOptions headers(String owner, String role) {
    DeliveryOptions options = new DeliveryOptions();
    if (owner != null) {
      options.addHeader(Addresses.HEADER_OWNER, owner);
    }
    if (role != null) {
      options.addHeader(Addresses.HEADER_ROLE, role);
    }
    return options;
  }

  private static JsonObject rejection(String owner, String at) {
    return new JsonObject().put("type", "rejected").put("owner", owner)
        .put("request", new JsonObject().put("command", "cat /etc/shadow").put("env", new JsonArray().add("ISOMETRY_TOKEN")))
        .put("violations", new JsonArray().add(new JsonObject().put("type", "unauthorized_file_access")))
        .put("at", at);
  }

  private void publishProcess(JsonObject record) {
    vertx.eventBus().publish(Addresses.EVENT_PROCESS, new JsonObject().put("type", "process").put("record", record));
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, Caller.trustedHost("host").headers()).map(Message::body);
  }

  private static ErrorCode code(Future<?> request) throws Exception {
    EngineError error = failure(request.recover(f -> Future.failedFuture(EngineError.from(f))));
    return error.code();
  }

  /** One value from the database file, through a connection of its own. */
  private String sql(String query) {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("journal.db"));
         Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery(query)) {
      return rows.next() ? rows.getString(1) : null;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
