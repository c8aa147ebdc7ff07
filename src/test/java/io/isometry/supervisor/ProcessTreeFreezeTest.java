package io.isometry.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.os.CgroupJob;
import io.isometry.os.Cgroups;
import io.isometry.os.ChildProcess;
import io.isometry.os.JobPool;
import io.isometry.os.PosixSpawner;
import io.isometry.os.Reaper;
import io.isometry.os.Signal;
import io.isometry.os.ThreadPlacement;
import io.isometry.testing.ProcFs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Suspend where the tree's cgroup freezes it, when the freeze cannot be written: the tree is stopped
 * by signal all the same (a real process, its state read from /proc), so a record that says
 * suspended is never a pretence.
 */
@Timeout(20)
class ProcessTreeFreezeTest {

  @Test
  void aFreezeThatCannotBeWrittenFallsBackToSigstop() throws Exception {
    ChildProcess child = new PosixSpawner().spawn(List.of("/bin/sleep", "30"), Path.of("/"), Map.of());
    try (JobPool pool = new JobPool(new NoCgroups(), 1, 1, 0)) {
      ProcessTree tree = ProcessTree.unconfined(child.pid(), new ProcessTree.JobControl(new UnfreezableJob(), pool));

      tree.signal(Signal.STOP);

      assertThat(ProcFs.awaitState(child.pid(), 'T')).isEqualTo('T');
      tree.signal(Signal.CONT);
      assertThat(ProcFs.awaitState(child.pid(), 'S')).isEqualTo('S');
    } finally {
      Signal.KILL.sendToGroup(child.pid());
      Reaper.await(child.pid());
      child.stdout().close();
      child.stderr().close();
    }
  }

  /** Cgroups that make no job: the pool stays empty. */
  private static final class NoCgroups implements Cgroups {
    @Override
    public CgroupJob create(String name, long memoryBytes, long maxProcesses) throws IOException {
      throw new IOException("no cgroups in this test");
    }

    @Override
    public CgroupJob job(String name) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<String> jobNames() {
      return List.of();
    }

    @Override
    public boolean removeScope() {
      return true;
    }

    @Override
    public Map<String, String> serves() {
      return Map.of();
    }

    @Override
    public long cpuQuotaMicros() {
      return -1;
    }

    @Override
    public Map<String, List<String>> controllers() {
      return Map.of();
    }
  }

  /** A job that says it freezes, whose cgroup.freeze cannot be written (its cgroup is gone). */
  private static final class UnfreezableJob implements CgroupJob {
    @Override
    public String name() {
      return "unfreezable";
    }

    @Override
    public ThreadPlacement threadPlacement() {
      return null;
    }

    @Override
    public boolean placesProcesses() {
      return false;
    }

    @Override
    public void place(int pid) throws IOException {
      throw new IOException("gone");
    }

    @Override
    public void limitMemory(long memoryBytes, long maxProcesses) {
    }

    @Override
    public boolean reusable() {
      return false;
    }

    @Override
    public void resetForReuse() {
    }

    @Override
    public long oomKills() {
      return 0;
    }

    @Override
    public long peakBytes() {
      return 0;
    }

    @Override
    public List<Integer> members() {
      return List.of();
    }

    @Override
    public boolean spawning() {
      return false;
    }

    @Override
    public boolean awaitEmpty(Duration patience) {
      return true;
    }

    @Override
    public int killAll() {
      return 0;
    }

    @Override
    public boolean killsAtOnce() {
      return false;
    }

    @Override
    public boolean freezes() {
      return true;
    }

    @Override
    public void freeze(boolean frozen) throws IOException {
      throw new IOException("cgroup.freeze: No such file or directory");
    }

    @Override
    public boolean remove() {
      return true;
    }
  }
}
