package io.isometry.contract;

import java.util.Locale;

/** Why a process ended, and the terminal state each reason leads to. */
public enum Reason {
  /** It exited by itself: the state follows from its exit code or signal. */
  EXIT(null),
  CANCELLED(ProcessState.CANCELLED),
  TIMEOUT(ProcessState.TIMED_OUT),
  MEMORY_LIMIT(ProcessState.KILLED),
  CLIENT_DISCONNECTED(ProcessState.CANCELLED),
  BACKGROUND_EXPIRED(ProcessState.KILLED),
  ENGINE_SHUTDOWN(ProcessState.LOST),
  ENGINE_RESTART(ProcessState.LOST),
  /** Its node left the cluster without stopping (a crash, a lost network): the oldest survivor says so. */
  NODE_LOST(ProcessState.LOST),
  ORPHAN(ProcessState.KILLED),
  /** It could not be started (the record's {@code message} says why); nothing of it ran. */
  SPAWN_FAILED(ProcessState.FAILED);

  private final ProcessState terminalState;

  Reason(ProcessState terminalState) {
    this.terminalState = terminalState;
  }

  /** The terminal state of a process that the engine ended for this reason. */
  public ProcessState terminalState() {
    if (terminalState == null) {
      throw new IllegalStateException("the state of an exit follows from its status");
    }
    return terminalState;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The reason a record names. */
  public static Reason fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
