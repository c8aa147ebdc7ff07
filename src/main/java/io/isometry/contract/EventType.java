package io.isometry.contract;

import java.util.Locale;

/**
 * The {@code type} of every event the engine publishes (and the WebSocket feed relays), so that the
 * sender and every reader use one name.
 */
public enum EventType {
  /** {@link Addresses#EVENT_PROCESS}: a lifecycle change, with the whole record. */
  PROCESS,
  /** {@link Addresses#EVENT_OUTPUT}: a chunk of a process's output. */
  OUTPUT,
  /** {@link Addresses#EVENT_STATS}: the stats. */
  STATS,
  /** {@link Addresses#EVENT_USAGE}: a sample of a process tree's resources. */
  USAGE,
  /** {@link Addresses#EVENT_ORPHAN}: processes the sweep found with no live record, and killed. */
  ORPHAN,
  /** {@link Addresses#EVENT_REJECTED}: a refused request, for the audit trail. */
  REJECTED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type an event names; null for anything else. */
  public static EventType fromWire(Object wire) {
    for (EventType type : values()) {
      if (type.wire().equals(wire)) {
        return type;
      }
    }
    return null;
  }
}
