package io.isometry.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
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
   * fourth pipe as descriptor 4 (what bubblewrap's {@code --block-fd 4} waits on before it runs the
   * command), and the engine its write end as {@link ChildProcess#hold()}.
   */
  public ChildProcess spawn(List<String> argv, Path cwd, Map<String, String> env, boolean statusPipe, boolean held)
      throws SpawnException {
    if (held && !statusPipe) {
      throw new IllegalArgumentException("a held child gets descriptor 4: it needs the status pipe on 3");
    }
    List<int[]> pipes = new ArrayList<>(4);
    try {
      pipes.add(pipe());
      pipes.add(pipe());
      if (statusPipe) {
        pipes.add(pipe());
      }
      if (held) {
        pipes.add(pipe());
      }
    } catch (SpawnException e) {
      pipes.forEach(PosixSpawner::closeAll);
      throw e;
    }
    int pid;
    try {
      pid = spawnWith(argv, cwd, env, pipes.get(0)[1], pipes.get(1)[1], statusPipe ? pipes.get(2)[1] : -1,
          held ? pipes.get(3)[0] : -1);
    } catch (SpawnException e) {
      pipes.forEach(PosixSpawner::closeAll);
      throw e;
    }
    // The child has its own copies now; the engine keeps only the read ends (and the hold's write end).
    for (int i = 0; i < 3 && i < pipes.size(); i++) {
      LibC.close(pipes.get(i)[1]);
    }
    if (held) {
      LibC.close(pipes.get(3)[0]);
    }
    return new ChildProcess(pid, new PipeInputStream(pipes.get(0)[0]), new PipeInputStream(pipes.get(1)[0]),
        statusPipe ? new PipeInputStream(pipes.get(2)[0]) : null, held ? new Hold(pipes.get(3)[1]) : null);
  }

  private static int spawnWith(List<String> argv, Path cwd, Map<String, String> env, int out, int err, int status,
                               int hold) throws SpawnException {
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
      check(LibC.posix_spawn_file_actions_addopen(actions, 0, devNull, LibC.O_RDONLY, 0), "stdin");
      check(LibC.posix_spawn_file_actions_adddup2(actions, out, 1), "stdout");
      check(LibC.posix_spawn_file_actions_adddup2(actions, err, 2), "stderr");
      check(LibC.posix_spawn_file_actions_addchdir_np(actions, directory), "working directory");
      if (status >= 0) {
        // dup2 clears close-on-exec on the copy (also when status is 3 already, in glibc).
        check(LibC.posix_spawn_file_actions_adddup2(actions, status, 3), "status");
      }
      if (hold >= 0) {
        check(LibC.posix_spawn_file_actions_adddup2(actions, hold, 4), "hold");
      }
      check(LibC.posix_spawn_file_actions_addclosefrom_np(actions, hold >= 0 ? 5 : status >= 0 ? 4 : 3), "descriptors");
      check(LibC.posix_spawnattr_init(attributes), "attributes");
      try {
        check(LibC.sigemptyset(emptyMask), "signal mask");
        check(LibC.sigfillset(allSignals), "signal defaults");
        check(LibC.posix_spawnattr_setflags(attributes, FLAGS), "flags");
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

  private static void closeAll(int[] fds) {
    for (int fd : fds) {
      LibC.close(fd);
    }
  }
}
