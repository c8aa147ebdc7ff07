package io.isometry.supervisor;

import io.isometry.os.CgroupJob;
import io.isometry.os.ChildProcess;
import io.isometry.os.ChildStdin;
import io.isometry.os.JobPool;
import io.isometry.os.OwnerNetworks;
import io.isometry.os.PosixSpawner;
import io.isometry.os.ProcStat;
import io.isometry.os.Reaper;
import io.isometry.os.Signal;
import io.isometry.os.SpawnException;
import io.isometry.sandbox.CommandWatch;
import io.isometry.sandbox.Sandbox;
import io.isometry.sandbox.SandboxExit;
import io.isometry.sandbox.StatusPipe;
import io.isometry.sandbox.Workspaces;
import io.isometry.validation.ExecutionPlan;
import io.isometry.validation.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Starts a validated plan in its owner's workspace, confined by the sandbox when one is in force,
 * under the limits the machine can enforce from before the command's first instruction: the sandbox
 * moved into its cgroups while bubblewrap holds it before it forks the command, an unconfined child
 * born inside its cgroups v1, or util-linux {@code prlimit} that sets its rlimits and then execs it.
 * A sandbox is spawned as soon as the run asks, and held until the run may start ({@code go}).
 * The environment is the plan's, built from scratch, so the engine's own environment and its secrets
 * never reach a child. Spawns run on the spawner thread, a sandbox's setup on a thread of its own;
 * the caller gets a future.
 */
final class ProcessLauncher implements Launcher, AutoCloseable {

  /**
   * A started child, how to signal its tree, the start time of the tree's pid in clock ticks since
   * boot (to find it again after a crash; -1 if it ended before it could be read), and the cgroups that
   * hold its tree (null without cgroup enforcement), and when it started: spawned, or, in the sandbox,
   * let go from its hold.
   */
  record Launched(ChildProcess child, ProcessTree tree, long startTicks, CgroupJob job, Stamp spawned) {
  }

  private static final Path ROOT = Path.of("/");
  /**
   * util-linux {@code setsid}: with {@code --ctty} it makes the command the leader of a session of its
   * own and takes the terminal on its stdin as that session's controlling terminal (TIOCSCTTY), then
   * execs it. Only a session leader can take a controlling terminal, and posix_spawn has no such step.
   * The same path inside the sandbox, whose root has the host's /usr.
   */
  private static final List<String> SETSID = List.of("/usr/bin/setsid", "/bin/setsid");
  /** What a terminal says it is when the plan does not: what the console renders (SGR colours), as xterm does. */
  private static final String TERMINAL_TYPE = "xterm-256color";
  private final PosixSpawner spawner = new PosixSpawner();
  /** Sees each sandbox's command appear, pacing its looks by how long recent setups took. */
  private final CommandWatch commands = new CommandWatch();
  private final Enforcement enforcement;
  private final Function<ExecutionPlan, List<Violation>> recheck;
  private final long maxProcesses;
  private final JobPool jobs;
  private final Workspaces workspaces;
  private final String setsid = SETSID.stream().filter(path -> Files.isExecutable(Path.of(path))).findFirst().orElse(null);
  /** The names of the jobs taken for starts under way. */
  private final Set<String> starting = ConcurrentHashMap.newKeySet();
  /** Where sandboxes are settled and watched while they set up: a thread each, for a few milliseconds. */
  private final ExecutorService setups = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "isometry-sandbox-setup");
    thread.setDaemon(true);
    return thread;
  });

  /**
   * @param recheck judges a plan again as it starts (its paths may have been swapped for links while it
   *     waited in the queue); a plan with violations is not spawned
   * @param workspaces makes an owner's workspace again when it went missing while its request waited
   * @param readyJobs how many cgroup jobs to keep ready (about the number of processes that may start at once)
   */
  ProcessLauncher(Enforcement enforcement, Function<ExecutionPlan, List<Violation>> recheck, Workspaces workspaces,
                  long defaultMemoryBytes, long maxProcesses, int readyJobs) {
    this.enforcement = enforcement;
    this.recheck = recheck;
    this.workspaces = workspaces;
    this.maxProcesses = maxProcesses;
    this.jobs = enforcement.cgroups == null ? null
        : new JobPool(enforcement.cgroups, defaultMemoryBytes, maxProcesses, readyJobs);
  }

  @Override
  public CompletableFuture<Launched> launch(ExecutionPlan plan, long memoryBytes, ChildStdin stdin,
                                            CompletableFuture<Boolean> go) {
    if (plan.workspace() == null) {
      return CompletableFuture.failedFuture(new SpawnException(
          "the plan names no workspace (it was queued by an older engine): submit the command again"));
    }
    if (stdin.terminal() && setsid == null) {
      return CompletableFuture.failedFuture(new SpawnException(
          "a terminal needs util-linux setsid (" + String.join(" or ", SETSID) + "), which this machine lacks"));
    }
    Path workspace = Path.of(plan.workspace());
    Path cwd = workspace.resolve(plan.cwd()).normalize();
    List<String> limited = enforcement.mode == Enforcement.Mode.RLIMIT ? underRlimits(plan.argv(), memoryBytes) : plan.argv();
    List<String> argv = stdin.terminal() ? onTerminal(limited) : limited;
    Map<String, String> env = stdin.terminal() ? withTerminalType(plan.env()) : plan.env();
    Sandbox sandbox = enforcement.confinement.sandbox();
    CgroupJob[] job = new CgroupJob[1];
    CompletableFuture<Launched> launched;
    if (sandbox == null) {
      // Nothing holds an unconfined child before its command: it is spawned only once it may start.
      launched = go.thenCompose(mayStart -> !mayStart ? notStarted() : enforcement.spawner.submit(
          () -> {
            job[0] = jobs == null ? null : jobs.take(memoryBytes);
            return job[0] == null ? null : job[0].threadPlacement();
          },
          () -> {
            restoreIfMissing(workspace);
            refuseIfChanged(plan);
            return unconfined(argv, cwd, env, stdin, job[0]);
          }));
    } else {
      // The owner's network namespace is keyed by the owner's workspace: one each, never shared.
      OwnerNetworks networks = sandbox.networks();
      String owner = workspace.toString();
      launched = enforcement.spawner.submit(
              () -> {
                job[0] = jobs == null ? null : jobs.take(memoryBytes);
                if (job[0] != null) {
                  starting.add(job[0].name());
                }
                return networks == null ? null : networks.of(owner);
              },
              () -> {
                restoreIfMissing(workspace);
                refuseIfChanged(plan);
                boolean inOwnerNetwork = networks != null && networks.joined(owner);
                return spawner.spawn(sandbox.wrap(argv, workspace, cwd, true, inOwnerNetwork), ROOT, env,
                    true, true, stdin, true);
              })
          // The spawner thread only spawns; a sandbox is placed, held and watched while it sets up on a
          // thread of its own, so that sandboxes set up side by side instead of one after another.
          .thenCompose(child -> settledElsewhere(child, job[0], go));
    }
    return launched.whenComplete((started, failure) -> {
      if (job[0] != null) {
        // Until the record names it, the command is moments young, which the orphan sweep spares.
        starting.remove(job[0].name());
        if (failure != null) {
          jobs.release(job[0]);
        }
      }
    });
  }

  /** Settles the sandbox on a setup thread; one spawned as the launcher closed is withdrawn at once. */
  private CompletableFuture<Launched> settledElsewhere(ChildProcess child, CgroupJob job, CompletableFuture<Boolean> go) {
    try {
      return CompletableFuture.supplyAsync(() -> confined(child, job, go), setups);
    } catch (RejectedExecutionException closed) {
      // Its pid 1 is not known yet: the end of the hold alone stops it before the command's exec.
      withdraw(child, -1);
      return CompletableFuture.failedFuture(new SpawnException("not started: the engine is stopping"));
    }
  }

  @Override
  public Set<String> startingJobs() {
    return Set.copyOf(starting);
  }

  /** Why a launch whose run may not start fails; the dispatcher, which decided so, does not read it. */
  private static SpawnException mayNotStart() {
    return new SpawnException("not started: it may not start");
  }

  private static CompletableFuture<Launched> notStarted() {
    return CompletableFuture.failedFuture(mayNotStart());
  }

  /**
   * An owner's workspace deleted while its request waited (an operator's clean-up) is an operational
   * fault, not the client's: it is made again, empty, as on first use, and the recheck then judges the
   * plan in it. One that cannot be made fails the start with why.
   */
  private void restoreIfMissing(Path workspace) throws SpawnException {
    if (Files.isDirectory(workspace) || !workspace.getParent().equals(workspaces.root())) {
      return;
    }
    try {
      workspaces.ensure(workspace.getFileName().toString());
    } catch (IOException | IllegalArgumentException e) {
      throw new SpawnException("the workspace " + workspace + " is missing and could not be made again: " + e.getMessage());
    }
  }

  /** Judged at submit, judged again at start: microseconds, on the spawner thread, just before the spawn. */
  private void refuseIfChanged(ExecutionPlan plan) throws SpawnException {
    List<Violation> violations = recheck.apply(plan);
    if (!violations.isEmpty()) {
      throw new SpawnException("refused as it started, its workspace having changed since it was judged: "
          + violations.stream().map(Violation::message).collect(Collectors.joining("; ")));
    }
  }

  /**
   * Unconfined, a terminal's command is spawned in the engine's group, so that {@code setsid} need not
   * fork to make its session (whose id is then the spawned pid, as with any other child); in the
   * sandbox, the command is pid 1's child in pid 1's group, and the same holds.
   */
  private Launched unconfined(List<String> argv, Path cwd, Map<String, String> env, ChildStdin stdin, CgroupJob job)
      throws SpawnException {
    if (job != null && job.placesProcesses()) {
      // Only a held sandbox can be placed in a cgroup v2 before its command runs.
      throw new SpawnException("a cgroup v2 job needs the sandbox: the command would run outside its cgroup");
    }
    ChildProcess child = spawner.spawn(argv, cwd, env, false, false, stdin, !stdin.terminal());
    Stamp spawned = Stamp.now();
    ProcStat stat = ProcStat.of(child.pid());
    ProcessTree tree = stdin.terminal() ? ProcessTree.onTerminal(child.pid(), -1, child.pid(), control(job))
        : ProcessTree.unconfined(child.pid(), control(job));
    return new Launched(child, tree, stat == null ? -1 : stat.startTime(), job, spawned);
  }

  /**
   * Reads the sandbox's pid 1 from bubblewrap's first announcement (well under a millisecond) and
   * settles the held sandbox ({@link #settle}) while bubblewrap sets it up. Then waits while the setup
   * ends (a few milliseconds) for pid 1 to fork the command, so that the record shows the command's
   * host pid from its first event. A command that ended before it could be seen, or a sandbox that
   * failed to set up, leaves pid 1 as the pid: its exit tells which it was. Runs as the engine, outside
   * the job. A failure comes as a {@link CompletionException} around the {@link SpawnException}.
   */
  private Launched confined(ChildProcess child, CgroupJob job, CompletableFuture<Boolean> go) {
    int pidOne;
    try {
      pidOne = SandboxExit.childPid(StatusPipe.firstLine(child.status()));
    } catch (IOException e) {
      pidOne = -1;
    }
    try {
      settle(child, pidOne, job, go);
    } catch (SpawnException e) {
      throw new CompletionException(e);
    }
    // Its start is when it was let go, after its mark: bubblewrap was spawned before.
    Stamp released = Stamp.now();
    int command = pidOne > 0 ? commands.await(pidOne) : -1;
    int shown = command > 0 ? command : pidOne > 0 ? pidOne : child.pid();
    ProcStat stat = ProcStat.of(shown);
    ProcessTree tree = child.input() != null && child.input().terminal()
        ? ProcessTree.onTerminal(child.pid(), pidOne, shown, control(job))
        : ProcessTree.sandboxed(child.pid(), pidOne, shown, control(job));
    return new Launched(child, tree, stat == null ? -1 : stat.startTime(), job, released);
  }

  /**
   * Settles a held sandbox: moves its monitor and pid 1 into the job (if there is one), waits for
   * {@code go}, and then lets pid 1 go on to fork the command, which is born in the job, or, if the run
   * may not start, withdraws the sandbox. All of this overlaps bubblewrap's own setup, which ends in the
   * read of the hold. A sandbox that cannot be placed is withdrawn at once. Withdrawn means killed
   * (monitor and pid 1, which bubblewrap has not yet bound to its parent's life) and reaped before the
   * hold is closed: its end alone would stop the command too, but a dead sandbox is the only certain
   * one. Without a live pid 1 (bubblewrap failed first, or its setup did) there is nothing to place and
   * no command will run: the monitor's exit and its stderr tell what failed.
   *
   * @param go true once the run may start, false (or failed) if it may not; waited for without limit,
   *     but an interrupt (the launcher closing) counts as false
   */
  static void settle(ChildProcess child, int pidOne, CgroupJob job, Future<Boolean> go) throws SpawnException {
    boolean pidOneLives = pidOne > 0;
    if (pidOneLives && job != null) {
      try {
        job.place(child.pid());
        job.place(pidOne);
      } catch (IOException e) {
        ProcStat stat = ProcStat.of(pidOne);
        pidOneLives = stat != null && stat.alive();
        if (pidOneLives) {
          withdraw(child, pidOne);
          throw new SpawnException("cannot place the sandbox in its cgroup job " + job.name() + ": " + e.getMessage());
        }
      }
    }
    if (!mayStart(go)) {
      withdraw(child, pidOneLives ? pidOne : -1);
      throw mayNotStart();
    }
    if (!pidOneLives) {
      child.hold().close();
      return;
    }
    try {
      child.hold().release();
    } catch (IOException pidOneGone) {
      // Pid 1 ended before it read the hold: the monitor's exit says how.
      child.hold().close();
    }
  }

  private static boolean mayStart(Future<Boolean> go) {
    try {
      return go.get();
    } catch (InterruptedException closing) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException undecided) {
      return false;
    }
  }

  /**
   * Kills a held sandbox's monitor and pid 1, reaps the monitor, and closes every descriptor the engine
   * holds of it. Pid 1 is killed only while it is still the monitor's child: its number is free for
   * another process once the monitor has reaped it, and the monitor, unreaped, keeps its own.
   */
  private static void withdraw(ChildProcess child, int pidOne) {
    ProcStat pidOneNow = pidOne > 0 ? ProcStat.of(pidOne) : null;
    if (pidOneNow != null && pidOneNow.alive() && pidOneNow.parent() == child.pid()) {
      Signal.KILL.sendToProcess(pidOne);
    }
    Signal.KILL.sendToProcess(child.pid());
    Reaper.await(child.pid());
    child.hold().close();
    closeStreams(child);
  }

  private static void closeStreams(ChildProcess child) {
    for (var stream : new java.io.InputStream[] {child.stdout(), child.stderr(), child.status()}) {
      try {
        if (stream != null) {
          stream.close();
        }
      } catch (IOException ignored) {
        // Closing a pipe's read end fails only when it is closed already.
      }
    }
    if (child.input() != null) {
      child.input().close();
    }
  }

  private List<String> onTerminal(List<String> argv) {
    List<String> wrapped = new ArrayList<>(argv.size() + 3);
    wrapped.addAll(List.of(setsid, "--ctty", "--"));
    wrapped.addAll(argv);
    return wrapped;
  }

  private static Map<String, String> withTerminalType(Map<String, String> env) {
    if (env.containsKey("TERM")) {
      return env;
    }
    Map<String, String> withTerm = new LinkedHashMap<>(env);
    withTerm.put("TERM", TERMINAL_TYPE);
    return withTerm;
  }

  /** How the tree's cgroup job is killed and frozen: in order, on the pool's thread. */
  private ProcessTree.JobControl control(CgroupJob job) {
    return job == null ? null : new ProcessTree.JobControl(job, jobs);
  }

  /** Lets the cgroups of an ended tree go (they stay while an escaped process is still in them). */
  @Override
  public void release(CgroupJob job) {
    jobs.release(job);
  }

  /**
   * {@code prlimit} sets the limits on itself and execs the command, so they hold from its first
   * instruction. The address-space limit is stricter than a resident-memory limit (reserved but
   * untouched memory counts), which is the price of having no cgroup.
   */
  private List<String> underRlimits(List<String> argv, long memoryBytes) {
    List<String> wrapped = new ArrayList<>(argv.size() + 5);
    wrapped.add(enforcement.prlimit);
    wrapped.add("--as=" + memoryBytes);
    wrapped.add("--nproc=" + maxProcesses);
    wrapped.add("--");
    wrapped.addAll(argv);
    return wrapped;
  }

  @Override
  public void close() {
    // Sandboxes still being set up are settled, if their runs are decided within a second; the rest
    // are interrupted, which withdraws them.
    setups.shutdown();
    try {
      setups.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    setups.shutdownNow();
    try {
      // The interrupted ones withdraw their sandboxes, and give their jobs back, before the pool closes.
      setups.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (jobs != null) {
      jobs.close();
    }
  }
}
