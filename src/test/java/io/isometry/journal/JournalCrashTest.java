package io.isometry.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of writing: a child JVM accepts records as fast as it can and is killed with
 * SIGKILL; every record it had acknowledged is in the journal afterwards, exactly once.
 */
@Timeout(120)
class JournalCrashTest {

  private static final int KILL_AFTER_ACKS = 2000;

  @TempDir
  Path dir;

  @Test
  void everyAcknowledgedRecordSurvivesSigkillExactlyOnce() throws Exception {
    Set<String> acknowledged = new LinkedHashSet<>();
    int exit;
    try (ChildJvm child = ChildJvm.start(CrashingWriter.class, dir.toString())) {
      for (String line = child.readLine(); line != null; line = child.readLine()) {
        if (line.startsWith("ack ")) {
          assertThat(acknowledged.add(line.substring(4))).as("acknowledged once: %s", line).isTrue();
          if (acknowledged.size() == KILL_AFTER_ACKS) {
            child.kill();
          }
        }
      }
      exit = child.waitFor();
    }
    assertThat(exit).as("killed by SIGKILL").isEqualTo(128 + 9);
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(KILL_AFTER_ACKS);

    try (Journal journal = Journal.open(dir, Records.settings())) {
      assertThat(journal.records().live()).hasSizeGreaterThanOrEqualTo(acknowledged.size());
    }
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("journal.db"));
         Statement statement = connection.createStatement();
         PreparedStatement rows = connection.prepareStatement(
             "SELECT (SELECT COUNT(*) FROM processes WHERE id = ?), (SELECT COUNT(*) FROM transitions WHERE id = ?)")) {
      try (ResultSet check = statement.executeQuery("PRAGMA integrity_check")) {
        check.next();
        assertThat(check.getString(1)).isEqualTo("ok");
      }
      for (String id : acknowledged) {
        rows.setString(1, id);
        rows.setString(2, id);
        try (ResultSet counts = rows.executeQuery()) {
          counts.next();
          assertThat(counts.getInt(1)).as("record %s", id).isEqualTo(1);
          assertThat(counts.getInt(2)).as("transitions of %s", id).isEqualTo(1);
        }
      }
    }
  }
}
