package io.isometry.supervisor;

import io.isometry.contract.Addresses;
import io.isometry.contract.Caller;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.isometry.contract.Stream;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * Records and their output from the supervisor's memory, or, once a record has been evicted or the
 * engine restarted, from the journal; either way only what the caller may see.
 */
final class RecordLookup {

  /** Who the supervisor is when it asks the journal for records: it judges the caller's right to them itself. */
  private static final Caller ITSELF = Caller.trustedHost("supervisor");

  private final EventBus bus;
  private final ProcessViews views;

  RecordLookup(EventBus bus, ProcessViews views) {
    this.bus = bus;
    this.views = views;
  }

  /** A record from memory, or from the journal. */
  Future<JsonObject> get(String id, Caller caller) {
    try {
      return Future.succeededFuture(views.get(id, caller));
    } catch (EngineError e) {
      if (e.code() != ErrorCode.NOT_FOUND) {
        throw e;
      }
      return journalRecord(id, caller);
    }
  }

  /** The retained output, from memory or from the journal (for records the journal alone still holds). */
  Future<JsonObject> output(String id, Stream stream, Caller caller) {
    try {
      return Future.succeededFuture(views.output(id, stream, caller));
    } catch (EngineError e) {
      if (e.code() != ErrorCode.NOT_FOUND) {
        throw e;
      }
      return journalRecord(id, caller).compose(record -> bus
          .<JsonObject>request(Addresses.JOURNAL_OUTPUT_GET, new JsonObject().put(Fields.ID, id).put(Fields.STREAM, stream.wire()),
              ITSELF.headers())
          .map(reply -> reply.body()));
    }
  }

  /** The journal's record, if the caller may see it; otherwise, like a record nobody has, not found. */
  private Future<JsonObject> journalRecord(String id, Caller caller) {
    EngineError notFound = new EngineError(ErrorCode.NOT_FOUND, "no process '" + id + "'");
    return bus.<JsonObject>request(Addresses.JOURNAL_GET, new JsonObject().put(Fields.ID, id), ITSELF.headers())
        .transform(reply -> reply.succeeded() && caller.sees(reply.result().body().getString(Fields.OWNER))
            ? Future.succeededFuture(reply.result().body()) : Future.failedFuture(notFound));
  }
}
