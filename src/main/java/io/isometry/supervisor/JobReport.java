package io.isometry.supervisor;

import io.isometry.os.CgroupJob;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the kernel says of a tree that has ended: whether its OOM killer struck, and the peak memory. */
record JobReport(boolean oomKilled, long peakBytes) {

  private static final Logger LOG = LoggerFactory.getLogger(JobReport.class);

  /** Blocking (cgroupfs reads). Null, logged, when the cgroups cannot be read. */
  static JobReport readQuietly(CgroupJob job, String processId) {
    try {
      return new JobReport(job.oomKills() > 0, job.peakBytes());
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not read the cgroups of {}: {}", processId, e.getMessage());
      return null;
    }
  }
}
