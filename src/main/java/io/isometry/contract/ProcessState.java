package io.isometry.contract;

import java.util.Locale;

/** The states of a process record; see the state machine in docs/contract.md. */
public enum ProcessState {
  QUEUED, RUNNING, SUSPENDED,
  SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, KILLED, LOST;

  /** The name on the wire: lower case, e.g. {@code timed_out}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isTerminal() {
    return ordinal() >= SUCCEEDED.ordinal();
  }

  public static ProcessState fromWire(String wire) {
    for (ProcessState state : values()) {
      if (state.wire().equals(wire)) {
        return state;
      }
    }
    throw new IllegalArgumentException("unknown state '" + wire + "'");
  }
}
