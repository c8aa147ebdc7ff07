package io.isometry.journal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The journal's schema as an ordered list of steps. Each step runs once, in a transaction of its
 * own that also records its version in {@code schema_version}, so a crash halfway through a
 * migration leaves the database at the previous version, never in between. A database from a newer
 * engine (a version this one does not know) is refused rather than written with the wrong schema.
 */
final class Migrations {

  @FunctionalInterface
  interface Sql {
    void apply(Statement statement) throws SQLException;
  }

  record Step(int version, String description, Sql sql) {
  }

  static final List<Step> STEPS = List.of(
      new Step(1, "processes, transitions, rejections, output", Migrations::tables),
      new Step(2, "full-text search on command and label", Migrations::textSearch),
      new Step(3, "the dispatched mark", Migrations::dispatchMark),
      new Step(4, "idempotency keys", Migrations::idempotencyKeys));

  private Migrations() {
  }

  /** The version the schema is at after applying every step it lacks. */
  static int migrate(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS schema_version ("
          + "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
      int current = current(statement);
      int latest = STEPS.get(STEPS.size() - 1).version();
      if (current > latest) {
        throw new SQLException("the journal is at schema version " + current
            + ", newer than this engine knows (" + latest + "); use a newer engine or another data dir");
      }
      for (Step step : STEPS) {
        if (step.version() > current) {
          apply(statement, step);
        }
      }
      return Math.max(current, latest);
    }
  }

  static int current(Statement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
      return rows.next() ? rows.getInt(1) : 0;
    }
  }

  private static void apply(Statement statement, Step step) throws SQLException {
    statement.execute("BEGIN IMMEDIATE");
    try {
      step.sql().apply(statement);
      statement.execute("INSERT INTO schema_version(version, description, applied_at) VALUES ("
          + step.version() + ", '" + step.description() + "', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
      statement.execute("COMMIT");
    } catch (SQLException e) {
      statement.execute("ROLLBACK");
      throw e;
    }
  }

  /**
   * The record columns are the ones queries filter and sort on; {@code record} holds the whole latest
   * record and is what every answer returns. Timestamps are the wire form, which sorts as text.
   */
  private static void tables(Statement statement) throws SQLException {
    statement.execute("CREATE TABLE processes ("
        + "id TEXT PRIMARY KEY, owner TEXT NOT NULL, command TEXT NOT NULL, label TEXT, "
        + "state TEXT NOT NULL, reason TEXT, created_at TEXT NOT NULL, ended_at TEXT, "
        + "record TEXT NOT NULL, plan TEXT)");
    statement.execute("CREATE INDEX processes_created ON processes(created_at, id)");
    statement.execute("CREATE INDEX processes_owner_created ON processes(owner, created_at, id)");
    statement.execute("CREATE INDEX processes_live ON processes(created_at, id) "
        + "WHERE state IN ('queued', 'running', 'suspended')");
    statement.execute("CREATE INDEX processes_finished ON processes(COALESCE(ended_at, created_at)) "
        + "WHERE state NOT IN ('queued', 'running', 'suspended')");
    statement.execute("CREATE TABLE transitions ("
        + "id TEXT NOT NULL, seq INTEGER NOT NULL, state TEXT NOT NULL, at TEXT NOT NULL, record TEXT NOT NULL, "
        + "PRIMARY KEY (id, seq))");
    statement.execute("CREATE TABLE rejections ("
        + "seq INTEGER PRIMARY KEY, owner TEXT NOT NULL, request TEXT NOT NULL, violations TEXT NOT NULL, "
        + "at TEXT NOT NULL)");
    statement.execute("CREATE INDEX rejections_at ON rejections(at)");
    // A rowid table, not WITHOUT ROWID: a tail can be a megabyte, far above what clustered rows suit.
    statement.execute("CREATE TABLE output ("
        + "id TEXT NOT NULL, stream TEXT NOT NULL, data TEXT NOT NULL, truncated INTEGER NOT NULL, "
        + "UNIQUE (id, stream))");
  }

  /**
   * An FTS5 index with the trigram tokenizer: it matches substrings (as the LIKE fallback does),
   * case-insensitively, so {@code q=stat} finds {@code git status}. Triggers keep it in step with
   * {@code processes}. Where this SQLite lacks FTS5 the step records itself and creates nothing;
   * {@link HistorySearch} then searches with LIKE.
   */
  private static void textSearch(Statement statement) throws SQLException {
    if (!hasFts5(statement)) {
      return;
    }
    statement.execute("CREATE VIRTUAL TABLE history_fts USING fts5(command, label, tokenize = 'trigram')");
    statement.execute("INSERT INTO history_fts(rowid, command, label) SELECT rowid, command, label FROM processes");
    statement.execute("CREATE TRIGGER processes_fts_insert AFTER INSERT ON processes BEGIN "
        + "INSERT INTO history_fts(rowid, command, label) VALUES (new.rowid, new.command, new.label); END");
    statement.execute("CREATE TRIGGER processes_fts_update AFTER UPDATE OF command, label ON processes BEGIN "
        + "UPDATE history_fts SET command = new.command, label = new.label WHERE rowid = old.rowid; END");
    statement.execute("CREATE TRIGGER processes_fts_delete AFTER DELETE ON processes BEGIN "
        + "DELETE FROM history_fts WHERE rowid = old.rowid; END");
  }

  /**
   * When the supervisor decided to start a record: set, and committed, before its spawn, so that
   * recovery never starts a record that may already have run. A column beside the record, not a
   * field in it: it is the journal's promise, not part of what clients see.
   */
  private static void dispatchMark(Statement statement) throws SQLException {
    statement.execute("ALTER TABLE processes ADD COLUMN dispatched_at TEXT");
  }

  /** An owner's idempotency key and the record its first request made; evicted after the window (24 h). */
  private static void idempotencyKeys(Statement statement) throws SQLException {
    statement.execute("CREATE TABLE idempotency ("
        + "owner TEXT NOT NULL, key TEXT NOT NULL, id TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (owner, key))");
    statement.execute("CREATE INDEX idempotency_at ON idempotency(at)");
  }

  static boolean hasFts5(Statement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery("SELECT sqlite_compileoption_used('ENABLE_FTS5')")) {
      return rows.next() && rows.getInt(1) == 1;
    }
  }
}
