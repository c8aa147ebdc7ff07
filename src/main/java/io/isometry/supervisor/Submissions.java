package io.isometry.supervisor;

import static io.isometry.contract.Requests.header;

import io.isometry.contract.Addresses;
import io.isometry.contract.Caller;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.isometry.contract.SubmitRequest;
import io.isometry.validation.ExecutionPlan;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;

/**
 * The way of a submit from the event bus to the supervisor: the caller's right to run anything, an
 * early refusal when it could not be taken, the validator's verdict (a refusal is audited and
 * counted), and the idempotency key, whose retry answers with the first request's record.
 */
final class Submissions {

  private static final long VALIDATION_TIMEOUT_MS = 10_000;

  private final EventBus bus;
  private final Supervisor supervisor;
  private final RecordLookup records;
  private final SupervisorEvents events;
  private final SupervisorMetrics metrics;
  private final Clock clock;

  Submissions(EventBus bus, Supervisor supervisor, RecordLookup records, SupervisorEvents events,
              SupervisorMetrics metrics, Clock clock) {
    this.bus = bus;
    this.supervisor = supervisor;
    this.records = records;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  Future<JsonObject> submit(JsonObject body, Message<?> message) {
    String clientId = header(message, Addresses.HEADER_CLIENT);
    Caller caller = Caller.of(message);
    caller.requireControl();
    String owner = caller.principal();
    SubmitRequest request = SubmitRequest.fromJson(body);
    String key = request.idempotencyKey();
    if (key == null) {
      return validateAndAdmit(body, request, caller, clientId);
    }
    // A retry answers with the first request's record, whatever became of it; it never runs again.
    return firstWithKey(owner, key, caller)
        .compose(first -> first != null ? Future.succeededFuture(first) : validateAndAdmit(body, request, caller, clientId));
  }

  private Future<JsonObject> validateAndAdmit(JsonObject body, SubmitRequest request, Caller caller, String clientId) {
    String owner = caller.principal();
    supervisor.checkAdmissible(request, owner);
    long validationStart = System.nanoTime();
    // The caller goes along: the request is judged in its owner's workspace.
    return bus.<JsonObject>request(Addresses.VALIDATE, body,
            new DeliveryOptions().setSendTimeout(VALIDATION_TIMEOUT_MS)
                .addHeader(Addresses.HEADER_OWNER, owner).addHeader(Addresses.HEADER_ROLE, caller.role().wire()))
        .compose(verdict -> {
          metrics.validated(Duration.ofNanos(System.nanoTime() - validationStart));
          JsonObject result = verdict.body();
          if (!result.getBoolean(Fields.ALLOWED, false)) {
            return refuse(owner, body, result.getJsonArray(Fields.VIOLATIONS, new JsonArray()));
          }
          // The same key may have come again while this one was judged: the first to get here runs.
          String raced = request.idempotencyKey() == null ? null : supervisor.keyed(owner, request.idempotencyKey());
          if (raced != null) {
            return records.get(raced, caller);
          }
          return supervisor.admit(supervisor.prepare(request, ExecutionPlan.fromJson(result.getJsonObject(Fields.PLAN)),
              owner, clientId));
        });
  }

  /**
   * The record of {@code owner}'s first request with {@code key} within the window, from memory or
   * (after a restart) from the journal; null when there is none. When the journal cannot say, the
   * submit is refused (503): running it could run it twice.
   */
  private Future<JsonObject> firstWithKey(String owner, String key, Caller caller) {
    String id = supervisor.keyed(owner, key);
    if (id != null) {
      return records.get(id, caller);
    }
    return bus.<JsonObject>request(Addresses.JOURNAL_BY_KEY,
            new JsonObject().put(Fields.OWNER, owner).put(Fields.IDEMPOTENCY_KEY, key),
            new DeliveryOptions().setSendTimeout(VALIDATION_TIMEOUT_MS))
        .transform(found -> {
          if (found.succeeded()) {
            return Future.succeededFuture(found.result().body());
          }
          if (EngineError.from(found.cause()).code() == ErrorCode.NOT_FOUND) {
            return Future.succeededFuture();
          }
          return Future.failedFuture(new EngineError(ErrorCode.UNAVAILABLE,
              "the journal cannot say whether this key was used before: " + found.cause().getMessage()));
        });
  }

  private Future<JsonObject> refuse(String owner, JsonObject request, JsonArray violations) {
    for (Object violation : violations) {
      metrics.refused(((JsonObject) violation).getString("type"));
    }
    events.rejected(owner, withoutEnvironmentValues(request), violations, clock.instant());
    String first = violations.isEmpty() ? "" : ": " + violations.getJsonObject(0).getString("message");
    return Future.failedFuture(new EngineError(ErrorCode.SECURITY_VIOLATION,
        "the request breaks the security policy" + first, new JsonObject().put(Fields.VIOLATIONS, violations)));
  }

  /** The audit trail keeps the names of requested variables, never their values (they may be secrets). */
  private static JsonObject withoutEnvironmentValues(JsonObject request) {
    JsonObject copy = request.copy();
    if (copy.getValue(Fields.ENV) instanceof JsonObject env) {
      copy.put(Fields.ENV, new JsonArray(new ArrayList<>(env.fieldNames())));
    }
    return copy;
  }
}
