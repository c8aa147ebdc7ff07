package io.isometry.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The versioned schema: every step once, in order, recorded; newer databases refused. */
class MigrationsTest {

  @TempDir
  Path dir;

  @Test
  void aNewJournalIsMigratedToTheLatestVersionWithEveryStepRecorded() throws Exception {
    try (Journal journal = Journal.open(dir, Records.settings())) {
      assertThat(journal.schemaVersion()).isEqualTo(Migrations.STEPS.get(Migrations.STEPS.size() - 1).version());
    }
    assertThat(versions()).containsExactly("1 processes, transitions, rejections, output",
        "2 full-text search on command and label", "3 the dispatched mark", "4 idempotency keys");
  }

  @Test
  void reopeningAppliesNothingTwice() throws Exception {
    Journal.open(dir, Records.settings()).close();
    List<String> first = appliedAt();
    Journal.open(dir, Records.settings()).close();
    Journal.open(dir, Records.settings()).close();
    assertThat(appliedAt()).isEqualTo(first).hasSize(Migrations.STEPS.size());
  }

  @Test
  void aJournalAtAnOlderVersionIsMigratedForwardWithItsRowsIndexed() throws Exception {
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
          + "applied_at TEXT NOT NULL)");
      Migrations.Step first = Migrations.STEPS.get(0);
      first.sql().apply(statement);
      statement.execute("INSERT INTO schema_version VALUES (1, '" + first.description() + "', 'then')");
      statement.execute("INSERT INTO processes(id, owner, command, state, created_at, record) VALUES "
          + "('p-1', 'alice', 'git status', 'succeeded', '2026-01-01T00:00:00.000Z', '{\"id\":\"p-1\"}')");
    }
    try (Journal journal = Journal.open(dir, Records.settings())) {
      assertThat(journal.schemaVersion()).isEqualTo(4);
      assertThat(journal.history().search(new HistoryQuery(List.of("status"), null, 10))).hasSize(1);
      assertThat(journal.records().live()).as("a finished record from before the mark").isEmpty();
    }
    assertThat(appliedAt().get(0)).isEqualTo("then");
  }

  @Test
  void aJournalFromANewerEngineIsRefused() throws Exception {
    Journal.open(dir, Records.settings()).close();
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO schema_version VALUES (99, 'from the future', 'later')");
    }
    assertThatThrownBy(() -> Journal.open(dir, Records.settings()))
        .isInstanceOf(SQLException.class).hasMessageContaining("schema version 99");
  }

  @Test
  void aFailedStepLeavesTheVersionWhereItWas() throws Exception {
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      // A table in the way of step 1: its CREATE TABLE fails, and nothing of the step may remain.
      statement.execute("CREATE TABLE transitions (x INTEGER)");
    }
    assertThatThrownBy(() -> Journal.open(dir, Records.settings())).isInstanceOf(SQLException.class);
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      assertThat(Migrations.current(statement)).isZero();
      try (ResultSet tables = statement.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE name = 'processes'")) {
        tables.next();
        assertThat(tables.getInt(1)).isZero();
      }
    }
  }

  @Test
  void theBundledSqliteHasFts5AndTheJournalUsesIt() throws Exception {
    try (Journal journal = Journal.open(dir, Records.settings());
         Connection connection = connect(); Statement statement = connection.createStatement()) {
      assertThat(Migrations.hasFts5(statement)).isTrue();
      assertThat(journal.history().fullText()).isTrue();
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("journal.db"));
  }

  private List<String> versions() throws SQLException {
    return column("SELECT version || ' ' || description FROM schema_version ORDER BY version");
  }

  private List<String> appliedAt() throws SQLException {
    return column("SELECT applied_at FROM schema_version ORDER BY version");
  }

  private List<String> column(String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection connection = connect(); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }
}
