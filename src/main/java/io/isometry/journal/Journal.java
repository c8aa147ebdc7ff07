package io.isometry.journal;

import io.isometry.config.EngineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's SQLite database: one connection, opened in WAL mode and migrated to the current
 * schema, with the stores that read and write it. Not thread-safe: {@link JournalWriter} is the one
 * thread that uses it. Transactions are explicit ({@code BEGIN IMMEDIATE} ... {@code COMMIT}) so
 * that the writer decides how many requests share one commit.
 */
final class Journal implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

  static final String FILE_NAME = "journal.db";

  private final Path file;
  private final Connection connection;
  private final Statement control;
  private final int schemaVersion;
  private final EngineConfig.JournalSettings settings;
  private final boolean fullText;
  private RecordStore records;
  private OutputStore outputs;
  private AuditTrail audit;
  private HistorySearch history;

  private Journal(Path file, Connection connection, EngineConfig.JournalSettings settings) throws SQLException {
    this.file = file;
    this.connection = connection;
    this.control = connection.createStatement();
    // NORMAL in WAL mode: a commit is in the WAL file (the OS has it) when COMMIT returns, so it survives
    // the engine's death; FULL also fsyncs each commit, so it survives the machine's.
    control.execute("PRAGMA synchronous = " + settings.synchronous().name());
    control.execute("PRAGMA busy_timeout = " + settings.busyTimeoutMs());
    try (ResultSet mode = control.executeQuery("PRAGMA journal_mode = WAL")) {
      if (!mode.next() || !"wal".equalsIgnoreCase(mode.getString(1))) {
        throw new SQLException("the journal could not switch " + file + " to WAL mode");
      }
    }
    this.schemaVersion = Migrations.migrate(connection);
    this.settings = settings;
    this.fullText = hasTable("history_fts");
    prepareStatements();
  }

  /** Prepares the stores' statements, then closes the ones they replace (none at open). */
  private void prepareStatements() throws SQLException {
    RecordStore oldRecords = records;
    OutputStore oldOutputs = outputs;
    AuditTrail oldAudit = audit;
    records = new RecordStore(connection);
    outputs = new OutputStore(connection, settings.outputRetainBytes());
    audit = new AuditTrail(connection);
    history = new HistorySearch(connection, fullText);
    if (oldRecords != null) {
      oldRecords.close();
      oldOutputs.close();
      oldAudit.close();
    }
  }

  /**
   * Opens (creating when needed) {@code dataDir/journal.db}. The directory and the file are made
   * readable by the engine's user only: plans hold the environment the children will get.
   */
  static Journal open(Path dataDir, EngineConfig.JournalSettings settings) throws SQLException, IOException {
    if (!Files.isDirectory(dataDir)) {
      Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      // SQLite gives the -wal and -shm files the database file's permissions.
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try {
      return new Journal(file, connection, settings);
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  Path file() {
    return file;
  }

  int schemaVersion() {
    return schemaVersion;
  }

  RecordStore records() {
    return records;
  }

  OutputStore outputs() {
    return outputs;
  }

  AuditTrail audit() {
    return audit;
  }

  HistorySearch history() {
    return history;
  }

  void begin() throws SQLException {
    control.execute("BEGIN IMMEDIATE");
  }

  void commit() throws SQLException {
    control.execute("COMMIT");
  }

  /**
   * Rolls back the open transaction, if any (SQLite rolls one back by itself after some I/O errors),
   * and prepares every statement afresh: one that a failure (a full disk) interrupted midway is left
   * unusable by the driver ("statement is not executing") and would fail every later request.
   */
  void rollback() {
    try {
      control.execute("ROLLBACK");
    } catch (SQLException noTransaction) {
      // "no transaction is active": the failure that brought us here already ended it.
    }
    try {
      prepareStatements();
    } catch (SQLException e) {
      LOG.warn("Could not prepare the journal's statements again: {}", e.getMessage());
    }
  }

  void savepoint() throws SQLException {
    control.execute("SAVEPOINT request");
  }

  void release() throws SQLException {
    control.execute("RELEASE request");
  }

  /** Undoes one request's statements inside the batch's transaction; the others stay. */
  void rollbackToSavepoint() throws SQLException {
    control.execute("ROLLBACK TO request");
    control.execute("RELEASE request");
  }

  /** Checkpoints the WAL into the database file and truncates it, then closes: the file alone is the journal. */
  @Override
  public void close() throws SQLException {
    try {
      control.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      control.execute("PRAGMA optimize");
    } finally {
      connection.close();
    }
  }

  private boolean hasTable(String name) throws SQLException {
    try (ResultSet rows = control.executeQuery("SELECT 1 FROM sqlite_master WHERE name = '" + name + "'")) {
      return rows.next();
    }
  }
}
