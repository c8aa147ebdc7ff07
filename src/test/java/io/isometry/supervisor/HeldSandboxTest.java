package io.isometry.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isometry.os.CgroupV2Job;
import io.isometry.os.ChildProcess;
import io.isometry.os.ProcStat;
import io.isometry.os.Reaper;
import io.isometry.os.SpawnException;
import io.isometry.testing.HeldSandboxes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's settling of a held sandbox, on real processes: placed, it waits for its run's go and
 * runs its command in the job; withdrawn when its run may not start, its command never runs; a sandbox
 * that cannot be placed while its pid 1 lives is killed before it is let go, so its command never runs;
 * a sandbox whose pid 1 already died in its setup is not a placement failure, and bubblewrap's own
 * message stays on its stderr. Needs a sandbox and cgroup v2 (skipped, saying why, without).
 */
@Timeout(30)
class HeldSandboxTest {

  private static final Future<Boolean> GO = CompletableFuture.completedFuture(true);

  @TempDir
  Path root;
  private HeldSandboxes machine;
  private CgroupV2Job job;

  @BeforeEach
  void open() throws Exception {
    machine = HeldSandboxes.open(root, 1.0);
    job = machine.cgroups().create("job-1", 100L << 20, 64);
  }

  @AfterEach
  void close() throws Exception {
    if (machine == null) {
      return;
    }
    job.remove();
    machine.close();
  }

  @Test
  void aSandboxThatCannotBePlacedIsKilledBeforeItsCommandRuns() throws Exception {
    Path ran = machine.workspace().resolve("ran");
    HeldSandboxes.Held held = machine.spawnHeld(List.of("/usr/bin/touch", ran.toString()));
    ChildProcess child = held.child();
    int pidOne = held.pidOne();
    assertThat(job.remove()).as("the job is gone before the sandbox is placed").isTrue();

    assertThatThrownBy(() -> ProcessLauncher.settle(child, pidOne, job, GO))
        .isInstanceOf(SpawnException.class).hasMessageContaining("cannot place the sandbox");

    // SIGKILL is pending before the hold is let go: pid 1 dies on its way back from the read, before any
    // instruction of its own.
    ProcStat pidOneNow = ProcStat.of(pidOne);
    for (int i = 0; i < 200 && pidOneNow != null && pidOneNow.alive(); i++) {
      Thread.sleep(10);
      pidOneNow = ProcStat.of(pidOne);
    }
    assertThat(pidOneNow == null || !pidOneNow.alive()).as("pid 1 is dead: %s", pidOneNow).isTrue();
    Thread.sleep(200);
    assertThat(ran).as("the command never ran").doesNotExist();
  }

  /**
   * What an engine killed while it holds a sandbox leaves: the end of the pipe and no filter. With
   * {@code --block-fd} the command ran then; with {@code --seccomp} bubblewrap stops before its exec.
   */
  @Test
  void aHoldLetGoWithoutItsFilterNeverRunsTheCommand() throws Exception {
    Path ran = machine.workspace().resolve("ran");
    HeldSandboxes.Held held = machine.spawnHeld(List.of("/usr/bin/touch", ran.toString()));
    assertThat(held.pidOne()).as("its pid 1 exists").isPositive();

    held.child().hold().close();

    assertThat(Reaper.await(held.child().pid()).exitCode()).as("bubblewrap refuses the empty filter").isEqualTo(1);
    assertThat(new String(held.child().stderr().readAllBytes(), StandardCharsets.UTF_8)).contains("PR_SET_SECCOMP");
    assertThat(ran).as("the command never ran").doesNotExist();
  }

  /** A run that may not start once its sandbox is placed (its mark failed, it was cancelled meanwhile). */
  @Test
  void aSandboxWhoseRunMayNotStartIsWithdrawnAndItsCommandNeverRuns() throws Exception {
    Path ran = machine.workspace().resolve("ran");
    HeldSandboxes.Held held = machine.spawnHeld(List.of("/usr/bin/touch", ran.toString()));
    ChildProcess child = held.child();
    CompletableFuture<Boolean> go = new CompletableFuture<>();
    CompletableFuture<Void> settled = CompletableFuture.runAsync(() -> {
      try {
        ProcessLauncher.settle(child, held.pidOne(), job, go);
      } catch (SpawnException e) {
        throw new CompletionException(e);
      }
    });
    for (int i = 0; i < 200 && !job.members().contains(held.pidOne()); i++) {
      Thread.sleep(10);
    }
    assertThat(job.members()).as("placed while it waits for its go").contains(child.pid(), held.pidOne());
    assertThat(settled).as("held until its run is decided").isNotDone();

    go.complete(false);

    assertThatThrownBy(settled::join).hasCauseInstanceOf(SpawnException.class).hasMessageContaining("may not start");
    assertThat(ProcStat.of(child.pid())).as("the monitor is reaped").isNull();
    assertThat(job.awaitEmpty(java.time.Duration.ofSeconds(5))).as("no process of it is left").isTrue();
    assertThat(ran).as("the command never ran").doesNotExist();
  }

  @Test
  void aPlacedSandboxRunsItsCommandInTheJobOnceItsRunMayStart() throws Exception {
    HeldSandboxes.Held held = machine.spawnHeld(List.of("/usr/bin/cat", "/proc/self/cgroup"));

    ProcessLauncher.settle(held.child(), held.pidOne(), job, GO);

    assertThat(Reaper.await(held.child().pid()).exitCode()).isEqualTo(0);
    assertThat(new String(held.child().stdout().readAllBytes(), StandardCharsets.UTF_8)).contains("/" + job.name());
  }

  @Test
  void aReleasedHoldRunsTheCommand() throws Exception {
    Path ran = machine.workspace().resolve("ran");
    HeldSandboxes.Held held = machine.spawnHeld(List.of("/usr/bin/touch", ran.toString()));

    held.child().hold().release();

    assertThat(Reaper.await(held.child().pid()).exitCode()).isEqualTo(0);
    assertThat(ran).exists();
  }

  @Test
  void aSandboxWhosePidOneDiedInItsSetupIsNotAPlacementFailure() throws Exception {
    List<String> argv = new ArrayList<>(machine.wrap(List.of("/usr/bin/true")));
    argv.addAll(1, List.of("--ro-bind", root.resolve("missing").toString(), "/mnt"));
    HeldSandboxes.Held held = machine.spawnWrapped(argv);
    ChildProcess child = held.child();
    int pidOne = held.pidOne();
    // Read once per turn: pid 1 may be reaped between two reads.
    ProcStat pidOneNow = ProcStat.of(pidOne);
    for (int i = 0; i < 500 && pidOneNow != null && pidOneNow.alive(); i++) {
      Thread.sleep(10);
      pidOneNow = ProcStat.of(pidOne);
    }

    ProcessLauncher.settle(child, pidOne, job, GO);

    assertThat(Reaper.await(child.pid()).exitCode()).isEqualTo(1);
    assertThat(new String(child.stderr().readAllBytes(), StandardCharsets.UTF_8)).startsWith("bwrap:").contains("missing");
    child.stdout().close();
    assertThat(Files.exists(root.resolve("missing"))).isFalse();
  }
}
