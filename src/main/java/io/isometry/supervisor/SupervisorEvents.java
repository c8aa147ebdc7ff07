package io.isometry.supervisor;

import io.isometry.contract.Addresses;
import io.isometry.contract.Fields;
import io.isometry.contract.Timestamps;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** Publishes the supervisor's events on the event bus, in the shapes the WebSocket feed relays. */
final class SupervisorEvents {

  private final EventBus bus;

  SupervisorEvents(EventBus bus) {
    this.bus = bus;
  }

  void process(JsonObject record) {
    bus.publish(Addresses.EVENT_PROCESS, new JsonObject().put(Fields.TYPE, "process").put(Fields.RECORD, record));
  }

  void output(String id, String stream, long offset, int bytes, String data) {
    bus.publish(Addresses.EVENT_OUTPUT, new JsonObject()
        .put(Fields.TYPE, "output")
        .put(Fields.ID, id)
        .put(Fields.STREAM, stream)
        .put(Fields.OFFSET, offset)
        .put(Fields.BYTES, bytes)
        .put(Fields.DATA, data));
  }

  void stats(JsonObject stats) {
    bus.publish(Addresses.EVENT_STATS, new JsonObject().put(Fields.TYPE, "stats").put(Fields.STATS, stats));
  }

  /** Hands the retained output of an ended process to the journal, for readers after a restart. */
  void journalOutput(String id, String stdout, String stderr) {
    bus.send(Addresses.JOURNAL_OUTPUT, new JsonObject().put(Fields.ID, id).put("stdout", stdout).put("stderr", stderr));
  }

  /** The audit trail of a refused request: who asked, what, and every violation. */
  void rejected(String owner, JsonObject request, JsonArray violations, Instant at) {
    bus.publish(Addresses.EVENT_REJECTED, new JsonObject()
        .put(Fields.TYPE, "rejected")
        .put(Fields.OWNER, owner)
        .put("request", request)
        .put(Fields.VIOLATIONS, violations)
        .put("at", Timestamps.format(at)));
  }
}
