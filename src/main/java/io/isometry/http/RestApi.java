package io.isometry.http;

import io.isometry.auth.Principal;
import io.isometry.contract.EngineError;
import io.isometry.contract.Fields;
import io.isometry.contract.Stream;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/**
 * The REST routes of {@code /api/v1}: each reads its request, asks the engine over the event bus for
 * the principal that {@link BearerAuthentication} let through, and writes the answer. Failures go to
 * the router's failure handler via {@code rc.fail}, or by throwing, which the router turns into the
 * same thing.
 */
final class RestApi {

  static final String BASE = "/api/v1";


  private final EngineRequests engine;
  private final SubmitLimiter limiter;
  private final JsonObject surface;

  /**
   * @param surface what the HTTP side adds to the supervisor's capabilities (the bridge port, the
   *     limits of this API, ...)
   */
  RestApi(EngineRequests engine, SubmitLimiter limiter, JsonObject surface) {
    this.engine = engine;
    this.limiter = limiter;
    this.surface = surface;
  }

  /**
   * Adds the routes to {@code router}; request bodies must already have been read into the context,
   * and the principal found by {@link BearerAuthentication}.
   */
  void mount(Router router) {
    router.post(BASE + "/processes").handler(this::submit);
    router.get(BASE + "/processes").handler(rc -> reply(rc, 200, engine.list(principal(rc), listQuery(rc))));
    router.get(BASE + "/processes/:id").handler(rc -> reply(rc, 200, engine.get(principal(rc), rc.pathParam("id"))));
    router.get(BASE + "/processes/:id/output").handler(this::output);
    EngineRequests.CONTROL_ACTIONS.forEach((action, address) -> router.post(BASE + "/processes/:id/" + action)
        .handler(rc -> reply(rc, 202, engine.control(BearerAuthentication.controller(rc), address, rc.pathParam("id")))));
    EngineRequests.INTERACTIONS.forEach((action, address) -> router.post(BASE + "/processes/:id/" + action)
        .handler(rc -> reply(rc, 202, engine.interact(BearerAuthentication.controller(rc), address, rc.pathParam("id"),
            jsonBody(rc)))));
    router.post(BASE + "/validate").handler(rc -> reply(rc, 200, engine.validate(principal(rc), jsonBody(rc))));
    router.get(BASE + "/stats").handler(rc -> reply(rc, 200, engine.stats(principal(rc))));
    router.get(BASE + "/history").handler(rc -> reply(rc, 200, engine.history(principal(rc), historyQuery(rc))));
    router.get(BASE + "/rejections").handler(rc -> reply(rc, 200, engine.rejections(principal(rc), rejectionsQuery(rc))));
    router.get(BASE + "/capabilities").handler(this::capabilities);
    router.get(BASE + "/cluster").handler(rc -> reply(rc, 200, engine.cluster(principal(rc))));
  }

  private void submit(RoutingContext rc) {
    Principal principal = BearerAuthentication.controller(rc);
    JsonObject body = jsonBody(rc);
    String key = rc.request().getHeader(Fields.IDEMPOTENCY_KEY_HEADER);
    if (key != null) {
      // One way in for the supervisor: the header becomes the body's field (which it may not contradict).
      if (body.getValue(Fields.IDEMPOTENCY_KEY) != null && !key.equals(body.getValue(Fields.IDEMPOTENCY_KEY))) {
        throw EngineError.invalid("the " + Fields.IDEMPOTENCY_KEY_HEADER + " header and '" + Fields.IDEMPOTENCY_KEY
            + "' differ");
      }
      body.put(Fields.IDEMPOTENCY_KEY, key);
    }
    limiter.acquire(principal);
    reply(rc, 202, engine.submit(principal, body));
  }

  private void output(RoutingContext rc) {
    Stream stream = Stream.fromWire(rc.request().getParam(Fields.STREAM));
    engine.output(principal(rc), rc.pathParam("id"), stream.wire())
        .onSuccess(tail -> {
          // Where the retained text starts in the whole stream: a client that also follows the feed
          // places live chunks by their offsets after it.
          rc.response().putHeader(Fields.OUTPUT_OFFSET_HEADER, Long.toString(tail.getLong(Fields.OFFSET, 0L)));
          Responses.text(rc, tail.getString(Fields.DATA, ""));
        })
        .onFailure(rc::fail);
  }

  /** What the machine enforces (the supervisor's answer), what this surface offers, and who is asking. */
  private void capabilities(RoutingContext rc) {
    Principal principal = principal(rc);
    // The supervisor's answer already says who asks (name, role, workspace): it was asked as this principal.
    reply(rc, 200, engine.capabilities(principal).map(machine -> machine.copy().mergeIn(surface)));
  }

  private static Principal principal(RoutingContext rc) {
    return BearerAuthentication.principal(rc);
  }

  private static void reply(RoutingContext rc, int status, Future<JsonObject> answer) {
    answer.onSuccess(body -> Responses.json(rc, status, body)).onFailure(rc::fail);
  }

  private static JsonObject jsonBody(RoutingContext rc) {
    Buffer body = rc.body().buffer();
    if (body == null || body.length() == 0) {
      throw EngineError.invalid("the body must be a JSON object");
    }
    return ClientJson.object(body.toString(StandardCharsets.UTF_8), "the body");
  }

  /** {@code ?state=&limit=}: an empty parameter counts as absent. */
  private static JsonObject listQuery(RoutingContext rc) {
    return query(rc, Fields.STATE);
  }

  /** {@code ?q=&limit=}: an empty parameter counts as absent. */
  private static JsonObject historyQuery(RoutingContext rc) {
    return query(rc, "q");
  }

  /** {@code ?limit=}: an empty parameter counts as absent. */
  private static JsonObject rejectionsQuery(RoutingContext rc) {
    return query(rc, null);
  }

  /** A text parameter (null: none) and a positive {@code limit}, each left out when absent or empty. */
  private static JsonObject query(RoutingContext rc, String textParameter) {
    JsonObject query = new JsonObject();
    String text = textParameter == null ? null : rc.request().getParam(textParameter);
    if (text != null && !text.isEmpty()) {
      query.put(textParameter, text);
    }
    String limit = rc.request().getParam(Fields.LIMIT);
    if (limit != null && !limit.isEmpty()) {
      query.put(Fields.LIMIT, positiveInt(Fields.LIMIT, limit));
    }
    return query;
  }

  private static int positiveInt(String name, String text) {
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      value = 0;
    }
    if (value <= 0) {
      throw EngineError.invalid("'" + name + "' must be a positive integer, got '" + text + "'");
    }
    return value;
  }
}
