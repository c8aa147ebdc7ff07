package io.isometry.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends a signal to a child's whole process group. Blocking (it reads {@code /proc} and runs
 * {@code kill}): call it off the event loop.
 */
final class Signaller {

  private final String kill;

  Signaller(String kill) {
    this.kill = kill;
  }

  /**
   * Signals the group led by {@code pid}, also after the leader itself has gone. Until the child
   * has called setsid, in the first instants after the spawn, there is no such group yet and the
   * child is signalled alone: it has no descendants then.
   */
  void signalTree(long pid, String signal) {
    String target = notYetInItsOwnGroup(pid) ? Long.toString(pid) : "-" + pid;
    try {
      Process process = new ProcessBuilder(kill, "-s", signal, "--", target)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      process.waitFor();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + kill + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** True while the process exists but is not yet the leader of a group of its own. */
  private static boolean notYetInItsOwnGroup(long pid) {
    Long group = processGroup(pid);
    return group != null && group != pid;
  }

  /** The process-group id of a process, or null when there is no such process. */
  static Long processGroup(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so parse from the last ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 4);
      return Long.parseLong(fields[2]);
    } catch (IOException | RuntimeException gone) {
      return null;
    }
  }
}
