package io.isometry.journal;

import static io.isometry.journal.Records.record;
import static io.isometry.journal.Records.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** The writer thread: order, group commit, failures of one request and of a whole transaction, close. */
@Timeout(30)
class JournalWriterTest {

  @TempDir
  Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private JournalWriter writer;

  @BeforeEach
  void open() throws Exception {
    writer = new JournalWriter(() -> Journal.open(dir, Records.settings()), new JournalMetrics(registry));
    writer.opened().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    writer.close().get(10, TimeUnit.SECONDS);
  }

  @Test
  void requestsRunInOrderAndABurstSharesCommits() throws Exception {
    int count = 3000;
    List<Integer> ran = new ArrayList<>();
    List<CompletableFuture<Boolean>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int index = i;
      futures.add(writer.submit(journal -> {
        ran.add(index);
        return journal.records().event(row(record("p-" + index, "alice", "ls", "queued", index)), "at");
      }));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

    assertThat(futures).allMatch(future -> future.join());
    assertThat(ran).hasSize(count).isSorted();
    long commits = registry.get("isometry.journal.batch").summary().count();
    assertThat(commits).as("commits for %d requests", count).isLessThan(count / 2);
    assertThat(registry.get("isometry.journal.batch").summary().totalAmount()).isEqualTo(count);
  }

  @Test
  void aRequestThatFailsOnItsOwnIsRolledBackAloneAndTheOthersCommit() throws Exception {
    CompletableFuture<Boolean> before = writer.submit(journal -> journal.records().event(row(record("p-1", "a", "ls", "queued", 1)), "at"));
    CompletableFuture<Boolean> failing = writer.submit(journal -> {
      journal.records().event(row(record("p-2", "a", "ls", "queued", 2)), "at");
      throw new SQLException("a broken request");
    });
    CompletableFuture<Boolean> after = writer.submit(journal -> journal.records().event(row(record("p-3", "a", "ls", "queued", 3)), "at"));

    assertThat(before.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(after.get(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class);
    assertThat(read("p-1")).isNotNull();
    assertThat(read("p-2")).as("rolled back to its savepoint").isNull();
    assertThat(read("p-3")).isNotNull();
  }

  @Test
  void aFailedTransactionIsRetriedWholeWithoutDuplicates() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<Boolean> first = writer.submit(journal -> journal.records().event(row(record("p-1", "a", "ls", "queued", 1)), "at"));
    CompletableFuture<String> busyOnce = writer.submit(journal -> {
      if (attempts.incrementAndGet() == 1) {
        throw new SQLiteException("database is locked", SQLiteErrorCode.SQLITE_BUSY);
      }
      return "done";
    });

    assertThat(busyOnce.get(10, TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(attempts).hasValue(2);
    assertThat(writer.submit(journal -> journal.records().live()).get(10, TimeUnit.SECONDS)).hasSize(1);
    assertThat(writer.submit(journal -> journal.records().event(row(record("p-1", "a", "ls", "running", 1)), "at"))
        .get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aTransactionThatKeepsFailingFailsItsRequestsAfterTheRetries() {
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<Object> busy = writer.submit(journal -> {
      attempts.incrementAndGet();
      throw new SQLiteException("disk I/O error", SQLiteErrorCode.SQLITE_IOERR_WRITE);
    });

    assertThatThrownBy(() -> busy.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(SQLiteException.class);
    assertThat(attempts).hasValue(JournalWriter.MAX_ATTEMPTS);
  }

  @Test
  void recordsThatCannotBeWrittenStayInOrderAndLandOnceTheDiskHasRoomAgain() throws Exception {
    AtomicBoolean full = new AtomicBoolean(true);
    List<String> health = Collections.synchronizedList(new ArrayList<>());
    JournalWriter degraded = new JournalWriter(() -> Journal.open(dir.resolve("full"), Records.settings()),
        new JournalMetrics(new SimpleMeterRegistry()), health::add);
    degraded.opened().get(10, TimeUnit.SECONDS);
    CompletableFuture<Boolean> queued = degraded.record(journal -> {
      if (full.get()) {
        throw new SQLiteException("database or disk is full", SQLiteErrorCode.SQLITE_FULL);
      }
      return journal.records().event(row(record("p-1", "a", "ls", "queued", 1)), "at");
    });
    CompletableFuture<Boolean> running = degraded.record(journal ->
        journal.records().event(row(record("p-1", "a", "ls", "running", 1)), "at"));
    for (int i = 0; i < 200 && health.isEmpty(); i++) {
      Thread.sleep(25);
    }

    assertThat(health).hasSize(1);
    assertThat(degraded.degradedBecause()).contains("disk is full");
    assertThatThrownBy(() -> degraded.submit(journal -> "a read").get(10, TimeUnit.SECONDS))
        .as("a request someone waits for fails at once").hasCauseInstanceOf(SQLiteException.class);
    assertThat(queued).isNotDone();
    assertThat(running).isNotDone();

    full.set(false);

    assertThat(queued.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(running.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(health).hasSize(2).last().isNull();
    assertThat(degraded.degradedBecause()).isNull();
    assertThat(degraded.submit(journal -> journal.records().get("p-1")).get(10, TimeUnit.SECONDS)).contains("\"running\"");
    degraded.close().get(10, TimeUnit.SECONDS);
  }

  @Test
  void closeRunsWhatIsQueuedThenRefusesMore() throws Exception {
    List<CompletableFuture<Boolean>> queued = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      queued.add(writer.submit(journal -> journal.records().event(row(record("p-x", "a", "ls", "queued", 1)), "at")));
    }
    writer.close().get(10, TimeUnit.SECONDS);

    assertThat(queued).allMatch(future -> future.isDone() && !future.isCompletedExceptionally());
    assertThatThrownBy(() -> writer.submit(journal -> null).get(1, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThat(Files.exists(dir.resolve("journal.db-wal")) ? Files.size(dir.resolve("journal.db-wal")) : 0).isZero();
  }

  @Test
  void aJournalThatCannotOpenSaysWhy() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");
    JournalWriter broken = new JournalWriter(() -> Journal.open(notADirectory, Records.settings()),
        new JournalMetrics(new SimpleMeterRegistry()));

    assertThatThrownBy(() -> broken.opened().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    assertThatThrownBy(() -> broken.submit(journal -> null).get(1, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class);
    broken.close().get(10, TimeUnit.SECONDS);
  }

  private String read(String id) throws Exception {
    return writer.submit(journal -> journal.records().get(id)).get(10, TimeUnit.SECONDS);
  }
}
