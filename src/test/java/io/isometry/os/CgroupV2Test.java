package io.isometry.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isometry.sandbox.SandboxExit;
import io.isometry.sandbox.StatusPipe;
import io.isometry.testing.HeldSandboxes;
import io.isometry.testing.HeldSandboxes.Held;
import io.isometry.testing.UnifiedCgroups;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unified hierarchy for real: a sandbox held by bubblewrap ({@code --seccomp}) runs nothing until
 * it is let go, and its command is born in the job it was moved into; {@code cgroup.kill} ends a whole
 * tree; {@code cgroup.freeze} stops a busy loop and thawing lets it go on. The limits (memory, pids,
 * cpu) need the controllers in the engine's cgroup v2: where they are not (a hybrid machine), those
 * tests are skipped and say why.
 */
@Timeout(60)
class CgroupV2Test {

  private static final long MIB = 1024 * 1024;

  @TempDir
  Path root;
  private HeldSandboxes machine;
  private CgroupV2 cgroups;
  private final List<CgroupV2Job> jobs = new ArrayList<>();
  private final List<Integer> spawned = new ArrayList<>();

  @BeforeEach
  void open() throws Exception {
    machine = HeldSandboxes.open(root, 0.5);
    cgroups = machine.cgroups();
  }

  @AfterEach
  void close() throws Exception {
    if (machine == null) {
      return;
    }
    for (CgroupV2Job job : jobs) {
      job.freeze(false);
      job.killAll();
      job.awaitEmpty(Duration.ofSeconds(2));
      job.remove();
    }
    for (int pid : spawned) {
      Reaper.await(pid);
    }
    assertThat(machine.close()).as("the test's scope is gone").isTrue();
  }

  @Test
  void aHeldSandboxRunsNothingUntilLetGoAndItsCommandIsBornInItsJob() throws Exception {
    CgroupV2Job job = job(100 * MIB, 64);
    Held held = spawnHeld(List.of("/usr/bin/cat", "/proc/self/cgroup"));

    Thread.sleep(200);
    assertThat(ProcStat.firstChild(held.pidOne())).as("pid 1 forked nothing while held").isLessThanOrEqualTo(0);
    assertThat(ProcStat.of(held.pidOne()).alive()).isTrue();
    job.place(held.child().pid());
    job.place(held.pidOne());
    assertThat(UnifiedCgroups.members(job.directory())).containsExactlyInAnyOrder((long) held.child().pid(), (long) held.pidOne());
    held.child().hold().release();

    String seen = new String(held.child().stdout().readAllBytes(), StandardCharsets.UTF_8);
    // Inside its cgroup namespace (rooted where the engine is) the command sees its job's path.
    assertThat(seen.lines().filter(line -> line.startsWith("0::")))
        .containsExactly("0::/" + cgroups.scope().getFileName() + "/" + job.name());
    assertThat(SandboxExit.exitCode(StatusPipe.rest(held.child().status()))).isZero();
  }

  @Test
  void cgroupKillEndsTheWholeTreeIncludingADaemonThatLeftItsSession() throws Exception {
    CgroupV2Job job = job(100 * MIB, 64);
    Held held = placed(job, List.of("/usr/bin/python3", "-c", """
        import os, time
        if os.fork() == 0:
            os.setsid()
            time.sleep(300)
        time.sleep(300)
        """));
    awaitMembers(job, 4);

    int killed = job.killAll();

    assertThat(killed).isGreaterThanOrEqualTo(4);
    assertThat(job.awaitEmpty(Duration.ofSeconds(5))).as("every process of the job is gone").isTrue();
    assertThat(Reaper.await(held.child().pid()).signal()).isEqualTo(Signal.KILL);
    spawned.remove((Integer) held.child().pid());
  }

  @Test
  void cgroupFreezeStopsABusyLoopAndThawingLetsItGoOn() throws Exception {
    CgroupV2Job job = job(100 * MIB, 64);
    Held held = placed(job, List.of("/usr/bin/python3", "-c", "while True:\n    pass\n"));
    int command = awaitCommand(held.pidOne());

    job.freeze(true);

    assertThat(UnifiedCgroups.awaitFrozen(job.directory(), true)).isTrue();
    assertThat(job.frozen()).isTrue();
    long frozenAt = cpuTicks(command);
    Thread.sleep(300);
    assertThat(cpuTicks(command)).as("no CPU time while frozen").isEqualTo(frozenAt);

    job.freeze(false);

    assertThat(UnifiedCgroups.awaitFrozen(job.directory(), false)).isTrue();
    Thread.sleep(300);
    assertThat(cpuTicks(command)).as("CPU time again once thawed").isGreaterThan(frozenAt);
  }

  @Test
  void theLimitsAreWrittenReadBackAndTheOomKillerIsCounted() throws Exception {
    assumeTrue(cgroups.controllers().get("v2").containsAll(List.of("memory", "pids", "cpu")),
        "the engine's cgroup v2 offers " + cgroups.controllers().get("v2") + " here, not memory, pids and cpu"
            + " (on a hybrid machine they are in v1): run this on a cgroup v2 host");
    CgroupV2Job job = job(64 * MIB, 32);

    assertThat(read(job, "memory.max")).isEqualTo(Long.toString(64 * MIB));
    assertThat(read(job, "pids.max")).isEqualTo("32");
    assertThat(read(job, "cpu.max")).isEqualTo("50000 100000");
    if (Files.exists(job.directory().resolve("memory.swap.max"))) {
      assertThat(read(job, "memory.swap.max")).isEqualTo("0");
    }
    Held held = placed(job, List.of("/usr/bin/python3", "-c", "chunks = [b'x' * (8 << 20) for i in range(100)]\n"));
    Reaper.await(held.child().pid());
    spawned.remove((Integer) held.child().pid());

    assertThat(job.oomKills()).isPositive();
    assertThat(job.peakBytes()).isPositive().isLessThanOrEqualTo((long) (64 * MIB * 1.1));
  }

  private CgroupV2Job job(long memoryBytes, long maxProcesses) throws IOException {
    CgroupV2Job job = cgroups.create("job-" + jobs.size(), memoryBytes, maxProcesses);
    jobs.add(job);
    return job;
  }

  private Held spawnHeld(List<String> command) throws Exception {
    Held held = machine.spawnHeld(command);
    spawned.add(held.child().pid());
    return held;
  }

  private Held placed(CgroupV2Job job, List<String> command) throws Exception {
    Held held = spawnHeld(command);
    job.place(held.child().pid());
    job.place(held.pidOne());
    held.child().hold().release();
    return held;
  }

  private static int awaitCommand(int pidOne) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      int command = ProcStat.firstChild(pidOne);
      if (command > 0) {
        return command;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("pid 1 never forked the command");
  }

  private static void awaitMembers(CgroupV2Job job, int count) throws Exception {
    for (int i = 0; i < 500 && job.members().size() < count; i++) {
      Thread.sleep(10);
    }
    assertThat(job.members()).hasSizeGreaterThanOrEqualTo(count);
  }

  /** utime + stime of a process, in clock ticks. */
  private static long cpuTicks(int pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static String read(CgroupV2Job job, String file) throws IOException {
    return Files.readString(job.directory().resolve(file)).trim();
  }
}
