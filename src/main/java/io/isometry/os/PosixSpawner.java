package io.isometry.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts children with {@code posix_spawn(3)} so that each one, before its first instruction, is
 * the leader of a new session and process group ({@code POSIX_SPAWN_SETSID}): the engine can then
 * signal its whole tree with one {@code kill(-pgid)}, with no window in which the group does not
 * exist yet. This is what util-linux {@code setsid} does, without a second exec (which costs as much
 * as the spawn itself). The child gets {@code /dev/null} as stdin, fresh pipes as stdout and stderr,
 * no other descriptor of the engine, default signal dispositions, an empty signal mask, exactly the
 * given environment and working directory. Blocking (until the child has exec'd): call it off the
 * event loop.
 */
public final class PosixSpawner {

  private static final short FLAGS =
      LibC.POSIX_SPAWN_SETSID | LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF;

  /**
   * @param argv the command, {@code argv[0]} an absolute path (never looked up on a PATH)
   * @throws SpawnException when the system cannot start it; no descriptor is left open then
   */
  public ChildProcess spawn(List<String> argv, Path cwd, Map<String, String> env) throws SpawnException {
    return spawn(argv, cwd, env, false, false);
  }

  /** As {@link #spawn(List, Path, Map, boolean, boolean)}, not held. */
  public ChildProcess spawn(List<String> argv, Path cwd, Map<String, String> env, boolean statusPipe)
      throws SpawnException {
    return spawn(argv, cwd, env, statusPipe, false);
  }

  /**
   * As {@link #spawn(List, Path, Map)}; with {@code statusPipe}, the child also gets the write end of
   * a third pipe as descriptor 3 (where a sandbox helper reports on what it runs), and the engine its
   * read end as {@link ChildProcess#status()}. With {@code held}, the child gets the read end of a
   * fourth pipe as descriptor 4 (what bubblewrap's {@code --seccomp 4} waits on before it runs the
   * command), and the engine its write end as {@link ChildProcess#hold()}.
   */
  public ChildProcess spawn(List<String> argv, Path cwd, Map<String, String> env, boolean statusPipe, boolean held)
      throws SpawnException {
    return spawn(argv, cwd, env, statusPipe, held, ChildStdin.NULL, true);
  }

  /**
   * As {@link #spawn(List, Path, Map, boolean, boolean)}, with {@code stdin} as the child's standard
   * input: {@code /dev/null}, the read end of a pipe (the engine keeps the write end as
   * {@link ChildProcess#input()}), or the slave of a new pseudo-terminal as its descriptors 0, 1 and 2
   * (the engine keeps the master: {@link ChildProcess#stdout()} reads it, {@code input()} writes it, and
   * there is no stderr). Without {@code newSession} the child stays in the engine's session and group,
   * to make its own: that is how a command takes a terminal as its controlling one (util-linux
   * {@code setsid --ctty}, which forks when its caller already leads a group).
   */
  public ChildProcess spawn(List<String> argv, Path cwd, Map<String, String> env, boolean statusPipe, boolean held,
                            ChildStdin stdin, boolean newSession) throws SpawnException {
    if (held && !statusPipe) {
      throw new IllegalArgumentException("a held child gets descriptor 4: it needs the status pipe on 3");
    }
    // Indices: 0 stdout, 1 stderr, 2 status, 3 hold, 4 stdin; absent ones are null.
    int[][] pipes = new int[5][];
    Terminals.Pair terminal = null;
    try {
      if (stdin.terminal()) {
        terminal = Terminals.open(stdin.cols(), stdin.rows());
      } else {
        pipes[0] = pipe();
        pipes[1] = pipe();
      }
      if (statusPipe) {
        pipes[2] = pipe();
      }
      if (held) {
        pipes[3] = pipe();
      }
      if (stdin.kind() == ChildStdin.Kind.PIPE) {
        pipes[4] = pipe();
      }
    } catch (SpawnException e) {
      closeAll(pipes, terminal);
      throw e;
    }
    int pid;
    try {
      ChildFds descriptors = new ChildFds(
          stdin.kind() == ChildStdin.Kind.PIPE ? pipes[4][0] : terminal != null ? terminal.slave() : -1,
          terminal != null ? terminal.slave() : pipes[0][1], terminal != null ? terminal.slave() : pipes[1][1],
          statusPipe ? pipes[2][1] : -1, held ? pipes[3][0] : -1);
      pid = spawnWith(argv, cwd, env, descriptors, newSession);
    } catch (SpawnException e) {
      closeAll(pipes, terminal);
      throw e;
    }
    // The child has its own copies now; the engine keeps only its ends.
    for (int i = 0; i < 3; i++) {
      if (pipes[i] != null) {
        LibC.close(pipes[i][1]);
      }
    }
    if (held) {
      LibC.close(pipes[3][0]);
    }
    InputStream stdout;
    InputStream stderr = null;
    ChildInput input = null;
    if (terminal != null) {
      LibC.close(terminal.slave());
      // Two descriptors of the one master: its reader and its writer each close their own.
      input = new ChildInput(terminal.master(), true);
      stdout = new PipeInputStream(terminal.reader());
    } else {
      stdout = new PipeInputStream(pipes[0][0]);
      stderr = new PipeInputStream(pipes[1][0]);
    }
    if (pipes[4] != null) {
      LibC.close(pipes[4][0]);
      input = new ChildInput(pipes[4][1], false);
    }
    return new ChildProcess(pid, stdout, stderr, statusPipe ? new PipeInputStream(pipes[2][0]) : null,
        held ? new Hold(pipes[3][1]) : null, input);
  }

  /** The child's descriptors 0 to 4, as descriptors of the engine (stdin -1: /dev/null; status, hold -1: none). */
  private record ChildFds(int stdin, int out, int err, int status, int hold) {
  }

  private static int spawnWith(List<String> argv, Path cwd, Map<String, String> env, ChildFds fds,
                               boolean newSession) throws SpawnException {
    List<Memory> keep = new ArrayList<>();
    List<String> environment = new ArrayList<>(env.size());
    env.forEach((name, value) -> environment.add(name + "=" + value));
    Memory actions = new Memory(LibC.FILE_ACTIONS_BYTES);
    Memory attributes = new Memory(LibC.SPAWNATTR_BYTES);
    Memory emptyMask = new Memory(LibC.SIGSET_BYTES);
    Memory allSignals = new Memory(LibC.SIGSET_BYTES);
    Memory devNull = CStrings.of("/dev/null");
    Memory directory = CStrings.of(cwd.toString());
    Memory path = CStrings.of(argv.get(0));
    Memory argvArray = CStrings.array(argv, keep);
    Memory envArray = CStrings.array(environment, keep);
    check(LibC.posix_spawn_file_actions_init(actions), "file actions");
    try {
      if (fds.stdin() >= 0) {
        check(LibC.posix_spawn_file_actions_adddup2(actions, fds.stdin(), 0), "stdin");
      } else {
        check(LibC.posix_spawn_file_actions_addopen(actions, 0, devNull, LibC.O_RDONLY, 0), "stdin");
      }
      check(LibC.posix_spawn_file_actions_adddup2(actions, fds.out(), 1), "stdout");
      check(LibC.posix_spawn_file_actions_adddup2(actions, fds.err(), 2), "stderr");
      check(LibC.posix_spawn_file_actions_addchdir_np(actions, directory), "working directory");
      if (fds.status() >= 0) {
        // dup2 clears close-on-exec on the copy (also when status is 3 already, in glibc).
        check(LibC.posix_spawn_file_actions_adddup2(actions, fds.status(), 3), "status");
      }
      if (fds.hold() >= 0) {
        check(LibC.posix_spawn_file_actions_adddup2(actions, fds.hold(), 4), "hold");
      }
      check(LibC.posix_spawn_file_actions_addclosefrom_np(actions,
          fds.hold() >= 0 ? 5 : fds.status() >= 0 ? 4 : 3), "descriptors");
      check(LibC.posix_spawnattr_init(attributes), "attributes");
      try {
        check(LibC.sigemptyset(emptyMask), "signal mask");
        check(LibC.sigfillset(allSignals), "signal defaults");
        check(LibC.posix_spawnattr_setflags(attributes,
            newSession ? FLAGS : (short) (FLAGS & ~LibC.POSIX_SPAWN_SETSID)), "flags");
        check(LibC.posix_spawnattr_setsigmask(attributes, emptyMask), "signal mask");
        check(LibC.posix_spawnattr_setsigdefault(attributes, allSignals), "signal defaults");
        IntByReference pid = new IntByReference();
        int error = LibC.posix_spawn(pid, path, actions, attributes, argvArray, envArray);
        if (error != 0) {
          throw new SpawnException("cannot run " + argv.get(0) + " in " + cwd + ": " + LibC.describe(error));
        }
        return pid.getValue();
      } finally {
        LibC.posix_spawnattr_destroy(attributes);
      }
    } finally {
      LibC.posix_spawn_file_actions_destroy(actions);
      keep.clear();
    }
  }

  private static int[] pipe() throws SpawnException {
    int[] fds = new int[2];
    try {
      LibC.pipe2(fds, LibC.O_CLOEXEC);
      return fds;
    } catch (LastErrorException e) {
      throw new SpawnException("cannot create a pipe: " + LibC.describe(e.getErrorCode()));
    }
  }

  private static void check(int error, String what) throws SpawnException {
    if (error != 0) {
      throw new SpawnException("cannot prepare the spawn (" + what + "): " + LibC.describe(error));
    }
  }

  private static void closeAll(int[][] pipes, Terminals.Pair terminal) {
    for (int[] fds : pipes) {
      if (fds != null) {
        LibC.close(fds[0]);
        LibC.close(fds[1]);
      }
    }
    if (terminal != null) {
      LibC.close(terminal.master());
      LibC.close(terminal.reader());
      LibC.close(terminal.slave());
    }
  }
}
