package io.isometry.journal;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Searches records by command and label, newest first. With the FTS5 trigram index, words of three
 * characters or more are matched through the index; shorter words (which have no trigram) and a
 * database without the index fall back to LIKE on the record's columns. Both match substrings,
 * ignoring ASCII case, so the answer is the same either way, only the speed differs.
 */
final class HistorySearch {

  private static final int TRIGRAM = 3;
  private final Connection connection;
  private final boolean fullText;

  HistorySearch(Connection connection, boolean fullText) {
    this.connection = connection;
    this.fullText = fullText;
  }

  boolean fullText() {
    return fullText;
  }

  List<JsonObject> search(HistoryQuery query) throws SQLException {
    List<String> indexed = new ArrayList<>();
    List<String> scanned = new ArrayList<>();
    for (String word : query.words()) {
      (fullText && word.length() >= TRIGRAM ? indexed : scanned).add(word);
    }
    StringBuilder sql = new StringBuilder("SELECT p.record FROM processes p");
    List<String> parameters = new ArrayList<>();
    List<String> conditions = new ArrayList<>();
    if (!indexed.isEmpty()) {
      sql.append(" JOIN history_fts f ON f.rowid = p.rowid");
      conditions.add("history_fts MATCH ?");
      parameters.add(matchExpression(indexed));
    }
    for (String word : scanned) {
      conditions.add("(p.command LIKE ? ESCAPE '\\' OR COALESCE(p.label, '') LIKE ? ESCAPE '\\')");
      String pattern = "%" + escapeLike(word) + "%";
      parameters.add(pattern);
      parameters.add(pattern);
    }
    if (query.owner() != null) {
      conditions.add("p.owner = ?");
      parameters.add(query.owner());
    }
    if (!conditions.isEmpty()) {
      sql.append(" WHERE ").append(String.join(" AND ", conditions));
    }
    sql.append(" ORDER BY p.created_at DESC, p.id DESC LIMIT ?");
    // Built per query: the shape depends on the words; SQLite prepares a statement in microseconds.
    try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
      int index = 1;
      for (String parameter : parameters) {
        statement.setString(index++, parameter);
      }
      statement.setInt(index, query.limit());
      List<JsonObject> items = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          items.add(new JsonObject(rows.getString(1)));
        }
      }
      return items;
    }
  }

  /** Each word as an FTS5 string (quotes doubled), all required: operators in the words stay literal. */
  private static String matchExpression(List<String> words) {
    List<String> phrases = new ArrayList<>();
    for (String word : words) {
      phrases.add('"' + word.replace("\"", "\"\"") + '"');
    }
    return String.join(" AND ", phrases);
  }

  private static String escapeLike(String word) {
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
