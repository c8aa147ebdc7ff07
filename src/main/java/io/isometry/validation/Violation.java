package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonObject;

/**
 * One broken rule: the type and detail are for programs, the message for a person. The message
 * never echoes a secret value back.
 */
public record Violation(ViolationType type, Severity severity, String message, JsonObject detail) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("type", type.wire())
        .put("severity", severity.wire())
        .put("message", message)
        .put("detail", detail);
  }
}
