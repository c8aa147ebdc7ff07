package io.isometry.supervisor;

import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.isometry.contract.TerminalSize;
import io.isometry.os.ChildInput;
import io.vertx.core.json.JsonObject;

/**
 * A run's stdin and terminal as clients use them (on the actor): writes and resizes handed to its
 * {@link ChildInput}, and the contract's errors for what they cannot do.
 */
final class RunInput {

  private RunInput() {
  }

  static void write(ProcessRecord record, ChildInput input, byte[] bytes, boolean eof) {
    try {
      input.write(bytes);
      if (eof) {
        input.end();
      }
    } catch (ChildInput.Refused refused) {
      throw refused.refusal() == ChildInput.Refusal.FULL
          ? new EngineError(ErrorCode.STDIN_FULL, refused.getMessage() + "; try again once it has read some")
          : new EngineError(ErrorCode.INVALID_STATE, "cannot write to the stdin of process " + record.id + ": "
              + refused.getMessage(), state(record));
    }
  }

  static void resize(ProcessRecord record, ChildInput input, TerminalSize size) {
    try {
      input.resize(size.cols(), size.rows());
      record.tty = size;
    } catch (ChildInput.Refused refused) {
      throw ProcessRun.invalidState(record, "resize the terminal of");
    }
  }

  static EngineError noStdin(ProcessRecord record) {
    return new EngineError(ErrorCode.INVALID_STATE, "process " + record.id
        + " was not started with stdin (submit it with \"stdin\": true)", state(record));
  }

  static EngineError noTerminal(ProcessRecord record) {
    return new EngineError(ErrorCode.INVALID_STATE, "process " + record.id + " has no terminal to resize",
        state(record));
  }

  /** The child has ended (or is being killed as it starts): its stdin is closed, and what waited dropped. */
  static void close(ProcessLauncher.Launched child) {
    if (child != null && child.child() != null && child.child().input() != null) {
      child.child().input().close();
    }
  }

  private static JsonObject state(ProcessRecord record) {
    return new JsonObject().put(Fields.STATE, record.state.wire());
  }
}
