package io.isometry.client;

import io.isometry.contract.Addresses;
import io.isometry.contract.Caller;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Stream;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
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

  private IsometryClient(EventBus bus, DeliveryOptions options) {
    this.bus = bus;
    this.options = options;
  }

  /**
   * The client of an embedding host, acting as {@code principal} with every right (admin): what it
   * submits is recorded as {@code principal}'s. The engine trusts the host that deployed it; it
   * trusts nothing that says no role (see {@link Caller}).
   */
  public static IsometryClient trusted(Vertx vertx, String principal) {
    return as(vertx.eventBus(), Caller.trustedHost(principal));
  }

  /** A client acting for a caller its user has authenticated (a bridge, a host with users of its own). */
  public static IsometryClient as(EventBus bus, Caller caller) {
    return new IsometryClient(bus, caller.headers());
  }

  /** The same caller, for processes that belong to the connection {@code clientId}: they end when it goes. */
  public IsometryClient forConnection(String clientId) {
    return new IsometryClient(bus, new DeliveryOptions(options).addHeader(Addresses.HEADER_CLIENT, clientId));
  }

  public Future<ProcessSnapshot> submit(Submission submission) {
    return request(Addresses.SUBMIT, submission.toJson()).map(ProcessSnapshot::new);
  }

  /**
   * Submits and completes with the process's final record (succeeded, failed, cancelled, timed out,
   * killed or lost: whatever ended it, its {@link ProcessSnapshot#reason()} says why), or fails as
   * {@link #submit} does. The output is on {@link #onOutput} meanwhile, and in {@link #output} after.
   */
  public Future<ProcessSnapshot> run(Submission submission) {
    FinalRecord end = new FinalRecord();
    MessageConsumer<JsonObject> events = onProcess(end::offer);
    return events.completion()
        .compose(listening -> submit(submission))
        .compose(end::awaitEndOf)
        .eventually(events::unregister);
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

  /**
   * Writes {@code data} (may be empty) to the stdin of a process submitted with stdin, then, with
   * {@code eof}, ends its input; fails {@code stdin_full} while 64 KiB of it wait unread.
   */
  public Future<ProcessSnapshot> writeStdin(String id, String data, boolean eof) {
    JsonObject body = new JsonObject().put(Fields.ID, id).put(Fields.DATA, data);
    if (eof) {
      body.put(Fields.EOF, true);
    }
    return request(Addresses.STDIN, body).map(ProcessSnapshot::new);
  }

  /** Sets the window of a process's terminal. */
  public Future<ProcessSnapshot> resize(String id, int cols, int rows) {
    return request(Addresses.RESIZE, new JsonObject().put(Fields.ID, id).put(Fields.COLS, cols).put(Fields.ROWS, rows))
        .map(ProcessSnapshot::new);
  }

  public Future<ProcessSnapshot> get(String id) {
    return control(Addresses.GET, id);
  }

  /** Records newest first; {@code state} may be null for all of them. */
  public Future<List<ProcessSnapshot>> list(ProcessState state, int limit) {
    JsonObject query = new JsonObject().put(Fields.LIMIT, limit);
    if (state != null) {
      query.put(Fields.STATE, state.wire());
    }
    return request(Addresses.LIST, query).map(reply -> reply.getJsonArray(Fields.ITEMS).stream()
        .map(item -> new ProcessSnapshot((JsonObject) item)).toList());
  }

  /** The retained tail of {@code stream}. */
  public Future<String> output(String id, Stream stream) {
    return request(Addresses.OUTPUT, new JsonObject().put(Fields.ID, id).put(Fields.STREAM, stream.wire()))
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

  /**
   * A request to any public address of {@link Addresses} with a JSON body, answered with the JSON
   * reply; what the typed calls above are made of, and what a bridge relays its clients' bodies with.
   */
  public Future<JsonObject> request(String address, JsonObject body) {
    return bus.request(address, body, options)
        .map(IsometryClient::jsonBody)
        .recover(failure -> Future.failedFuture(EngineError.from(failure)));
  }

  private static JsonObject jsonBody(Message<Object> reply) {
    if (reply.body() instanceof JsonObject json) {
      return json;
    }
    throw new EngineError(ErrorCode.INTERNAL_ERROR, "the engine answered with something other than a JSON object");
  }
}
