package io.isometry.monitor;

import static io.isometry.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isometry.client.IsometryClient;
import io.isometry.client.ProcessSnapshot;
import io.isometry.client.Submission;
import io.isometry.contract.Addresses;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Reason;
import io.isometry.contract.Stream;
import io.isometry.os.CgroupHierarchies;
import io.isometry.os.CgroupV1;
import io.isometry.os.ProcStat;
import io.isometry.testing.EngineFixture;
import io.isometry.testing.EventLog;
import io.isometry.testing.ProcFs;
import io.isometry.testing.UnifiedCgroups;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits enforced on real processes: the kernel's memory limit, the process limit against a fork
 * bomb, children without privileges, the sampled CPU of a busy loop, and the sweep that reaps a
 * daemon that escaped its tree. A mode this machine lacks is skipped, naming the mode and why.
 */
@ExtendWith(VertxExtension.class)
@Timeout(90)
class ResourceEnforcementTest {

  private static final long MIB = 1024 * 1024;

  @TempDir
  Path root;
  private JsonObject config;
  private IsometryClient client;
  private EventLog events;
  private JsonObject capabilities;

  /** Leaves a daemon behind: a grandchild in a session of its own, that sleeps for five minutes. */
  private static final String DAEMON = """
      import os, time
      if os.fork() == 0:
          os.setsid()
          if os.fork() == 0:
              with open('daemon.pid', 'w') as f:
                  f.write(str(os.getpid()))
              null = os.open('/dev/null', os.O_RDWR)
              for fd in (0, 1, 2):
                  os.dup2(null, fd)
              time.sleep(300)
          os._exit(0)
      os.wait()
      while not os.path.exists('daemon.pid'):
          time.sleep(0.01)
      """;

  private void deploy(Vertx vertx, JsonObject overrides) throws Exception {
    config = EngineFixture.config(root, overrides);
    result(EngineFixture.deploy(vertx, config));
    client = IsometryClient.trusted(vertx, EngineFixture.HOST);
    events = result(EventLog.attach(client));
    capabilities = UnifiedCgroups.capabilities(vertx);
  }

  /** Memory by cgroup, v1 or v2 (a cgroup v2 host). */
  private void assumeMemoryByCgroup() {
    String inForce = capabilities.getJsonObject("enforcement").getString("memory");
    assumeTrue(inForce.startsWith("cgroup-"), "memory enforcement by cgroup is not available here: this machine gives '"
        + inForce + "' (" + capabilities.getJsonObject("enforcement").getString("why") + ")");
  }

  /** The directory of a job in the hierarchy that serves {@code what} ({@code processes}, {@code cpu}). */
  private Path jobServing(String what, String controller, String job) throws Exception {
    String scope = CgroupV1.scopeFor(Path.of(config.getString("dataDir")));
    CgroupHierarchies machine = CgroupHierarchies.ofThisProcess();
    return "cgroup-v2".equals(capabilities.getJsonObject("enforcement").getString(what))
        ? machine.v2().orElseThrow().resolve(scope).resolve(job)
        : machine.v1().get(controller).resolve(scope).resolve(job);
  }

  private void assumeMemoryBy(String mode) {
    String inForce = capabilities.getJsonObject("enforcement").getString("memory");
    assumeTrue(mode.equals(inForce), "memory enforcement '" + mode + "' is not available here: this machine gives '"
        + inForce + "' (" + capabilities.getJsonObject("enforcement").getString("why") + ")");
  }

  @Test
  void aMemoryHogIsKilledByTheKernelWithinItsLimit(Vertx vertx) throws Exception {
    deploy(vertx, new JsonObject());
    assumeMemoryByCgroup();
    String script = EngineFixture.script(config, "hog.py", """
        import time
        chunks = []
        for i in range(100):
            chunks.append(b'x' * (8 << 20))
            time.sleep(0.02)
        """);

    ProcessSnapshot done = events.awaitTerminal(
        result(client.submit(Submission.of("python3 " + script).memoryLimitBytes(64 * MIB))).id(), 60_000);

    assertThat(done.state()).isEqualTo(ProcessState.KILLED);
    assertThat(done.reason()).isEqualTo(Reason.MEMORY_LIMIT);
    assertThat(done.signal()).isEqualTo("SIGKILL");
    long kernelPeak = done.json().getJsonObject("usage").getLong("memoryPeakBytes");
    assertThat(kernelPeak).isPositive().isLessThanOrEqualTo((long) (64 * MIB * 1.1));
  }

  @Test
  void aCgroupJobReusedWithAHigherLimitThanItsLastTreeStillStartsProcesses(Vertx vertx) throws Exception {
    // One slot, two ready jobs: the third process reuses the job the first one had lowered.
    deploy(vertx, new JsonObject().put("supervisor", new JsonObject().put("maxConcurrent", 1)));
    // A cgroup v2 job with the memory controller is never reused: its memory.peak cannot be reset for the next tree.
    assumeMemoryBy("cgroup-v1");
    java.util.List<String> cgroups = new java.util.ArrayList<>();
    for (Submission submission : java.util.List.of(Submission.of("true").memoryLimitBytes(50 * MIB),
        Submission.of("true"), Submission.of("true"), Submission.of("true"))) {
      ProcessSnapshot done = events.awaitTerminal(result(client.submit(submission)).id(), 10_000);
      assertThat(done.state()).as(done.json().encode()).isEqualTo(ProcessState.SUCCEEDED);
      assertThat(done.json().getJsonObject("limits").getLong("memoryBytes"))
          .isEqualTo(submission.toJson().getLong("memoryLimitBytes", 100 * MIB));
      cgroups.add(done.json().getString("cgroup"));
    }
    assertThat(new java.util.HashSet<>(cgroups)).as("jobs are reused: %s", cgroups).hasSizeLessThan(cgroups.size());
  }

  @Test
  void underRlimitsAMemoryHogCannotGrowPastItsLimit(Vertx vertx) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")) || Files.isExecutable(Path.of("/bin/prlimit")),
        "rlimit enforcement needs util-linux prlimit, which is not installed here");
    deploy(vertx, new JsonObject().put("limits", new JsonObject().put("enforcement", "rlimit")));
    assumeMemoryBy("rlimit");
    String script = EngineFixture.script(config, "hog.py", "chunks = [b'x' * (8 << 20) for i in range(100)]\n");

    ProcessSnapshot done = events.awaitTerminal(
        result(client.submit(Submission.of("python3 " + script).memoryLimitBytes(64 * MIB))).id(), 60_000);

    // The address-space limit makes the allocation fail inside the process: it ends on its own.
    assertThat(done.state()).isEqualTo(ProcessState.FAILED);
    assertThat(result(client.output(done.id(), Stream.STDERR))).contains("MemoryError");
  }

  @Test
  void aForkBombIsHeldAtTheProcessLimitAndNothingOfItSurvives(Vertx vertx) throws Exception {
    deploy(vertx, new JsonObject().put("limits", new JsonObject().put("maxProcesses", 32)));
    assumeMemoryByCgroup();
    assumeTrue(capabilities.getJsonObject("enforcement").getString("processes").startsWith("cgroup-"),
        "no cgroup pids controller for the engine here");
    String script = EngineFixture.script(config, "bomb.py", """
        import os, time
        children = 0
        for i in range(200):
            try:
                pid = os.fork()
            except OSError as e:
                break
            if pid == 0:
                time.sleep(120)
                os._exit(0)
            children += 1
        print(children, flush=True)
        time.sleep(120)
        """);
    ProcessSnapshot bomb = result(client.submit(Submission.of("python3 " + script)));
    String printed = awaitOutput(bomb.id());

    assertThat(Integer.parseInt(printed)).isLessThan(32);
    ProcessSnapshot healthy = events.awaitTerminal(result(client.submit(Submission.of("echo still here"))).id(), 10_000);
    assertThat(healthy.state()).isEqualTo(ProcessState.SUCCEEDED);
    String cgroup = result(client.get(bomb.id())).json().getString("cgroup");
    Path pidsPeak = jobServing("processes", "pids", cgroup).resolve("pids.peak");
    if (Files.exists(pidsPeak)) {
      assertThat(Long.parseLong(Files.readString(pidsPeak).trim())).isLessThanOrEqualTo(32);
    }

    result(client.cancel(bomb.id()));
    assertThat(events.awaitTerminal(bomb.id(), 20_000).state()).isEqualTo(ProcessState.CANCELLED);
    for (int i = 0; i < 100 && sessionAlive(bomb.pid()); i++) {
      Thread.sleep(50);
    }
    assertThat(sessionAlive(bomb.pid())).as("a process of the bomb's session is still alive").isFalse();
  }

  @Test
  void childrenOfARootEngineRunUnprivilegedAndCannotGetRootBack(Vertx vertx) throws Exception {
    Path python = Path.of("/usr/bin/python3");
    assumeTrue(Files.isExecutable(python), "needs Debian's /usr/bin/python3 (an unprivileged user cannot run pyenv's)");
    deploy(vertx, new JsonObject().put("runAs", "nobody").put("security", new JsonObject()
        .put("allowedCommands", new JsonArray().add("/usr/bin/python3"))));
    assumeTrue(capabilities.getBoolean("root"), "the engine does not run as root here, so there is no privilege to drop");
    String script = EngineFixture.script(config, "who.py", """
        import os
        status = dict(line.split(':', 1) for line in open('/proc/self/status'))
        print(os.getuid(), os.geteuid(), os.getgid(), status['NoNewPrivs'].strip(), flush=True)
        try:
            os.setuid(0)
            print('setuid succeeded')
        except OSError:
            # PermissionError outside a sandbox; EINVAL inside, where uid 0 does not even exist.
            print('setuid refused')
        """);

    ProcessSnapshot done = events.awaitTerminal(
        result(client.submit(Submission.of("/usr/bin/python3 " + script))).id(), 20_000);

    assertThat(done.state()).as(result(client.output(done.id(), Stream.STDERR))).isEqualTo(ProcessState.SUCCEEDED);
    assertThat(result(client.output(done.id(), Stream.STDOUT))).isEqualTo("65534 65534 65534 1\nsetuid refused\n");
    assertThat(capabilities.getString("runAs")).isEqualTo("nobody");
  }

  /**
   * Two busy loops in one tree are held to the tree's CPU share: the kernel throttles them (its
   * cpu.stat counts it), and the tree's usage stays near the share. A fifth of a core, so that the
   * quota bites even when other work keeps the machine's cores busy.
   */
  @Test
  void twoBusyLoopsInOneTreeAreHeldToItsCpuShare(Vertx vertx) throws Exception {
    deploy(vertx, new JsonObject().put("monitor", new JsonObject().put("intervalMs", 500))
        .put("limits", new JsonObject().put("cpuCores", 0.2)));
    assumeMemoryByCgroup();
    assumeTrue(capabilities.getJsonObject("enforcement").getString("cpu").startsWith("cgroup-"),
        "no cgroup cpu controller for the engine here");
    String script = EngineFixture.script(config, "spin2.py", """
        import os
        os.fork()
        while True:
            pass
        """);
    ProcessSnapshot spinning = result(client.submit(Submission.of("python3 " + script)));
    List<Double> samples = new CopyOnWriteArrayList<>();
    result(vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_USAGE, message -> {
      if (spinning.id().equals(message.body().getString("id"))) {
        samples.add(message.body().getJsonObject("usage").getDouble("cpuPercent"));
      }
    }).completion());
    for (int i = 0; i < 200 && samples.size() < 6; i++) {
      Thread.sleep(50);
    }
    String job = result(client.get(spinning.id())).json().getString("cgroup");
    Path cpu = jobServing("cpu", "cpu", job);
    String quota = Files.exists(cpu.resolve("cpu.max")) ? Files.readString(cpu.resolve("cpu.max")).trim().split(" ")[0]
        : Files.readString(cpu.resolve("cpu.cfs_quota_us")).trim();
    String stat = Files.readString(cpu.resolve("cpu.stat"));
    result(client.cancel(spinning.id()));
    events.awaitTerminal(spinning.id(), 10_000);

    assertThat(quota).isEqualTo("20000");
    long throttled = stat.lines().filter(line -> line.startsWith("nr_throttled "))
        .mapToLong(line -> Long.parseLong(line.substring("nr_throttled ".length()).trim())).sum();
    assertThat(throttled).as("the kernel throttled the tree: %s", stat).isPositive();
    // The first sample may straddle the start; the rest are whole intervals under the quota.
    assertThat(samples.subList(1, samples.size())).as("cpu%% of the tree").allSatisfy(percent ->
        assertThat(percent).isLessThan(30.0));
  }

  /**
   * Workers forked over a common 20 MiB heap: summed RSS counts it nine times (about 250 MB), the
   * kernel once. Under a memory cgroup the kernel is the judge, and the tree lives.
   */
  @Test
  void workersSharingTheirParentsMemoryAreNotKilledBySummedRss(Vertx vertx) throws Exception {
    deploy(vertx, new JsonObject().put("monitor", new JsonObject().put("intervalMs", 200)));
    assumeMemoryBy("cgroup-v1");
    String script = EngineFixture.script(config, "workers.py", """
        import os, time
        heap = bytearray(20 << 20)
        for i in range(0, len(heap), 4096):
            heap[i] = 1
        children = []
        for n in range(8):
            pid = os.fork()
            if pid == 0:
                total = sum(heap[i] for i in range(0, len(heap), 4096))
                time.sleep(1.5)
                os._exit(0 if total else 1)
            children.append(pid)
        for pid in children:
            os.waitpid(pid, 0)
        """);

    ProcessSnapshot done = events.awaitTerminal(result(client.submit(Submission.of("python3 " + script)
        .memoryLimitBytes(64L << 20))).id(), 30_000);

    assertThat(done.state()).as(String.valueOf(done.json())).isEqualTo(ProcessState.SUCCEEDED);
    assertThat(done.json().getJsonObject("usage").getLong("memoryPeakBytes")).isLessThan(64L << 20);
  }

  /** Without a cgroup, the monitor's samples are the limit: a hog over it is ended as memory_limit. */
  @Test
  void inSampledModeTheMonitorEndsAHogOverItsLimit(Vertx vertx) throws Exception {
    deploy(vertx, new JsonObject().put("monitor", new JsonObject().put("intervalMs", 200))
        .put("limits", new JsonObject().put("enforcement", "sampled")));
    String script = EngineFixture.script(config, "hog.py", """
        import time
        chunks = [b'x' * (8 << 20) for i in range(12)]
        time.sleep(30)
        """);

    ProcessSnapshot done = events.awaitTerminal(result(client.submit(Submission.of("python3 " + script)
        .memoryLimitBytes(32L << 20))).id(), 30_000);

    assertThat(done.state()).isEqualTo(ProcessState.KILLED);
    assertThat(done.json().getString("reason")).isEqualTo("memory_limit");
  }

  @Test
  void aBusyLoopShowsNearlyAFullCoreInItsUsage(Vertx vertx) throws Exception {
    deploy(vertx, new JsonObject().put("monitor", new JsonObject().put("intervalMs", 300)));
    String script = EngineFixture.script(config, "spin.py", "while True:\n    pass\n");
    ProcessSnapshot spinning = result(client.submit(Submission.of("python3 " + script)));
    CompletableFuture<JsonObject> busy = new CompletableFuture<>();
    result(vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_USAGE, message -> {
      JsonObject usage = message.body().getJsonObject("usage");
      if (spinning.id().equals(message.body().getString("id")) && usage.getDouble("cpuPercent") > 80) {
        busy.complete(usage);
      }
    }).completion());

    JsonObject usage = busy.get(20, TimeUnit.SECONDS);

    assertThat(usage.getDouble("cpuPercent")).isBetween(80.0, 110.0);
    assertThat(usage.getLong("rssBytes")).isPositive();
    assertThat(usage.getInteger("threads")).isGreaterThanOrEqualTo(1);
    assertThat(result(client.get(spinning.id())).json().getJsonObject("usage").getDouble("cpuPercent")).isPositive();
    result(client.cancel(spinning.id()));
    events.awaitTerminal(spinning.id(), 10_000);
  }

  @Test
  void aDaemonThatEscapedItsProcessGroupDiesWithItsCommandInTheSandbox(Vertx vertx) throws Exception {
    deploy(vertx, new JsonObject());
    assumeTrue(capabilities.getJsonObject("sandbox").getBoolean("enabled"), "no sandbox on this machine");
    String script = EngineFixture.script(config, "heartbeat.py", """
        import os, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                null = os.open('/dev/null', os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(null, fd)
                while True:
                    with open('heartbeat', 'w') as f:
                        f.write(repr(time.time()))
                    time.sleep(0.02)
            os._exit(0)
        os.wait()
        while not os.path.exists('heartbeat'):
            time.sleep(0.01)
        """);
    Path heartbeat = EngineFixture.workspace(config, EngineFixture.HOST).resolve("heartbeat");

    ProcessSnapshot done = events.awaitTerminal(result(client.submit(Submission.of("python3 " + script))).id(), 20_000);

    assertThat(done.state()).isEqualTo(ProcessState.SUCCEEDED);
    int pidOne = done.json().getInteger("pid");
    for (int i = 0; i < 100 && ProcFs.alive(pidOne); i++) {
      Thread.sleep(20);
    }
    assertThat(ProcFs.alive(pidOne)).as("the sandbox's pid 1 ended with its command").isFalse();
    String last = Files.readString(heartbeat);
    Thread.sleep(300);
    assertThat(Files.readString(heartbeat)).as("the daemon's heartbeat stopped: it died with its command").isEqualTo(last);
  }

  /** The sweep is the backstop where there is no sandbox: a daemon outlives its tree there until it runs. */
  @Test
  void theSweepReapsADaemonThatEscapedItsTree(Vertx vertx) throws Exception {
    deploy(vertx, new JsonObject().put("cleanup", new JsonObject().put("intervalMs", 500))
        .put("sandbox", new JsonObject().put("mode", "off")));
    assumeMemoryBy("cgroup-v1");
    CompletableFuture<JsonObject> orphan = new CompletableFuture<>();
    result(vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_ORPHAN, message -> orphan.complete(message.body()))
        .completion());
    String script = EngineFixture.script(config, "daemon.py", DAEMON);

    ProcessSnapshot done = events.awaitTerminal(result(client.submit(Submission.of("python3 " + script))).id(), 20_000);
    assertThat(done.state()).isEqualTo(ProcessState.SUCCEEDED);
    int daemon = Integer.parseInt(Files.readString(EngineFixture.workspace(config, EngineFixture.HOST)
        .resolve("daemon.pid")).trim());
    assertThat(ProcFs.alive(daemon)).as("the daemon escaped its process group and still runs").isTrue();

    JsonObject event = orphan.get(20, TimeUnit.SECONDS);

    assertThat(event.getString("reason")).isEqualTo("orphan");
    assertThat(event.getString("cgroup")).isEqualTo(done.json().getString("cgroup"));
    assertThat(event.getJsonArray("pids").getList()).contains(daemon);
    for (int i = 0; i < 100 && ProcFs.alive(daemon); i++) {
      Thread.sleep(20);
    }
    assertThat(ProcFs.alive(daemon)).isFalse();
  }

  private String awaitOutput(String id) throws InterruptedException {
    for (int i = 0; i < 400; i++) {
      String text = events.text(id, "stdout").trim();
      if (!text.isEmpty()) {
        return text;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("no output from " + id);
  }

  private static boolean sessionAlive(long session) throws Exception {
    return ProcStat.all().stream().anyMatch(p -> p.session() == session && p.alive());
  }
}
