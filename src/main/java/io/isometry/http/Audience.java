package io.isometry.http;

import io.isometry.auth.Principal;
import io.isometry.contract.EventType;
import io.isometry.contract.Fields;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who may receive an engine event: stats go to everyone, an event about a process only to those who
 * may see that process (its owner, viewers and admins). Output and usage events name the process but
 * not its owner, so the owner of every process is learnt from its lifecycle events, which always come
 * first. Used on the HTTP verticle's context only.
 */
final class Audience {

  /**
   * The owners remembered, most recently used kept. A process's output can come long after its first
   * event, but not after this many newer processes, so older ones can go.
   */
  static final int MAX_OWNERS = 65_536;

  /** Whom one event may reach: everyone, or those who see the process of {@code owner}. */
  record Scope(boolean everyone, String owner) {

    boolean admits(Principal principal) {
      return everyone || principal.sees(owner);
    }
  }

  private static final Scope EVERYONE = new Scope(true, null);

  private final Map<String, String> owners = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > MAX_OWNERS;
    }
  };

  /** Remembers the owner of the process a lifecycle event is about. */
  void learn(JsonObject event) {
    if (EventType.fromWire(event.getValue(Fields.TYPE)) == EventType.PROCESS && event.getValue(Fields.RECORD) instanceof JsonObject record
        && record.getValue(Fields.ID) instanceof String id && record.getValue(Fields.OWNER) instanceof String owner) {
      owners.put(id, owner);
    }
  }

  /**
   * The scope of an event. An event of a process whose owner is unknown (and of a kind this class does
   * not know) has no owner: only viewers and admins, who see everything, receive it.
   */
  Scope scopeOf(JsonObject event) {
    EventType type = EventType.fromWire(event.getValue(Fields.TYPE));
    if (type == EventType.STATS) {
      return EVERYONE;
    }
    if (type == EventType.PROCESS && event.getValue(Fields.RECORD) instanceof JsonObject record) {
      return new Scope(false, record.getString(Fields.OWNER));
    }
    if ((type == EventType.OUTPUT || type == EventType.USAGE) && event.getValue(Fields.ID) instanceof String id) {
      return new Scope(false, owners.get(id));
    }
    if (type == EventType.REJECTED && event.getValue(Fields.OWNER) instanceof String owner) {
      return new Scope(false, owner);
    }
    return new Scope(false, null);
  }
}
