package io.isometry.client;

import io.isometry.contract.Fields;
import io.isometry.validation.Violation;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The validator's answer to a dry run: allowed or not, every violation, and the plan that would run. */
public record Verdict(boolean allowed, List<Violation> violations, JsonObject plan) {

  static Verdict fromJson(JsonObject json) {
    return new Verdict(json.getBoolean(Fields.ALLOWED),
        json.getJsonArray(Fields.VIOLATIONS).stream().map(violation -> Violation.fromJson((JsonObject) violation)).toList(),
        json.getJsonObject(Fields.PLAN));
  }
}
