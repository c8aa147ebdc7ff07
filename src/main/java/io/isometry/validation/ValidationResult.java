package io.isometry.validation;

import io.isometry.contract.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The verdict on a request: every violation found, and the plan when there is none. */
public record ValidationResult(List<Violation> violations, ExecutionPlan plan) {

  public boolean allowed() {
    return violations.isEmpty();
  }

  /** {@code {allowed, violations, plan}}; the plan is null when the request is refused. */
  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    violations.forEach(violation -> list.add(violation.toJson()));
    return new JsonObject()
        .put(Fields.ALLOWED, allowed())
        .put(Fields.VIOLATIONS, list)
        .put(Fields.PLAN, allowed() ? plan.toJson() : null);
  }
}
