package io.isometry.journal;

import static io.isometry.journal.Records.ended;
import static io.isometry.journal.Records.plan;
import static io.isometry.journal.Records.record;
import static io.isometry.journal.Records.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.contract.Timestamps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on its own, on a real SQLite file: records, transitions, recovery, eviction, output, close. */
class JournalStoreTest {

  private static final String AT = "2026-01-01T00:00:00.000Z";

  @TempDir
  Path dir;
  private Journal journal;

  @BeforeEach
  void open() throws Exception {
    journal = Journal.open(dir, Records.settings(64));
  }

  @AfterEach
  void close() throws Exception {
    journal.close();
  }

  @Test
  void acceptStoresTheRecordAndThePlanWithAFirstTransition() throws Exception {
    JsonObject record = record("p-1", "alice", "ls -la", "queued", 1);
    boolean created = write(() -> journal.records().accept(row(record), plan("ls -la").encode(), false, null, AT));

    assertThat(created).isTrue();
    assertThat(new JsonObject(journal.records().get("p-1"))).isEqualTo(record);
    assertThat(journal.records().live()).containsExactly(
        new JsonObject().put("record", record).put("plan", plan("ls -la")).put("dispatched", false));
    assertThat(transitions("p-1")).containsExactly("1 queued");
  }

  @Test
  void everyStateChangeIsATransitionInOrderAndOtherChangesOnlyUpdateTheRecord() throws Exception {
    JsonObject queued = record("p-1", "alice", "sleep 5", "queued", 1);
    write(() -> journal.records().accept(row(queued), plan("sleep 5").encode(), false, null, AT));
    write(() -> journal.records().event(row(queued.copy().put("queuePosition", 2)), AT));
    write(() -> journal.records().event(row(queued.copy().put("state", "running").put("pid", 42)), AT));
    write(() -> journal.records().event(row(queued.copy().put("state", "suspended")), AT));
    write(() -> journal.records().event(row(queued.copy().put("state", "running").put("background", true)), AT));
    JsonObject done = ended(queued, "succeeded", "exit", 9);
    write(() -> journal.records().event(row(done), AT));

    assertThat(transitions("p-1")).containsExactly("1 queued", "2 running", "3 suspended", "4 running", "5 succeeded");
    assertThat(new JsonObject(journal.records().get("p-1"))).isEqualTo(done);
    assertThat(journal.records().live()).isEmpty();
  }

  @Test
  void anEventBeforeTheAcceptIsKeptAndTheAcceptOnlyAddsThePlan() throws Exception {
    JsonObject running = record("p-1", "alice", "ls", "running", 1);
    write(() -> journal.records().event(row(running), AT));
    boolean created = write(() -> journal.records().accept(row(record("p-1", "alice", "ls", "queued", 1)),
        plan("ls").encode(), false, null, AT));

    assertThat(created).isFalse();
    assertThat(journal.records().live()).containsExactly(new JsonObject().put("record", running).put("plan", plan("ls")).put("dispatched", false));
    assertThat(transitions("p-1")).containsExactly("1 running");
  }

  @Test
  void anEndedRecordNeverMovesAgain() throws Exception {
    JsonObject record = record("p-1", "alice", "ls", "running", 1);
    JsonObject lost = ended(record, "lost", "engine_restart", 5);
    write(() -> journal.records().event(row(lost), AT));
    boolean changed = write(() -> journal.records().event(row(record), AT));

    assertThat(changed).isFalse();
    assertThat(new JsonObject(journal.records().get("p-1"))).isEqualTo(lost);
  }

  @Test
  void recoveryListsQueuedRunningAndSuspendedRecordsOldestFirst() throws Exception {
    write(() -> journal.records().accept(row(record("p-3", "bob", "ls", "queued", 3)), plan("ls").encode(), false, null, AT));
    write(() -> journal.records().accept(row(record("p-1", "bob", "ls", "running", 1)), plan("ls").encode(), false, null, AT));
    write(() -> journal.records().accept(row(record("p-2", "bob", "ls", "suspended", 2)), plan("ls").encode(), false, null, AT));
    write(() -> journal.records().event(row(ended(record("p-0", "bob", "ls", "running", 0), "failed", "exit", 4)), AT));
    write(() -> journal.records().event(row(record("p-4", "bob", "ls", "queued", 4)), AT));

    List<String> ids = journal.records().live().stream().map(entry -> entry.getJsonObject("record").getString("id")).toList();
    assertThat(ids).containsExactly("p-1", "p-2", "p-3", "p-4");
    assertThat(journal.records().live().get(3).getValue("plan")).as("never accepted: no plan").isNull();
  }

  @Test
  void aDispatchedMarkIsKeptForRecoveryAndADispatchOfAnUnknownRecordIsRefused() throws Exception {
    write(() -> journal.records().accept(row(record("p-1", "bob", "ls", "queued", 1)), plan("ls").encode(), true, null, AT));
    write(() -> journal.records().accept(row(record("p-2", "bob", "ls", "queued", 2)), plan("ls").encode(), false, null, AT));
    write(() -> journal.records().accept(row(record("p-3", "bob", "ls", "queued", 3)), plan("ls").encode(), false, null, AT));

    boolean marked = write(() -> journal.records().dispatch("p-2", AT));
    boolean unknown = write(() -> journal.records().dispatch("p-9", AT));
    // Accepted again (a re-admitted record): the mark stays.
    write(() -> journal.records().accept(row(record("p-1", "bob", "ls", "queued", 1)), plan("ls").encode(), false, null, AT));

    assertThat(marked).isTrue();
    assertThat(unknown).as("its accept never landed: it must not start").isFalse();
    assertThat(journal.records().live().stream().map(entry -> entry.getBoolean("dispatched")).toList())
        .containsExactly(true, true, false);
  }

  @Test
  void anIdempotencyKeyFindsItsOwnersFirstRecordWithinTheWindowUntilEvicted() throws Exception {
    JsonObject first = record("p-1", "alice", "ls", "queued", 1);
    write(() -> journal.records().accept(row(first), plan("ls").encode(), true, "k-1", AT));
    write(() -> journal.records().event(row(ended(first, "succeeded", "exit", 2)), AT));
    String createdAt = first.getString("createdAt");

    assertThat(new JsonObject(journal.records().byKey("alice", "k-1", createdAt)).getString("state")).isEqualTo("succeeded");
    assertThat(journal.records().byKey("bob", "k-1", createdAt)).as("keys are per owner").isNull();
    assertThat(journal.records().byKey("alice", "k-1", createdAt + "Z")).as("older than the window").isNull();
    int evicted = write(() -> journal.records().evictKeys(createdAt + "Z"));
    assertThat(evicted).isOne();
    assertThat(journal.records().byKey("alice", "k-1", createdAt)).isNull();
  }

  @Test
  void evictionDeletesFinishedRecordsEndedBeforeTheCutoffWithTheirRows() throws Exception {
    JsonObject old = record("p-old", "alice", "ls", "running", 1);
    write(() -> journal.records().accept(row(old), plan("ls").encode(), false, null, AT));
    write(() -> journal.records().event(row(ended(old, "succeeded", "exit", 10)), AT));
    write(() -> journal.outputs().keep("p-old", "out", "err"));
    JsonObject recent = ended(record("p-new", "alice", "ls", "running", 2), "succeeded", "exit", 100);
    write(() -> journal.records().event(row(recent), AT));
    write(() -> journal.records().accept(row(record("p-live", "alice", "ls", "running", 0)), plan("ls").encode(), false, null, AT));

    int deleted = write(() -> journal.records().evict(Timestamps.format(Records.EPOCH.plusSeconds(50)), 100));

    assertThat(deleted).isEqualTo(1);
    assertThat(journal.records().get("p-old")).isNull();
    assertThat(journal.outputs().read("p-old", "stdout")).isNull();
    assertThat(count("SELECT COUNT(*) FROM transitions WHERE id = 'p-old'")).isZero();
    assertThat(count("SELECT COUNT(*) FROM output")).isZero();
    assertThat(journal.records().get("p-new")).isNotNull();
    assertThat(journal.records().get("p-live")).as("live records are never evicted").isNotNull();
    assertThat(write(() -> journal.records().evict("9999-01-01T00:00:00.000Z", 100))).isEqualTo(1);
  }

  @Test
  void evictionDeletesAtMostTheBatchItIsGiven() throws Exception {
    for (int i = 0; i < 5; i++) {
      JsonObject done = ended(record("p-" + i, "alice", "ls", "running", i), "succeeded", "exit", i + 1);
      write(() -> journal.records().event(row(done), AT));
    }
    assertThat(write(() -> journal.records().evict("9999-01-01T00:00:00.000Z", 3))).isEqualTo(3);
    assertThat(journal.records().get("p-0")).as("oldest first").isNull();
    assertThat(journal.records().get("p-4")).isNotNull();
  }

  @Test
  void outputTailsAreBoundedAtACharacterBoundary() throws Exception {
    write(() -> journal.records().event(row(record("p-1", "alice", "ls", "succeeded", 1)), AT));
    String text = "a".repeat(100) + "é".repeat(40) + "a";
    write(() -> journal.outputs().keep("p-1", text, "short"));

    OutputStore.Stored stdout = journal.outputs().read("p-1", "stdout");
    assertThat(stdout.data()).as("64 bytes would start inside an é").isEqualTo("é".repeat(31) + "a");
    assertThat(stdout.truncated()).isTrue();
    OutputStore.Stored stderr = journal.outputs().read("p-1", "stderr");
    assertThat(stderr.data()).isEqualTo("short");
    assertThat(stderr.truncated()).isFalse();
    assertThat(stderr.owner()).isEqualTo("alice");
  }

  @Test
  void outputOfAnUnknownRecordIsNotKept() throws Exception {
    assertThat(write(() -> journal.outputs().keep("p-nobody", "out", "err"))).isFalse();
    assertThat(count("SELECT COUNT(*) FROM output")).isZero();
  }

  @Test
  void aRecordWithoutKeptOutputHasEmptyStreams() throws Exception {
    write(() -> journal.records().event(row(record("p-1", "alice", "ls", "lost", 1)), AT));
    assertThat(journal.outputs().read("p-1", "stderr")).isEqualTo(new OutputStore.Stored("alice", "", false));
  }

  @Test
  void rejectionsAreKeptForAuditAndEvictedByAge() throws Exception {
    JsonObject request = new JsonObject().put("command", "rm -rf /").put("env", new JsonArray().add("ISOMETRY_X"));
    JsonArray violations = new JsonArray().add(new JsonObject().put("type", "command_not_allowed"));
    write(() -> {
      journal.audit().rejected(new Rejection("mallory", request.encode(), violations.encode(), "2026-01-01T00:00:01.000Z"));
      journal.audit().rejected(new Rejection("mallory", request.encode(), violations.encode(), "2026-01-03T00:00:01.000Z"));
      return null;
    });
    assertThat(count("SELECT COUNT(*) FROM rejections WHERE owner = 'mallory'")).isEqualTo(2);
    assertThat(write(() -> journal.audit().evict("2026-01-02T00:00:00.000Z", 100))).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM rejections")).isEqualTo(1);
  }

  @Test
  void aClosedAndReopenedJournalKeepsEverythingInOneFile() throws Exception {
    JsonObject record = record("p-1", "alice", "ls", "queued", 1);
    write(() -> journal.records().accept(row(record), plan("ls").encode(), false, null, AT));
    JsonObject done = ended(record, "succeeded", "exit", 2);
    write(() -> journal.records().event(row(done), AT));
    write(() -> journal.outputs().keep("p-1", "hello", ""));
    journal.close();

    assertThat(Files.exists(dir.resolve("journal.db-wal")) ? Files.size(dir.resolve("journal.db-wal")) : 0L)
        .as("the WAL is checkpointed into the database at close").isZero();
    journal = Journal.open(dir, Records.settings(64));
    assertThat(new JsonObject(journal.records().get("p-1"))).isEqualTo(done);
    assertThat(journal.outputs().read("p-1", "stdout").data()).isEqualTo("hello");
    assertThat(transitions("p-1")).containsExactly("1 queued", "2 succeeded");
  }

  @Test
  void theDatabaseIsReadableByTheEngineUserOnly() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("journal.db"))))
        .isEqualTo("rw-------");
    Path nested = dir.resolve("a/b");
    Journal.open(nested, Records.settings()).close();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested))).isEqualTo("rwx------");
  }

  @Test
  void theJournalRunsInWalMode() throws Exception {
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("journal.db"));
         Statement statement = other.createStatement();
         ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
      assertThat(mode.next()).isTrue();
      assertThat(mode.getString(1)).isEqualTo("wal");
    }
  }

  @FunctionalInterface
  private interface Sql<T> {
    T run() throws SQLException;
  }

  /** Runs statements in a transaction of their own, as the writer would. */
  private <T> T write(Sql<T> work) throws SQLException {
    journal.begin();
    T result = work.run();
    journal.commit();
    return result;
  }

  private List<String> transitions(String id) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("journal.db"));
         Statement statement = other.createStatement();
         ResultSet result = statement.executeQuery(
             "SELECT seq, state, record FROM transitions WHERE id = '" + id + "' ORDER BY seq")) {
      while (result.next()) {
        assertThat(new JsonObject(result.getString(3)).getString("state")).isEqualTo(result.getString(2));
        rows.add(result.getInt(1) + " " + result.getString(2));
      }
    }
    return rows;
  }

  private long count(String sql) throws SQLException {
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("journal.db"));
         Statement statement = other.createStatement();
         ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }
}
