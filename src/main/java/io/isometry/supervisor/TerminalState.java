package io.isometry.supervisor;

import io.isometry.contract.ProcessState;
import io.isometry.contract.Reason;
import io.isometry.os.WaitStatus;

/**
 * The one rule that decides a record's terminal state: the engine's reason when it ended the
 * process, otherwise how the process exited (a status the engine could not learn counts as failed).
 */
final class TerminalState {

  private static final int MESSAGE_MAX = 500;

  private TerminalState() {
  }

  /**
   * Writes the terminal state, reason and exit into {@code record}.
   *
   * @param exit how its leader exited, or null when that was never learnt
   * @param ending why the engine ended it, or null when it ended by itself
   */
  static void decide(ProcessRecord record, WaitStatus exit, Reason ending) {
    if (exit != null) {
      record.exitCode = exit.exitCode();
      record.signal = exit.signal() == null ? null : exit.signal().name();
    }
    if (ending != null) {
      record.reason = ending;
      record.state = ending.terminalState();
      if (ending == Reason.SPAWN_FAILED && record.message == null) {
        // On a terminal, bubblewrap's complaint went where everything goes: to the terminal.
        record.message = "the sandbox could not be set up: "
            + lastLine((record.tty != null ? record.stdout : record.stderr).text());
      }
    } else {
      record.reason = Reason.EXIT;
      record.state = exit != null && exit.succeeded() ? ProcessState.SUCCEEDED : ProcessState.FAILED;
    }
  }

  /** The last line a failed sandbox wrote ({@code bwrap: Can't find source path …}), at most 500 characters. */
  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    String last = lines[lines.length - 1].strip();
    if (last.isEmpty()) {
      return "it said nothing";
    }
    return last.length() > MESSAGE_MAX ? last.substring(0, MESSAGE_MAX) : last;
  }
}
