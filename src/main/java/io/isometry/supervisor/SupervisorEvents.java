package io.isometry.supervisor;

import io.isometry.contract.Addresses;
import io.isometry.contract.EventType;
import io.isometry.contract.Fields;
import io.isometry.contract.Stream;
import io.isometry.contract.Timestamps;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What the supervisor tells the world: on the event bus, in the shapes the WebSocket feed relays
 * ({@link #on(EventBus)}); a recorder in unit tests.
 */
interface SupervisorEvents {

  /** A lifecycle change, with the whole record. */
  void process(JsonObject record);

  void output(String id, Stream stream, long offset, int bytes, String data);

  void stats(JsonObject stats);

  /** Hands the retained output of an ended process to the journal, for readers after a restart. */
  void journalOutput(String id, String stdout, String stderr);

  /** The audit trail of a refused request: who asked, what, and every violation. */
  void rejected(String owner, JsonObject request, JsonArray violations, Instant at);

  static SupervisorEvents on(EventBus bus) {
    return new SupervisorEvents() {
      @Override
      public void process(JsonObject record) {
        bus.publish(Addresses.EVENT_PROCESS, new JsonObject().put(Fields.TYPE, EventType.PROCESS.wire()).put(Fields.RECORD, record));
      }

      @Override
      public void output(String id, Stream stream, long offset, int bytes, String data) {
        bus.publish(Addresses.EVENT_OUTPUT, new JsonObject()
            .put(Fields.TYPE, EventType.OUTPUT.wire())
            .put(Fields.ID, id)
            .put(Fields.STREAM, stream.wire())
            .put(Fields.OFFSET, offset)
            .put(Fields.BYTES, bytes)
            .put(Fields.DATA, data));
      }

      @Override
      public void stats(JsonObject stats) {
        bus.publish(Addresses.EVENT_STATS, new JsonObject().put(Fields.TYPE, EventType.STATS.wire()).put(Fields.STATS, stats));
      }

      @Override
      public void journalOutput(String id, String stdout, String stderr) {
        bus.send(Addresses.JOURNAL_OUTPUT, new JsonObject().put(Fields.ID, id)
            .put(Stream.STDOUT.wire(), stdout).put(Stream.STDERR.wire(), stderr));
      }

      @Override
      public void rejected(String owner, JsonObject request, JsonArray violations, Instant at) {
        bus.publish(Addresses.EVENT_REJECTED, new JsonObject()
            .put(Fields.TYPE, EventType.REJECTED.wire())
            .put(Fields.OWNER, owner)
            .put("request", request)
            .put(Fields.VIOLATIONS, violations)
            .put("at", Timestamps.format(at)));
      }
    };
  }
}
