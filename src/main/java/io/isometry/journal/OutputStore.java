package io.isometry.journal;

import io.isometry.contract.Stream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The retained output of ended processes, for {@code /output} after a restart: at most
 * {@code journal.outputRetainBytes} of each stream, the end of it. Output of a record the journal
 * does not hold is not kept: nothing would ever evict it.
 */
final class OutputStore {

  /** What {@link #read} finds: the record's owner and the stream's tail ({@code ""} when none was kept). */
  record Stored(String owner, String data, boolean truncated) {
  }

  private final int maxBytes;
  private final PreparedStatement exists;
  private final PreparedStatement keep;
  private final PreparedStatement read;

  OutputStore(Connection connection, int maxBytes) throws SQLException {
    this.maxBytes = maxBytes;
    exists = connection.prepareStatement("SELECT 1 FROM processes WHERE id = ?");
    keep = connection.prepareStatement(
        "INSERT OR REPLACE INTO output(id, stream, data, truncated) VALUES (?, ?, ?, ?)");
    // Truncated when the journal cut the tail, or when the supervisor's own tail had already lost the start.
    read = connection.prepareStatement("SELECT p.owner, o.data, "
        + "COALESCE(o.truncated, 0) OR COALESCE(json_extract(p.record, '$.output.truncated'), 0) "
        + "FROM processes p LEFT JOIN output o ON o.id = p.id AND o.stream = ? WHERE p.id = ?");
  }

  /** Keeps both streams' tails; answers false (keeping nothing) when the journal has no such record. */
  boolean keep(String id, String stdout, String stderr) throws SQLException {
    exists.setString(1, id);
    try (ResultSet rows = exists.executeQuery()) {
      if (!rows.next()) {
        return false;
      }
    }
    keepStream(id, Stream.STDOUT.wire(), stdout);
    keepStream(id, Stream.STDERR.wire(), stderr);
    return true;
  }

  /** The stream of a record; null when the journal has no such record. */
  Stored read(String id, String stream) throws SQLException {
    read.setString(1, stream);
    read.setString(2, id);
    try (ResultSet rows = read.executeQuery()) {
      if (!rows.next()) {
        return null;
      }
      String data = rows.getString(2);
      return new Stored(rows.getString(1), data == null ? "" : data, rows.getInt(3) != 0);
    }
  }

  private void keepStream(String id, String stream, String text) throws SQLException {
    Utf8Tail tail = Utf8Tail.of(text, maxBytes);
    keep.setString(1, id);
    keep.setString(2, stream);
    keep.setString(3, tail.text());
    keep.setInt(4, tail.truncated() ? 1 : 0);
    keep.executeUpdate();
  }

  /** Closes its statements (the journal prepares new ones after a failed transaction). */
  void close() throws SQLException {
    exists.close();
    keep.close();
    read.close();
  }
}
