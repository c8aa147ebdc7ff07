package io.isometry.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A hybrid machine's jobs for real (v1 controllers, an empty unified hierarchy, like this one): a
 * child the spawner thread carries into the v1 half (never moved into v2) is still killed by the
 * job's kill, which is {@code cgroup.kill} then v1 member by member; a job whose v2 half is already
 * gone still shows and kills what its v1 half holds. Skipped, saying why, on a machine that is not hybrid.
 */
@Timeout(30)
class HybridCgroupsTest {

  private HybridCgroups cgroups;
  private HybridJob job;
  private SpawnerThread spawner;

  @BeforeEach
  void open() throws Exception {
    CgroupHierarchies machine = CgroupHierarchies.ofThisProcess();
    assumeTrue(machine.v1().containsKey("memory") && machine.v2().isPresent(),
        "not a hybrid machine: cgroup v1 memory " + machine.v1().containsKey("memory") + ", cgroup v2 " + machine.v2().isPresent());
    String scope = "isometry-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    Optional<CgroupV1> v1 = CgroupV1.open(machine, scope, 1.0);
    assumeTrue(v1.isPresent(), "the test may not create cgroup v1 cgroups here");
    cgroups = new HybridCgroups(v1.get(), CgroupV2.open(machine, scope, 1.0));
    job = cgroups.create("job-1", 100L << 20, 64);
    spawner = new SpawnerThread(null);
  }

  @AfterEach
  void close() throws Exception {
    if (cgroups == null) {
      return;
    }
    job.killAll();
    job.awaitEmpty(Duration.ofSeconds(2));
    job.remove();
    spawner.close();
    assertThat(cgroups.removeScope()).as("the test's scopes are gone").isTrue();
  }

  @Test
  void aChildBornInTheV1HalfOnlyIsKilledWithTheJob() throws Exception {
    int pid = sleeperInV1();

    assertThat(job.members()).contains(pid);
    assertThat(job.unified().members()).doesNotContain(pid);

    assertThat(job.killAll()).isGreaterThanOrEqualTo(1);
    assertThat(Reaper.await(pid).signal()).isEqualTo(Signal.KILL);
    assertThat(job.awaitEmpty(Duration.ofSeconds(2))).isTrue();
  }

  @Test
  void aJobWhoseV2HalfIsGoneStillShowsAndKillsWhatItsV1HalfHolds() throws Exception {
    assertThat(job.unified().remove()).isTrue();
    int pid = sleeperInV1();

    assertThat(job.members()).containsExactly(pid);
    assertThat(job.killAll()).isEqualTo(1);
    assertThat(Reaper.await(pid).signal()).isEqualTo(Signal.KILL);
  }

  @Test
  void aPlacedProcessIsInBothHalvesAndTheV2HalfFreezesIt() throws Exception {
    int pid = sleeperInV1();
    job.place(pid);

    assertThat(job.unified().members()).containsExactly(pid);
    job.freeze(true);
    for (int i = 0; i < 200 && !job.unified().frozen(); i++) {
      Thread.sleep(10);
    }
    assertThat(job.unified().frozen()).isTrue();
    job.freeze(false);
    job.killAll();
    assertThat(Reaper.await(pid).signal()).isEqualTo(Signal.KILL);
  }

  /** The spawner thread moves itself (it writes 0, not its id): into each v1 cgroup of the job, then back. */
  @Test
  void theThreadThatEntersAJobStandsInItsV1CgroupsAloneAndLeavesBackToTheEngines() throws Exception {
    List<String> before = v1Lines();
    String[] seen = new String[2];
    Thread thread = new Thread(() -> {
      try {
        job.threadPlacement().enter();
        seen[0] = String.join("\n", threadCgroups());
        job.threadPlacement().leave();
        seen[1] = String.join("\n", threadCgroups());
      } catch (IOException e) {
        seen[0] = e.toString();
      }
    });
    thread.start();
    thread.join(10_000);

    assertThat(seen[0]).contains(":memory:", ":pids:", ":freezer:", ":cpu:");
    for (String controller : List.of("memory", "pids", "freezer", "cpu")) {
      assertThat(seen[0].lines().filter(line -> line.contains(":" + controller + ":")))
          .as(controller).singleElement().asString().endsWith("/" + job.name());
    }
    assertThat(v1Lines()).as("the rest of this process stayed where it was").isEqualTo(before);
    assertThat(seen[1].lines().filter(line -> !line.startsWith("0::")).toList()).as("back").isEqualTo(before);
  }

  private static List<String> threadCgroups() throws IOException {
    return java.nio.file.Files.readAllLines(Path.of("/proc/thread-self/cgroup"));
  }

  private static List<String> v1Lines() throws IOException {
    return java.nio.file.Files.readAllLines(Path.of("/proc/self/cgroup")).stream().filter(line -> !line.startsWith("0::")).toList();
  }

  private int sleeperInV1() throws Exception {
    ChildProcess child = spawner.submit(job::threadPlacement,
        () -> new PosixSpawner().spawn(List.of("/bin/sleep", "300"), Path.of("/"), Map.of())).get(10, TimeUnit.SECONDS);
    closeQuietly(child);
    return child.pid();
  }

  private static void closeQuietly(ChildProcess child) throws IOException {
    child.stdout().close();
    child.stderr().close();
  }
}
