package io.isometry.client;

import io.isometry.contract.Fields;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The validator's answer to a dry run: allowed or not, every violation, and the plan that would run. */
public record Verdict(boolean allowed, List<JsonObject> violations, JsonObject plan) {

  static Verdict fromJson(JsonObject json) {
    return new Verdict(json.getBoolean(Fields.ALLOWED),
        json.getJsonArray(Fields.VIOLATIONS).stream().map(JsonObject.class::cast).toList(),
        json.getJsonObject(Fields.PLAN));
  }
}
