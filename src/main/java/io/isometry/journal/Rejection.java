package io.isometry.journal;

import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A refused request as the audit trail keeps it, read from an {@code EVENT_REJECTED} body. */
record Rejection(String owner, String request, String violations, String at) {

  static Rejection from(JsonObject event, String receivedAt) {
    if (event == null || !(event.getValue("request") instanceof JsonObject request)) {
      throw new EngineError(ErrorCode.INVALID_REQUEST, "'request' must be an object");
    }
    if (!(event.getValue(Fields.VIOLATIONS) instanceof JsonArray violations)) {
      throw new EngineError(ErrorCode.INVALID_REQUEST, "'violations' must be an array");
    }
    String owner = event.getValue(Fields.OWNER) instanceof String name ? name : "anonymous";
    String at = event.getValue("at") instanceof String time ? time : receivedAt;
    return new Rejection(owner, request.encode(), violations.encode(), at);
  }
}
