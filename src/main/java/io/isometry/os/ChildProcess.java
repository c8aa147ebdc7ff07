package io.isometry.os;

import java.io.InputStream;

/**
 * A child started by {@link PosixSpawner}: the leader of its own session and process group (its
 * pid is the group id), with the read ends of its stdout and stderr pipes. Each stream is read
 * once, by one thread, and closed when drained. {@code status} is the read end of the pipe on the
 * child's descriptor 3 when it was asked for (a sandbox helper's reports), else null; {@code hold}
 * the engine's end of the pipe on its descriptor 4 that a sandbox helper waits on before it runs the
 * command, when it was asked for, else null. {@code input} is the engine's end of its stdin when it
 * has a pipe or a terminal there, else null (its stdin is {@code /dev/null}); on a terminal,
 * {@code stdout} reads everything the child writes, and {@code stderr} is null.
 */
public record ChildProcess(int pid, InputStream stdout, InputStream stderr, InputStream status, Hold hold,
                           ChildInput input) {

  public ChildProcess(int pid, InputStream stdout, InputStream stderr, InputStream status, Hold hold) {
    this(pid, stdout, stderr, status, hold, null);
  }
}
