package io.isometry.monitor;

import io.isometry.os.ChildProcess;
import io.isometry.os.PosixSpawner;
import io.isometry.os.Signal;
import io.isometry.os.Reaper;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code scripts/bench-monitor}: the cost of sampling 100 live process trees (each its own session,
 * as the engine starts them) with the monitor's sampler, in CPU time of the sampling thread per
 * sample, and what that is at the 2 s interval as a share of one core. Prints figures, asserts
 * nothing.
 */
public final class MonitorBench {

  private static final int TREES = 100;
  private static final int WARMUP = 20;
  private static final int SAMPLES = 100;
  private static final double INTERVAL_SECONDS = 2.0;

  public static void main(String[] args) throws Exception {
    PosixSpawner spawner = new PosixSpawner();
    List<ChildProcess> children = new ArrayList<>();
    List<TreeSampler.Tree> trees = new ArrayList<>();
    try {
      for (int i = 0; i < TREES; i++) {
        ChildProcess child = spawner.spawn(List.of("/bin/sleep", "600"), Path.of("/tmp"), Map.of("PATH", "/usr/bin:/bin"));
        children.add(child);
        trees.add(new TreeSampler.Tree("p-" + i, child.pid()));
      }
      TreeSampler sampler = new TreeSampler();
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      double[] cpuMillis = new double[SAMPLES];
      double[] wallMillis = new double[SAMPLES];
      for (int i = -WARMUP; i < SAMPLES; i++) {
        long cpu = threads.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        List<TreeUsage> usages = sampler.sample(trees);
        if (usages.size() != TREES) {
          throw new IllegalStateException("sampled " + usages.size() + " trees");
        }
        if (i >= 0) {
          cpuMillis[i] = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
          wallMillis[i] = (System.nanoTime() - wall) / 1e6;
        }
      }
      double cpuMedian = median(cpuMillis);
      System.out.printf("%nbench-monitor: %d live trees, %d samples after %d warm-up, %d processes on the machine%n",
          TREES, SAMPLES, WARMUP, io.isometry.os.ProcStat.all().size());
      System.out.printf("per sample: CPU median %.2f ms (p99 %.2f ms), wall median %.2f ms%n",
          cpuMedian, percentile(cpuMillis, 99), median(wallMillis));
      System.out.printf("at a %.0f s interval: %.3f%% of one core (target <= 1%%)%n",
          INTERVAL_SECONDS, 100 * cpuMedian / (INTERVAL_SECONDS * 1000));
    } finally {
      for (ChildProcess child : children) {
        Signal.KILL.sendToGroup(child.pid());
        Reaper.await(child.pid());
        child.stdout().close();
        child.stderr().close();
      }
    }
  }

  private static double median(double[] values) {
    return percentile(values, 50);
  }

  private static double percentile(double[] values, int percent) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
  }
}
