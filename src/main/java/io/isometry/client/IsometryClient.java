package io.isometry.client;

import io.isometry.contract.Addresses;
import io.isometry.contract.EngineError;
import io.isometry.contract.Fields;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The typed Java face of the engine's event-bus contract, for a host application that embeds the
 * engine (or any JVM on its cluster). Every call is a request to a public address; failures arrive
 * as {@link EngineError} with the contract's error code ({@code not_found}, {@code invalid_state},
 * {@code security_violation} with its violations, ...).
 */
public final class IsometryClient {

  private final EventBus bus;
  private final DeliveryOptions options;

  /** A client acting for {@code anonymous}. */
  public IsometryClient(Vertx vertx) {
    this(vertx, "anonymous");
  }

  /** A client acting for {@code owner}: the principal recorded on what it submits. */
  public IsometryClient(Vertx vertx, String owner) {
    this.bus = vertx.eventBus();
    this.options = new DeliveryOptions().addHeader(Addresses.HEADER_OWNER, owner);
  }

  public Future<ProcessSnapshot> submit(Submission submission) {
    return request(Addresses.SUBMIT, submission.toJson()).map(ProcessSnapshot::new);
  }

  /** A dry run of the security policy: nothing starts. */
  public Future<Verdict> validate(Submission submission) {
    return request(Addresses.VALIDATE, submission.toJson()).map(Verdict::fromJson);
  }

  public Future<ProcessSnapshot> cancel(String id) {
    return control(Addresses.CANCEL, id);
  }

  public Future<ProcessSnapshot> suspend(String id) {
    return control(Addresses.SUSPEND, id);
  }

  public Future<ProcessSnapshot> resume(String id) {
    return control(Addresses.RESUME, id);
  }

  public Future<ProcessSnapshot> background(String id) {
    return control(Addresses.BACKGROUND, id);
  }

  public Future<ProcessSnapshot> get(String id) {
    return control(Addresses.GET, id);
  }

  /** Records newest first; {@code state} may be null for all of them. */
  public Future<List<ProcessSnapshot>> list(String state, int limit) {
    JsonObject query = new JsonObject().put(Fields.LIMIT, limit);
    if (state != null) {
      query.put(Fields.STATE, state);
    }
    return request(Addresses.LIST, query).map(reply -> reply.getJsonArray(Fields.ITEMS).stream()
        .map(item -> new ProcessSnapshot((JsonObject) item)).toList());
  }

  /** The retained tail of {@code stream} ({@code stdout} or {@code stderr}). */
  public Future<String> output(String id, String stream) {
    return request(Addresses.OUTPUT, new JsonObject().put(Fields.ID, id).put(Fields.STREAM, stream))
        .map(reply -> reply.getString(Fields.DATA));
  }

  /** {@code {running, background, suspended, queued, completed, limits}}. */
  public Future<JsonObject> stats() {
    return request(Addresses.STATS, new JsonObject());
  }

  /** Every lifecycle change of every process, with the whole record; unregister the consumer to stop. */
  public MessageConsumer<JsonObject> onProcess(Handler<ProcessSnapshot> handler) {
    return bus.consumer(Addresses.EVENT_PROCESS,
        message -> handler.handle(new ProcessSnapshot(message.body().getJsonObject(Fields.RECORD))));
  }

  /** Every output chunk of every process. */
  public MessageConsumer<JsonObject> onOutput(Handler<OutputEvent> handler) {
    return bus.consumer(Addresses.EVENT_OUTPUT, message -> handler.handle(OutputEvent.fromJson(message.body())));
  }

  /** The stats, every monitor interval and on change. */
  public MessageConsumer<JsonObject> onStats(Handler<JsonObject> handler) {
    return bus.consumer(Addresses.EVENT_STATS, message -> handler.handle(message.body().getJsonObject(Fields.STATS)));
  }

  private Future<ProcessSnapshot> control(String address, String id) {
    return request(address, new JsonObject().put(Fields.ID, id)).map(ProcessSnapshot::new);
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return bus.<JsonObject>request(address, body, options)
        .map(reply -> reply.body())
        .recover(failure -> Future.failedFuture(EngineError.from(failure)));
  }
}
