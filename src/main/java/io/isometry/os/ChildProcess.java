package io.isometry.os;

import java.io.InputStream;

/**
 * A child started by {@link PosixSpawner}: the leader of its own session and process group (its
 * pid is the group id), with the read ends of its stdout and stderr pipes. Each stream is read
 * once, by one thread, and closed when drained. {@code status} is the read end of the pipe on the
 * child's descriptor 3 when it was asked for (a sandbox helper's reports), else null; {@code hold}
 * the engine's end of the pipe on its descriptor 4 that a sandbox helper waits on before it runs the
 * command, when it was asked for, else null.
 */
public record ChildProcess(int pid, InputStream stdout, InputStream stderr, InputStream status, Hold hold) {
}
