package io.isometry.client;

import io.isometry.contract.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** A submit request, built fluently: {@code Submission.of("ls -la").cwd("src").timeoutMs(5_000)}. */
public final class Submission {

  private final JsonObject body = new JsonObject();

  private Submission() {
  }

  /** A command line, parsed by the engine with POSIX quoting rules (never by a shell). */
  public static Submission of(String command) {
    Submission submission = new Submission();
    submission.body.put(Fields.COMMAND, command);
    return submission;
  }

  /** An argv, taken as it is. */
  public static Submission argv(List<String> argv) {
    Submission submission = new Submission();
    submission.body.put(Fields.ARGV, new JsonArray(List.copyOf(argv)));
    return submission;
  }

  public Submission cwd(String cwd) {
    body.put(Fields.CWD, cwd);
    return this;
  }

  public Submission env(Map<String, String> env) {
    body.put(Fields.ENV, new JsonObject(Map.copyOf(env)));
    return this;
  }

  public Submission timeoutMs(long timeoutMs) {
    body.put(Fields.TIMEOUT_MS, timeoutMs);
    return this;
  }

  public Submission memoryLimitBytes(long bytes) {
    body.put(Fields.MEMORY_LIMIT_BYTES, bytes);
    return this;
  }

  public Submission background(boolean background) {
    body.put(Fields.BACKGROUND, background);
    return this;
  }

  public Submission label(String label) {
    body.put(Fields.LABEL, label);
    return this;
  }

  /**
   * A key for a request the host may send again (after a timeout, a reconnect): the same key from the
   * same principal within 24 hours answers the first request's record instead of running it again.
   */
  public Submission idempotencyKey(String key) {
    body.put(Fields.IDEMPOTENCY_KEY, key);
    return this;
  }

  /** A pipe as the process's stdin, written with {@link IsometryClient#writeStdin}; otherwise /dev/null. */
  public Submission stdin(boolean stdin) {
    body.put(Fields.STDIN, stdin);
    return this;
  }

  /** A pseudo-terminal of {@code cols} × {@code rows} as the process's stdin, stdout and stderr. */
  public Submission tty(int cols, int rows) {
    body.put(Fields.TTY, true).put(Fields.COLS, cols).put(Fields.ROWS, rows);
    return this;
  }

  /** The body as it goes on the wire. */
  public JsonObject toJson() {
    return body.copy();
  }
}
