package io.isometry.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Refused requests, kept for audit: who asked, the request as the supervisor published it (it holds
 * the names of requested environment variables, never their values) and every violation.
 */
final class AuditTrail {

  private final PreparedStatement insert;
  private final PreparedStatement evict;

  AuditTrail(Connection connection) throws SQLException {
    insert = connection.prepareStatement("INSERT INTO rejections(owner, request, violations, at) VALUES (?, ?, ?, ?)");
    evict = connection.prepareStatement(
        "DELETE FROM rejections WHERE seq IN (SELECT seq FROM rejections WHERE at < ? ORDER BY seq LIMIT ?)");
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
}
