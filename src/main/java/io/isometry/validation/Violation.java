package io.isometry.validation;

import io.isometry.contract.EngineError;
import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One broken rule: the type and detail are for programs, the message for a person. The message
 * never echoes a secret value back.
 */
public record Violation(ViolationType type, Severity severity, String message, JsonObject detail) {

  /** A violation as the wire carries it (a verdict's, or a {@code security_violation} error's). */
  public static Violation fromJson(JsonObject json) {
    return new Violation(ViolationType.fromWire(json.getString("type")), Severity.fromWire(json.getString("severity")),
        json.getString("message"), json.getJsonObject("detail"));
  }

  /** The violations a {@code security_violation} error carries; none for any other error. */
  public static List<Violation> in(EngineError error) {
    JsonArray violations = error.toJson().getJsonArray("violations");
    return violations == null ? List.of()
        : violations.stream().map(violation -> fromJson((JsonObject) violation)).toList();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("type", type.wire())
        .put("severity", severity.wire())
        .put("message", message)
        .put("detail", detail);
  }
}
