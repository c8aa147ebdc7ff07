package io.isometry.journal;

import io.isometry.contract.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Refused requests, kept for audit: who asked, the request as the supervisor published it (it holds
 * the names of requested environment variables, never their values) and every violation; read back
 * newest first by {@code GET /api/v1/rejections}.
 */
final class AuditTrail {

  private final PreparedStatement insert;
  private final PreparedStatement evict;
  private final PreparedStatement newest;

  AuditTrail(Connection connection) throws SQLException {
    insert = connection.prepareStatement("INSERT INTO rejections(owner, request, violations, at) VALUES (?, ?, ?, ?)");
    evict = connection.prepareStatement(
        "DELETE FROM rejections WHERE seq IN (SELECT seq FROM rejections WHERE at < ? ORDER BY seq LIMIT ?)");
    newest = connection.prepareStatement("SELECT owner, request, violations, at FROM rejections "
        + "WHERE ?1 IS NULL OR owner = ?1 ORDER BY seq DESC LIMIT ?2");
  }

  /** The newest {@code limit} rejections, of {@code owner} or (null) of everyone: {@code {owner, request, violations, at}}. */
  List<JsonObject> newest(String owner, int limit) throws SQLException {
    newest.setString(1, owner);
    newest.setInt(2, limit);
    List<JsonObject> items = new ArrayList<>();
    try (ResultSet rows = newest.executeQuery()) {
      while (rows.next()) {
        items.add(new JsonObject().put(Fields.OWNER, rows.getString(1)).put("request", new JsonObject(rows.getString(2)))
            .put(Fields.VIOLATIONS, new JsonArray(rows.getString(3))).put("at", rows.getString(4)));
      }
    }
    return items;
  }

  void rejected(Rejection rejection) throws SQLException {
    insert.setString(1, rejection.owner());
    insert.setString(2, rejection.request());
    insert.setString(3, rejection.violations());
    insert.setString(4, rejection.at());
    insert.executeUpdate();
  }

  /** Deletes at most {@code max} rejections older than {@code cutoff}; answers how many. */
  int evict(String cutoff, int max) throws SQLException {
    evict.setString(1, cutoff);
    evict.setInt(2, max);
    return evict.executeUpdate();
  }

  /** Closes its statements (the journal prepares new ones after a failed transaction). */
  void close() throws SQLException {
    insert.close();
    evict.close();
    newest.close();
  }
}
