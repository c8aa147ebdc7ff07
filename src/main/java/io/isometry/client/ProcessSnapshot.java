package io.isometry.client;

import io.isometry.contract.Fields;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Reason;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A process record as the engine published it, with typed accessors for what a host application
 * usually looks at; {@link #json()} has the whole record.
 */
public record ProcessSnapshot(JsonObject json) {

  public String id() {
    return json.getString(Fields.ID);
  }

  public ProcessState state() {
    return ProcessState.fromWire(json.getString(Fields.STATE));
  }

  public boolean isTerminal() {
    return state().isTerminal();
  }

  public String command() {
    return json.getString(Fields.COMMAND);
  }

  public List<String> argv() {
    return json.getJsonArray(Fields.ARGV).stream().map(String.class::cast).toList();
  }

  public String owner() {
    return json.getString(Fields.OWNER);
  }

  public Long pid() {
    return json.getLong(Fields.PID);
  }

  public Integer exitCode() {
    return json.getInteger(Fields.EXIT_CODE);
  }

  /** The terminating signal ({@code SIGKILL}, ...), or null. */
  public String signal() {
    return json.getString(Fields.SIGNAL);
  }

  /** Why it ended, or null while it is live. */
  public Reason reason() {
    String reason = json.getString(Fields.REASON);
    return reason == null ? null : Reason.fromWire(reason);
  }

  public boolean background() {
    return json.getBoolean(Fields.BACKGROUND, false);
  }

  public Integer queuePosition() {
    return json.getInteger(Fields.QUEUE_POSITION);
  }

  public long stdoutBytes() {
    return json.getJsonObject(Fields.OUTPUT).getLong(Fields.STDOUT_BYTES);
  }

  public long stderrBytes() {
    return json.getJsonObject(Fields.OUTPUT).getLong(Fields.STDERR_BYTES);
  }
}
