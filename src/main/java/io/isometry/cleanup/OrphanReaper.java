package io.isometry.cleanup;

import io.isometry.os.CgroupJob;
import io.isometry.os.Cgroups;
import io.isometry.os.ProcStat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds and kills processes in this engine's cgroup jobs that no live record owns: descendants that
 * escaped a finished tree (a double-forked daemon that called setsid is out of the process group,
 * but not out of its cgroup), or whatever a crashed engine left behind. Blocking (cgroupfs and /proc).
 */
final class OrphanReaper {

  /** Processes younger than this are spared: their record may not know its cgroup job yet. */
  private static final long GRACE_TICKS = 200;
  /** The kernel's clock ticks per second for /proc times (USER_HZ, 100 on Linux). */
  private static final long TICKS_PER_SECOND = 100;
  private static final Duration REMOVAL_PATIENCE = Duration.ofMillis(500);

  /** The processes killed in one cgroup job. */
  record Orphans(String cgroup, List<Integer> pids) {
  }

  private final Cgroups cgroups;

  OrphanReaper(Cgroups cgroups) {
    this.cgroups = cgroups;
  }

  List<Orphans> reap(Set<String> liveCgroups) throws IOException, InterruptedException {
    long now = uptimeTicks();
    List<Orphans> reaped = new ArrayList<>();
    for (String name : cgroups.jobNames()) {
      if (liveCgroups.contains(name)) {
        continue;
      }
      CgroupJob job = cgroups.job(name);
      List<Integer> members = job.members();
      // A spawn under way (the engine's own spawner thread stands in the job) or a child too young
      // to be known yet: not orphans. A sandbox held while its mark is written is in a job the
      // supervisor names among the live ones.
      if (members.isEmpty() || job.spawning() || anyYounger(members, now)) {
        continue;
      }
      job.killAll();
      reaped.add(new Orphans(name, members));
      removeWhenEmpty(job);
    }
    return reaped;
  }

  private static boolean anyYounger(List<Integer> pids, long now) {
    for (int pid : pids) {
      ProcStat stat = ProcStat.of(pid);
      if (stat != null && now - stat.startTime() < GRACE_TICKS) {
        return true;
      }
    }
    return false;
  }

  /** A killed process leaves its cgroup within moments; then the job goes (it belongs to no pool). */
  private static void removeWhenEmpty(CgroupJob job) throws IOException, InterruptedException {
    job.awaitEmpty(REMOVAL_PATIENCE);
    job.remove();
  }

  private static long uptimeTicks() throws IOException {
    String uptime = Files.readString(Path.of("/proc/uptime"), StandardCharsets.US_ASCII).split(" ")[0];
    return (long) (Double.parseDouble(uptime) * TICKS_PER_SECOND);
  }
}
