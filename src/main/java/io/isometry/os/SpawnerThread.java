package io.isometry.os;

import com.sun.jna.Memory;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that spawns children. When the engine runs as root and children must run as
 * someone else, this thread alone takes that identity for the instant of each spawn (with raw,
 * per-thread system calls) so the child is born unprivileged, with {@code no_new_privs} set, and
 * without the extra {@code exec} of a wrapper such as {@code setpriv}. It keeps 0 as its saved uid
 * so it can return to root; {@code execve} copies the child's effective uid over its saved one, so
 * the child cannot. On cgroup v1 it also carries unconfined children into their cgroups: a new task
 * is born in the cgroups of the thread that forks it.
 */
public final class SpawnerThread implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SpawnerThread.class);
  /**
   * Work for JNA's cleaner thread that never ends. That thread ends after 30 s without work, and the
   * next thread to need it starts it again: the spawner thread, if it were idle so long, while it
   * stands in a job (see {@link #startHelperThreads()}).
   */
  private static final Memory CLEANER_WORK = new Memory(1);

  private final ExecutorService thread;
  private final Identity runAs;
  private final int[] ownGroups;

  /**
   * @param runAs the identity of children, or null to spawn them as the engine itself
   */
  public SpawnerThread(Identity runAs) throws java.io.IOException {
    startHelperThreads();
    this.runAs = runAs;
    this.ownGroups = runAs == null ? new int[0] : supplementaryGroups();
    this.thread = Executors.newSingleThreadExecutor(task -> {
      Thread spawner = new Thread(task, "isometry-spawner");
      spawner.setDaemon(true);
      return spawner;
    });
    if (runAs != null) {
      call(() -> {
        ThreadSyscalls.noNewPrivileges();
        ThreadSyscalls.clearAmbientCapabilities();
        return null;
      });
    }
  }

  /**
   * Starts, from the calling (engine's) thread, the helper threads that the JVM and JNA start lazily
   * from whichever thread first needs them. A thread is born in the cgroups and the network namespace
   * of the thread that creates it: started by the spawner thread while it stands in a job, a helper
   * would live in that job for good, charged to its limits, frozen and counted with it, and keeping it
   * from ever being empty. Loading the C library starts both: JNA's cleaner, and the JDK's process
   * reaper (JNA runs {@code ldconfig -p} to find libraries). JNA's cleaner is kept busy by
   * {@link #CLEANER_WORK}, made as this class is initialised, on the thread that first makes a spawner;
   * the spawner thread itself starts no JDK process that would need the reaper.
   */
  private static void startHelperThreads() {
    LibC.load();
  }

  /** True when this machine lets one thread take another identity (x86_64 and arm64 Linux). */
  public static boolean canSwitchIdentity() {
    return ThreadSyscalls.supported();
  }

  /**
   * Runs {@code spawn} on the spawner thread: first {@code place}, which answers the cgroups the
   * child is to be born in (or null), then the spawn inside them and as {@code runAs} when one is
   * set, then back to the engine's own cgroups and identity.
   */
  public <T> CompletableFuture<T> submit(Callable<ThreadPlacement> place, Callable<T> spawn) {
    CompletableFuture<T> result = new CompletableFuture<>();
    thread.execute(() -> {
      try {
        result.complete(placed(place.call(), spawn));
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  /** Runs {@code task} on the spawner thread as the engine itself (root), and waits for it. */
  public <T> T asEngine(Callable<T> task) throws java.io.IOException {
    try {
      return call(task);
    } catch (IllegalStateException e) {
      throw e.getCause() instanceof java.io.IOException io ? io : new java.io.IOException(e.getMessage(), e);
    }
  }

  private <T> T placed(ThreadPlacement placement, Callable<T> spawn) throws Exception {
    if (placement == null) {
      return runAs == null ? spawn.call() : asRunAs(spawn);
    }
    try {
      placement.enter();
      return runAs == null ? spawn.call() : asRunAs(spawn);
    } finally {
      leave(placement);
    }
  }

  /**
   * Back to the engine's own cgroups, also after a partial enter. A failure here must not turn a
   * spawned child into a failed spawn (nobody would reap or read it): it is logged, and the next
   * spawn's enter puts the thread where it belongs again.
   */
  private static void leave(ThreadPlacement placement) {
    try {
      placement.leave();
    } catch (IOException e) {
      LOG.error("The spawner thread could not leave a job's cgroups: {}", e.getMessage());
    }
  }

  private <T> T call(Callable<T> task) {
    Future<T> result = thread.submit(task);
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
  }

  private <T> T asRunAs(Callable<T> spawn) throws Exception {
    // Groups and gid first, while this thread still has the capabilities to change them.
    ThreadSyscalls.setgroups(new int[0]);
    ThreadSyscalls.setresgid(runAs.gid(), runAs.gid(), 0);
    ThreadSyscalls.setresuid(runAs.uid(), runAs.uid(), 0);
    try {
      return spawn.call();
    } finally {
      ThreadSyscalls.setresuid(0, 0, 0);
      ThreadSyscalls.setresgid(0, 0, 0);
      ThreadSyscalls.setgroups(ownGroups);
    }
  }

  /** The engine's supplementary groups, to give the spawner thread back after each spawn. */
  private static int[] supplementaryGroups() throws java.io.IOException {
    for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
      if (line.startsWith("Groups:")) {
        String list = line.substring("Groups:".length()).trim();
        return list.isEmpty() ? new int[0]
            : java.util.Arrays.stream(list.split("\\s+")).mapToInt(Integer::parseInt).toArray();
      }
    }
    return new int[0];
  }

  /** Stops the thread, and waits (a few seconds at most) for a spawn under way to return. Blocking. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
