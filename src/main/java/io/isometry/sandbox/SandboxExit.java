package io.isometry.sandbox;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Reads what a sandbox's bubblewrap wrote on its status descriptor, one JSON document per line:
 * {@code {"child-pid": N, ...}} (pid 1's host pid) when the sandbox is made, and
 * {@code {"exit-code": N}} once the command it ran ended. The exit code is the command's own, or 128 +
 * the signal that killed it (bubblewrap folds a signal the way a shell does); codes 129 to 192 are read
 * back as that signal, so a command that calls {@code exit(130)} itself is reported as ended by SIGINT,
 * as a shell would report it. A document that does not parse counts as absent: the caller then treats
 * the sandbox as failed, never as a success.
 */
public final class SandboxExit {

  private static final int SIGNAL_BASE = 128;
  private static final int LAST_SIGNAL = 64;

  private SandboxExit() {
  }

  /** Pid 1's host pid, or -1 when the status does not give it. */
  public static int childPid(String status) {
    Integer pid = field(status, "child-pid");
    return pid == null || pid <= 1 ? -1 : pid;
  }

  /** The command's exit code, or null when the sandbox never ran it (it failed to set up). */
  public static Integer exitCode(String status) {
    return field(status, "exit-code");
  }

  /** The signal number an exit code stands for, or 0 when it is a plain exit code. */
  public static int signalOf(int exitCode) {
    return exitCode > SIGNAL_BASE && exitCode <= SIGNAL_BASE + LAST_SIGNAL ? exitCode - SIGNAL_BASE : 0;
  }

  private static Integer field(String status, String name) {
    for (String line : status.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        if (new JsonObject(line).getValue(name) instanceof Number number) {
          return number.intValue();
        }
      } catch (DecodeException | ClassCastException malformed) {
        // A line cut short (the sandbox died while writing) says nothing.
      }
    }
    return null;
  }
}
