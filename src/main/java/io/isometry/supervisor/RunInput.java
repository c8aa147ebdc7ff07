package io.isometry.supervisor;

import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.isometry.contract.TerminalSize;
import io.isometry.os.ChildInput;
import io.vertx.core.json.JsonObject;

/**
 * A run's stdin and terminal as clients use them (on the actor): writes and resizes handed to its
 * child's {@link ChildInput} while its leader lives, and the contract's errors for what they cannot do.
 */
final class RunInput {

  private final ProcessRecord record;
  /** Its child's stdin (or terminal) from its launch until its leader exits; null outside that time or without one. */
  private ChildInput input;

  RunInput(ProcessRecord record) {
    this.record = record;
  }

  /** Its child was launched: what clients send goes to its stdin (or terminal), if it has one. */
  void attach(ProcessLauncher.Launched child) {
    input = child.child() == null ? null : child.child().input();
  }

  /** Writes {@code bytes} to its stdin, then (with {@code eof}) ends it; never waits for the process to read. */
  void write(byte[] bytes, boolean eof) {
    ChildInput live = live("write to the stdin of");
    try {
      live.write(bytes);
      if (eof) {
        live.end();
      }
    } catch (ChildInput.Refused refused) {
      throw refused.refusal() == ChildInput.Refusal.FULL
          ? new EngineError(ErrorCode.STDIN_FULL, refused.getMessage() + "; try again once it has read some")
          : new EngineError(ErrorCode.INVALID_STATE, "cannot write to the stdin of process " + record.id + ": "
              + refused.getMessage(), state());
    }
  }

  /** Sets its terminal's window; one that has not {@code started} gets it at its start. */
  void resize(TerminalSize size, boolean started) {
    if (record.tty == null) {
      throw new EngineError(ErrorCode.INVALID_STATE, "process " + record.id + " has no terminal to resize", state());
    }
    if (!started) {
      record.tty = size;
      return;
    }
    ChildInput live = live("resize the terminal of");
    try {
      live.resize(size.cols(), size.rows());
      record.tty = size;
    } catch (ChildInput.Refused refused) {
      throw ProcessRun.invalidState(record, "resize the terminal of");
    }
  }

  /** Its leader has ended (or the run has): its stdin is closed, and what waited dropped. */
  void close() {
    if (input != null) {
      input.close();
      input = null;
    }
  }

  /** A child launched for a run that has already ended: its stdin is closed at once. */
  static void close(ProcessLauncher.Launched child) {
    if (child.child() != null && child.child().input() != null) {
      child.child().input().close();
    }
  }

  /** Its stdin, while its child runs; {@code invalid_state} when it has none or is not running. */
  private ChildInput live(String action) {
    if (!record.stdin) {
      throw new EngineError(ErrorCode.INVALID_STATE, "process " + record.id
          + " was not started with stdin (submit it with \"stdin\": true)", state());
    }
    if (input == null) {
      throw ProcessRun.invalidState(record, action);
    }
    return input;
  }

  private JsonObject state() {
    return new JsonObject().put(Fields.STATE, record.state.wire());
  }
}
