package io.isometry.engine;

import io.isometry.testing.SmallDisk;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The engine's data dir filled to the last byte while commands run: how long until {@code /health}
 * says degraded, what the requests sent meanwhile were answered, and, once the space is freed, how
 * long until the journal has caught up ({@code /health} 200 again, no restart).
 */
final class DiskFullPhase {

  private static final Duration DEGRADE_PATIENCE = Duration.ofSeconds(60);
  private static final Duration CATCH_UP_PATIENCE = Duration.ofSeconds(60);
  private static final int BURST = 32;

  /** What was seen; seconds are -1 for what never happened; {@code failure} says what went wrong, or is null. */
  record Figures(double secondsToDegraded, int acknowledgedAfterFill, String degradedHealth, int sentWhileDegraded,
                 int answered503, int acknowledgedWhileDegraded, double degradedSeconds, double catchUpSeconds,
                 String failure) {
    @Override
    public String toString() {
      return String.format("/health went %s %.1f s after the fill (%d commands acknowledged in between: the WAL's "
              + "slack); %d sent while degraded: %d answered 503, %d acknowledged; degraded for %.1f s; "
              + "caught up (/health 200) %.1f s after the space returned%s",
          degradedHealth, secondsToDegraded, acknowledgedAfterFill, sentWhileDegraded, answered503,
          acknowledgedWhileDegraded, degradedSeconds, catchUpSeconds, failure == null ? "" : "; FAIL: " + failure);
    }
  }

  /** When {@code /health} first said degraded, and how many commands were acknowledged after the fill until then. */
  private record Degraded(long at, double seconds, String health, int acknowledgedAfterFill) {
  }

  private final SoakClient client;
  private final SmallDisk disk;
  private final Path journal;
  private final SoakClient.Answers answers;

  /** @param journal the engine's {@code journal.db}, on {@code disk} */
  DiskFullPhase(SoakClient client, SmallDisk disk, Path journal, SoakClient.Answers answers) {
    this.client = client;
    this.disk = disk;
    this.journal = journal;
    this.answers = answers;
  }

  /**
   * Fills the disk with {@code load} commands on their way, awaits degraded, sends {@code whileFull}
   * more, holds it full for {@code hold}, frees it and awaits the catch-up.
   */
  Figures run(int load, int whileFull, Duration hold, String phase) throws Exception {
    Degraded degraded = fillUnderLoad(load, phase);
    if (degraded == null) {
      return neverDegraded();
    }
    int first = answers.sent().get();
    client.send(phase, whileFull, Integer.MAX_VALUE, true);
    int last = answers.sent().get();
    int refused = 0;
    int acknowledged = 0;
    for (int i = first; i < last; i++) {
      refused += answers.unavailable().contains("soak-" + i) ? 1 : 0;
      acknowledged += answers.acknowledged().containsKey("soak-" + i) ? 1 : 0;
    }
    Thread.sleep(hold.toMillis());
    disk.free();
    long freed = System.nanoTime();
    HttpResponse<String> health;
    do {
      Thread.sleep(50);
      health = client.health();
    } while (health.statusCode() != 200 && System.nanoTime() - freed < CATCH_UP_PATIENCE.toNanos());
    long up = System.nanoTime();
    String failure = health.statusCode() == 200 ? null
        : "/health still " + EngineSoak.health(health) + " " + CATCH_UP_PATIENCE.toSeconds() + " s after the space returned";
    if (failure == null && refused != last - first) {
      failure = (last - first - refused) + " of the requests sent while degraded were not answered 503";
    }
    return new Figures(degraded.seconds(), degraded.acknowledgedAfterFill(), degraded.health(), last - first, refused,
        acknowledged, (up - degraded.at()) / 1e9, (up - freed) / 1e9, failure);
  }

  /** Fills the disk with {@code load} commands on their way and holds it full, degraded, for {@code hold}; leaves it full. */
  Figures degradeAndHold(int load, Duration hold, String phase) throws Exception {
    Degraded degraded = fillUnderLoad(load, phase);
    if (degraded == null) {
      return neverDegraded();
    }
    Thread.sleep(hold.toMillis());
    return new Figures(degraded.seconds(), degraded.acknowledgedAfterFill(), degraded.health(), 0, 0, 0,
        (System.nanoTime() - degraded.at()) / 1e9, -1, null);
  }

  private void truncateWal() throws SQLException {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + journal);
         Statement statement = db.createStatement()) {
      statement.execute("PRAGMA busy_timeout = 10000");
      try (ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
        if (result.next() && result.getInt(1) != 0) {
          System.out.println("(the WAL could not be truncated before the fill: the engine was busy; its slack is used up first)");
        }
      }
    }
  }

  private Figures neverDegraded() throws Exception {
    String failure = "/health still 200 " + DEGRADE_PATIENCE.toSeconds() + " s after the disk was filled ("
        + disk.available() + " bytes free on it; " + answers.acknowledged().size() + " acknowledged, "
        + answers.unavailable().size() + " answered 503, other answers " + answers.otherAnswers() + ")";
    disk.free();
    return new Figures(-1, 0, "never degraded", 0, 0, 0, -1, -1, failure);
  }

  /**
   * Fills the disk with commands on their way and keeps them coming until {@code /health} says
   * degraded. Answers null if it never does.
   *
   * <p>SQLite writes into the slack of its WAL (frames already checkpointed: up to some MiB, reused
   * from the start) before it needs a byte more, so a full disk would show only once that is used up,
   * a minute or more of commands on a busy machine. The WAL is checkpointed and truncated first, from
   * a connection of our own as an operator's {@code sqlite3} could: the engine meets the full disk at
   * its next commit, as it does when the disk fills soon after a clean start.
   */
  private Degraded fillUnderLoad(int load, String phase) throws Exception {
    client.send(phase, load, Integer.MAX_VALUE, false);
    truncateWal();
    disk.fill();
    long filled = System.nanoTime();
    int acknowledgedAtFill = answers.acknowledged().size();
    while (System.nanoTime() - filled < DEGRADE_PATIENCE.toNanos()) {
      HttpResponse<String> health = client.health();
      if (health.statusCode() == 503) {
        long at = System.nanoTime();
        client.awaitAnswers();
        JsonObject stats = client.stats();
        return new Degraded(at, (at - filled) / 1e9, EngineSoak.health(health) + " (" + stats.getInteger("running")
            + " running, " + stats.getInteger("queued") + " queued)", answers.acknowledged().size() - acknowledgedAtFill);
      }
      client.send(phase, BURST, Integer.MAX_VALUE, false);
    }
    client.awaitAnswers();
    return null;
  }
}
