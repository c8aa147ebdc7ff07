package io.isometry.supervisor;

import io.isometry.contract.Fields;
import io.isometry.os.CgroupJob;
import io.isometry.os.Cgroups;
import io.isometry.os.ProcStat;
import io.isometry.os.Signal;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends what a previous run of the engine left running: its processes are found by pid <em>and</em>
 * start time (a pid alone may by now belong to somebody else) and by their cgroup job, and killed
 * with their whole tree. Blocking (/proc and cgroupfs).
 */
final class Recovery {

  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
  private static final Duration EMPTY_PATIENCE = Duration.ofSeconds(1);
  private final Cgroups cgroups;

  /** @param cgroups this engine's cgroups, or null without cgroup enforcement */
  Recovery(Cgroups cgroups) {
    this.cgroups = cgroups;
  }

  /** Kills the tree of a record that was running or suspended when the engine stopped. */
  void endTree(JsonObject record) {
    Integer pid = record.getInteger(Fields.PID);
    Long startTicks = record.getLong(Fields.PID_START_TICKS);
    if (pid != null && startTicks != null) {
      ProcStat now = ProcStat.of(pid);
      if (now != null && now.startTime() == startTicks) {
        // The process is still the same one: the group that holds it is its tree.
        Signal.KILL.sendToGroup(record.getInteger(Fields.PROCESS_GROUP, pid));
        LOG.info("Killed the tree of {} (pid {}) left by the previous run", record.getString(Fields.ID), pid);
      }
    }
    String cgroup = record.getString(Fields.CGROUP);
    if (cgroups != null && cgroup != null) {
      try {
        int killed = cgroups.job(cgroup).killAll();
        if (killed > 0) {
          LOG.info("Killed {} process(es) of {} in cgroup {}", killed, record.getString(Fields.ID), cgroup);
        }
      } catch (IOException gone) {
        LOG.debug("Cgroup {} of {} is gone: {}", cgroup, record.getString(Fields.ID), gone.getMessage());
      }
    }
  }

  /**
   * Removes the cgroup jobs a previous run left (its ready pool, the jobs of trees just killed),
   * once they are empty: a killed process leaves its cgroup within moments.
   */
  void removeLeftoverJobs() throws InterruptedException {
    if (cgroups == null) {
      return;
    }
    try {
      for (String name : cgroups.jobNames()) {
        CgroupJob job = cgroups.job(name);
        job.awaitEmpty(EMPTY_PATIENCE);
        if (!job.remove()) {
          LOG.warn("Cgroup job {} of the previous run still holds processes; the sweep will find them", name);
        }
      }
    } catch (IOException e) {
      LOG.warn("Could not list this engine's cgroups: {}", e.getMessage());
    }
  }
}
