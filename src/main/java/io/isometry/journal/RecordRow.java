package io.isometry.journal;

import io.isometry.contract.EngineError;
import io.isometry.contract.Fields;
import io.isometry.contract.ProcessState;
import io.vertx.core.json.JsonObject;

/**
 * A process record as the journal stores it: the columns it filters and sorts on, and the whole
 * record encoded once. Read from a message on the event loop, so a malformed record is refused
 * there and never reaches the writer thread, and what crosses to that thread is immutable.
 */
record RecordRow(String id, String owner, String command, String label, ProcessState state, String reason,
                 String createdAt, String endedAt, String json) {

  static RecordRow from(Object value) {
    if (!(value instanceof JsonObject record)) {
      throw EngineError.invalid("'record' must be an object");
    }
    ProcessState state;
    try {
      state = ProcessState.fromWire(required(record, Fields.STATE));
    } catch (IllegalArgumentException e) {
      throw EngineError.invalid("'record.state' is not a state");
    }
    return new RecordRow(required(record, Fields.ID), required(record, Fields.OWNER), required(record, Fields.COMMAND),
        optional(record, Fields.LABEL), state, optional(record, Fields.REASON), required(record, Fields.CREATED_AT),
        optional(record, Fields.ENDED_AT), record.encode());
  }

  private static String required(JsonObject record, String field) {
    String value = optional(record, field);
    if (value == null || value.isEmpty()) {
      throw EngineError.invalid("'record." + field + "' is required");
    }
    return value;
  }

  private static String optional(JsonObject record, String field) {
    Object value = record.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw EngineError.invalid("'record." + field + "' must be a string");
    }
    return (String) value;
  }
}
