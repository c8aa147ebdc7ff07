package io.isometry.journal;

import io.isometry.contract.ProcessState;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The process records and their transitions. Accepts and events may arrive in either order (an
 * event published before the journal heard of the accept, or before the journal even started),
 * so both insert a record they have not seen, and neither moves a record that has already ended:
 * the state machine has no way out of a terminal state.
 */
final class RecordStore {

  private final PreparedStatement stateOf;
  private final PreparedStatement insert;
  private final PreparedStatement update;
  private final PreparedStatement setPlan;
  private final PreparedStatement dispatch;
  private final PreparedStatement keepKey;
  private final PreparedStatement byKey;
  private final PreparedStatement evictKeys;
  private final PreparedStatement appendTransition;
  private final PreparedStatement get;
  private final PreparedStatement live;
  private final PreparedStatement finished;
  private final PreparedStatement deleteTransitions;
  private final PreparedStatement deleteOutput;
  private final PreparedStatement deleteRecord;

  RecordStore(Connection connection) throws SQLException {
    stateOf = connection.prepareStatement("SELECT state FROM processes WHERE id = ?");
    insert = connection.prepareStatement("INSERT INTO processes"
        + "(id, owner, command, label, state, reason, created_at, ended_at, record, plan, dispatched_at) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    update = connection.prepareStatement(
        "UPDATE processes SET state = ?, reason = ?, ended_at = ?, record = ? WHERE id = ?");
    setPlan = connection.prepareStatement(
        "UPDATE processes SET plan = ?, dispatched_at = COALESCE(dispatched_at, ?) WHERE id = ?");
    dispatch = connection.prepareStatement(
        "UPDATE processes SET dispatched_at = COALESCE(dispatched_at, ?) WHERE id = ?");
    appendTransition = connection.prepareStatement("INSERT INTO transitions(id, seq, state, at, record) "
        + "VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM transitions WHERE id = ?), ?, ?, ?)");
    get = connection.prepareStatement("SELECT record FROM processes WHERE id = ?");
    keepKey = connection.prepareStatement("INSERT OR REPLACE INTO idempotency(owner, key, id, at) VALUES (?, ?, ?, ?)");
    byKey = connection.prepareStatement("SELECT p.record FROM idempotency i JOIN processes p ON p.id = i.id "
        + "WHERE i.owner = ? AND i.key = ? AND i.at >= ?");
    evictKeys = connection.prepareStatement("DELETE FROM idempotency WHERE at < ?");
    live = connection.prepareStatement("SELECT record, plan, dispatched_at IS NOT NULL FROM processes "
        + "WHERE state IN ('queued', 'running', 'suspended') ORDER BY created_at, id");
    finished = connection.prepareStatement("SELECT id FROM processes "
        + "WHERE state NOT IN ('queued', 'running', 'suspended') AND COALESCE(ended_at, created_at) < ? "
        + "ORDER BY COALESCE(ended_at, created_at) LIMIT ?");
    deleteTransitions = connection.prepareStatement("DELETE FROM transitions WHERE id = ?");
    deleteOutput = connection.prepareStatement("DELETE FROM output WHERE id = ?");
    deleteRecord = connection.prepareStatement("DELETE FROM processes WHERE id = ?");
  }

  /**
   * An accepted request: its record and the plan it will run. A record that events already brought
   * keeps its newer state and gains the plan, so accepting twice (a re-admitted queued record) is
   * harmless. {@code dispatched}: the supervisor starts it as soon as this commits (see
   * {@link #dispatch}); {@code idempotencyKey} (or null): the owner's key that finds it again (see
   * {@link #byKey}). Answers whether the record is new.
   */
  boolean accept(RecordRow row, String plan, boolean dispatched, String idempotencyKey, String at) throws SQLException {
    String dispatchedAt = dispatched ? at : null;
    if (idempotencyKey != null) {
      // In the accept's own transaction: a key is never kept for a request that was not, nor the reverse.
      keepKey.setString(1, row.owner());
      keepKey.setString(2, idempotencyKey);
      keepKey.setString(3, row.id());
      keepKey.setString(4, row.createdAt());
      keepKey.executeUpdate();
    }
    if (stateOf(row.id()) != null) {
      setPlan.setString(1, plan);
      setPlan.setString(2, dispatchedAt);
      setPlan.setString(3, row.id());
      setPlan.executeUpdate();
      return false;
    }
    insert(row, plan, dispatchedAt);
    transition(row, at);
    return true;
  }

  /**
   * The supervisor is about to start a queued record: once this has committed, the record may have
   * run, and recovery never starts it again. False when the journal has no such record (its accept
   * never landed): then it must not start.
   */
  boolean dispatch(String id, String at) throws SQLException {
    dispatch.setString(1, at);
    dispatch.setString(2, id);
    return dispatch.executeUpdate() == 1;
  }

  /**
   * A lifecycle event: the record replaces the stored one, and a new state appends a transition.
   * Answers whether it changed anything (an event for an ended record does not).
   */
  boolean event(RecordRow row, String at) throws SQLException {
    ProcessState previous = stateOf(row.id());
    if (previous == null) {
      insert(row, null, null);
      transition(row, at);
      return true;
    }
    if (previous.isTerminal()) {
      return false;
    }
    update.setString(1, row.state().wire());
    update.setString(2, row.reason());
    update.setString(3, row.endedAt());
    update.setString(4, row.json());
    update.setString(5, row.id());
    update.executeUpdate();
    if (previous != row.state()) {
      transition(row, at);
    }
    return true;
  }

  /** The latest record of the first request of {@code owner} with {@code key} made at {@code since} or later, encoded; or null. */
  String byKey(String owner, String key, String since) throws SQLException {
    byKey.setString(1, owner);
    byKey.setString(2, key);
    byKey.setString(3, since);
    try (ResultSet rows = byKey.executeQuery()) {
      return rows.next() ? rows.getString(1) : null;
    }
  }

  /** Forgets the idempotency keys of requests made before {@code cutoff}; answers how many. */
  int evictKeys(String cutoff) throws SQLException {
    evictKeys.setString(1, cutoff);
    return evictKeys.executeUpdate();
  }

  /** The latest record, encoded; null when the journal has none. */
  String get(String id) throws SQLException {
    get.setString(1, id);
    try (ResultSet rows = get.executeQuery()) {
      return rows.next() ? rows.getString(1) : null;
    }
  }

  /**
   * {@code {record, plan, dispatched}} of every record whose latest state is live, oldest first; plan
   * is null when never accepted, dispatched true once its start was decided (it may have run).
   */
  List<JsonObject> live() throws SQLException {
    List<JsonObject> entries = new ArrayList<>();
    try (ResultSet rows = live.executeQuery()) {
      while (rows.next()) {
        String plan = rows.getString(2);
        entries.add(new JsonObject().put("record", new JsonObject(rows.getString(1)))
            .put("plan", plan == null ? null : new JsonObject(plan)).put("dispatched", rows.getBoolean(3)));
      }
    }
    return entries;
  }

  /** Deletes at most {@code max} records that ended before {@code cutoff}, oldest first, with their transitions and output. */
  int evict(String cutoff, int max) throws SQLException {
    List<String> ids = new ArrayList<>();
    finished.setString(1, cutoff);
    finished.setInt(2, max);
    try (ResultSet rows = finished.executeQuery()) {
      while (rows.next()) {
        ids.add(rows.getString(1));
      }
    }
    for (PreparedStatement delete : List.of(deleteTransitions, deleteOutput, deleteRecord)) {
      for (String id : ids) {
        delete.setString(1, id);
        delete.addBatch();
      }
      delete.executeBatch();
    }
    return ids.size();
  }

  private ProcessState stateOf(String id) throws SQLException {
    stateOf.setString(1, id);
    try (ResultSet rows = stateOf.executeQuery()) {
      return rows.next() ? ProcessState.fromWire(rows.getString(1)) : null;
    }
  }

  private void insert(RecordRow row, String plan, String dispatchedAt) throws SQLException {
    insert.setString(1, row.id());
    insert.setString(2, row.owner());
    insert.setString(3, row.command());
    insert.setString(4, row.label());
    insert.setString(5, row.state().wire());
    insert.setString(6, row.reason());
    insert.setString(7, row.createdAt());
    insert.setString(8, row.endedAt());
    insert.setString(9, row.json());
    insert.setString(10, plan);
    insert.setString(11, dispatchedAt);
    insert.executeUpdate();
  }

  private void transition(RecordRow row, String at) throws SQLException {
    appendTransition.setString(1, row.id());
    appendTransition.setString(2, row.id());
    appendTransition.setString(3, row.state().wire());
    appendTransition.setString(4, at);
    appendTransition.setString(5, row.json());
    appendTransition.executeUpdate();
  }

  /** Closes its statements (the journal prepares new ones after a failed transaction). */
  void close() throws SQLException {
    stateOf.close();
    insert.close();
    update.close();
    setPlan.close();
    dispatch.close();
    keepKey.close();
    byKey.close();
    evictKeys.close();
    appendTransition.close();
    get.close();
    live.close();
    finished.close();
    deleteTransitions.close();
    deleteOutput.close();
    deleteRecord.close();
  }
}
