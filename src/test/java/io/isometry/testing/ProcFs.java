package io.isometry.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the kernel's view of a process, for tests that check what really happened. */
public final class ProcFs {

  private ProcFs() {
  }

  /** The state letter of {@code /proc/<pid>/stat} (R, S, T, Z, ...), or null when there is no such process. */
  public static Character state(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      return stat.charAt(stat.lastIndexOf(')') + 2);
    } catch (IOException gone) {
      return null;
    }
  }

  /**
   * Waits up to two seconds for a process to reach a state (a signal is delivered asynchronously:
   * kill(2) returns before the target has acted on it) and answers the last state seen.
   */
  public static Character awaitState(long pid, char wanted) throws InterruptedException {
    Character state = state(pid);
    for (int i = 0; i < 200 && (state == null || state != wanted); i++) {
      Thread.sleep(10);
      state = state(pid);
    }
    return state;
  }

  /** True when the process exists and is not a zombie waiting to be reaped. */
  public static boolean alive(long pid) {
    Character state = state(pid);
    return state != null && state != 'Z' && state != 'X';
  }
}
