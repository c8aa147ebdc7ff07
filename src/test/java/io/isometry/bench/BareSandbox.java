package io.isometry.bench;

import io.isometry.config.EngineConfig;
import io.isometry.os.CgroupJob;
import io.isometry.os.ChildProcess;
import io.isometry.os.Identity;
import io.isometry.os.PosixSpawner;
import io.isometry.os.Reaper;
import io.isometry.os.SpawnerThread;
import io.isometry.os.ThreadPlacement;
import io.isometry.os.WaitStatus;
import io.isometry.sandbox.Confinement;
import io.isometry.sandbox.Sandbox;
import io.isometry.sandbox.SandboxExit;
import io.isometry.sandbox.SandboxProbe;
import io.isometry.sandbox.StatusPipe;
import io.isometry.sandbox.Workspaces;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The baselines of {@link LifecycleBench}: a command spawned exactly as the engine spawns it (the
 * spawner thread, as the run-as user, {@code posix_spawn}, a status pipe, reaped), with no engine
 * around it, bare or wrapped in the engine's own sandbox command line, and in that command line less
 * some namespaces, so that each namespace's cost shows, and spawned in an owner's network namespace
 * as the engine does where it keeps one per owner.
 */
final class BareSandbox implements AutoCloseable {

  private final SpawnerThread spawner;
  private final List<String> full;
  private final Confinement confinement;
  private final List<String> inOwnerNetwork;

  private BareSandbox(SpawnerThread spawner, Confinement confinement, Path workspace) {
    this.spawner = spawner;
    this.confinement = confinement;
    this.full = confinement.sandbox().wrap(List.of("/usr/bin/true"), workspace, workspace);
    this.inOwnerNetwork = confinement.sandbox().wrap(List.of("/usr/bin/true"), workspace, workspace, false, true);
  }

  static BareSandbox prepare(JsonObject json) throws Exception {
    EngineConfig config = EngineConfig.from(json);
    Identity runAs = Identity.ofChildren(config.runAs());
    SpawnerThread spawner = new SpawnerThread(runAs);
    Confinement confinement = SandboxProbe.detect(config, spawner, runAs);
    if (!confinement.confined()) {
      throw new IllegalStateException("no sandbox on this machine: " + confinement.why());
    }
    Path workspace = new Workspaces(config.workspace(), runAs).ensure("bench");
    return new BareSandbox(spawner, confinement, workspace);
  }

  /**
   * The engine's sandbox command line, and the same less the network, then less ipc, uts and cgroup
   * (and {@code --hostname}, which bubblewrap refuses without a uts namespace: without it this row
   * measured bubblewrap's usage error, not a sandbox).
   */
  Map<String, List<String>> variants() {
    Map<String, List<String>> variants = new LinkedHashMap<>();
    List<String> noNetwork = without(full, List.of("--unshare-net"));
    List<String> noUts = new ArrayList<>(noNetwork);
    int hostname = noUts.indexOf("--hostname");
    noUts.subList(hostname, hostname + 2).clear();
    variants.put("bare bwrap: user+mount+pid", without(noUts, List.of("--unshare-ipc", "--unshare-uts", "--unshare-cgroup")));
    variants.put("bare bwrap: + ipc, uts, cgroup", noNetwork);
    variants.put("bare bwrap: + fresh netns (--unshare-net)", full);
    return variants;
  }

  /** The engine's sandbox command line, held ({@code --seccomp}) until the engine lets it go. */
  List<String> held() {
    List<String> held = new ArrayList<>(full);
    held.addAll(1, List.of("--seccomp", Integer.toString(Sandbox.HOLD_FD)));
    return held;
  }

  /**
   * Like {@link #measure}, the sandbox held: its pid 1 is read from the status pipe, then the monitor
   * and pid 1 are moved into {@code job} (unless null) off the spawner thread, as the engine does, and
   * the sandbox is let go. Answers the whole runs and, second, the placement and release alone.
   */
  double[][] measureHeld(CgroupJob job, int warmup, int runs) throws Exception {
    List<String> argv = held();
    double[] samples = new double[runs];
    double[] steps = new double[runs];
    for (int i = -warmup; i < runs; i++) {
      long start = System.nanoTime();
      long[] step = new long[2];
      ChildProcess child = spawner.submit(() -> null,
          () -> new PosixSpawner().spawn(argv, Path.of("/"), Map.of("PATH", "/usr/bin:/bin"), true, true))
          .get(30, TimeUnit.SECONDS);
      int pidOne = SandboxExit.childPid(StatusPipe.firstLine(child.status()));
      step[0] = System.nanoTime();
      if (job != null) {
        job.place(child.pid());
        job.place(pidOne);
      }
      child.hold().release();
      step[1] = System.nanoTime();
      StatusPipe.rest(child.status());
      drain(child.stdout());
      drain(child.stderr());
      Reaper.await(child.pid());
      if (i >= 0) {
        samples[i] = (System.nanoTime() - start) / 1e6;
        steps[i] = (step[1] - step[0]) / 1e6;
      }
    }
    return new double[][] {samples, steps};
  }

  /**
   * The engine's sandbox spawned as the engine spawns it where it keeps a network namespace per owner:
   * from the spawner thread standing in the owner's namespace, without {@code --unshare-net}. Null
   * where the engine keeps none (it is not root).
   */
  double[] measureInOwnerNetwork(int warmup, int runs) throws Exception {
    return inOwnerNetworks() ? measure(inOwnerNetwork, this::ownerNetwork, warmup, runs) : null;
  }

  /** Whether the engine keeps a network namespace per owner here (it does as root). */
  boolean inOwnerNetworks() {
    return confinement.sandbox().networks() != null;
  }

  double[] measure(List<String> argv, int warmup, int runs) throws Exception {
    return measure(argv, () -> null, warmup, runs);
  }

  private double[] measure(List<String> argv, Callable<ThreadPlacement> place, int warmup, int runs) throws Exception {
    double[] samples = new double[runs];
    for (int i = -warmup; i < runs; i++) {
      double sample = once(argv, place);
      if (i >= 0) {
        samples[i] = sample;
      }
    }
    return samples;
  }

  /** One run of the engine's sandbox in the owner's network namespace, as {@link #measureInOwnerNetwork}; milliseconds. */
  double onceInOwnerNetwork() throws Exception {
    return once(inOwnerNetwork, this::ownerNetwork);
  }

  /** The bench owner's network namespace, where the spawner thread stands for the engine's sandbox. */
  private ThreadPlacement ownerNetwork() {
    return confinement.sandbox().networks().of("bench");
  }

  /** One spawn of {@code argv} to its reaping, in milliseconds. */
  private double once(List<String> argv, Callable<ThreadPlacement> place) throws Exception {
    boolean sandboxed = argv.size() > 1;
    long start = System.nanoTime();
    String failure = spawner.submit(place, () -> {
      ChildProcess child = new PosixSpawner().spawn(argv, Path.of("/"), Map.of("PATH", "/usr/bin:/bin"), sandboxed);
      if (sandboxed) {
        StatusPipe.rest(child.status());
      }
      drain(child.stdout());
      byte[] errors = child.stderr().readAllBytes();
      child.stderr().close();
      WaitStatus status = Reaper.await(child.pid());
      return status.succeeded() ? null : status + ": " + new String(errors, StandardCharsets.UTF_8);
    }).get(30, TimeUnit.SECONDS);
    if (failure != null) {
      // A variant that fails early would be measured as fast: a row must be a sandbox that ran.
      throw new IllegalStateException(String.join(" ", argv) + " failed: " + failure);
    }
    return (System.nanoTime() - start) / 1e6;
  }

  @Override
  public void close() {
    spawner.close();
    confinement.close();
  }

  private static List<String> without(List<String> argv, List<String> flags) {
    List<String> kept = new ArrayList<>(argv);
    kept.removeAll(flags);
    return kept;
  }

  private static void drain(InputStream stream) throws Exception {
    try (stream) {
      stream.readAllBytes();
    }
  }
}
