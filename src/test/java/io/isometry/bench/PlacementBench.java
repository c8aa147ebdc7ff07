package io.isometry.bench;

import io.isometry.config.ConfigLoader;
import io.isometry.os.CgroupHierarchies;
import io.isometry.os.CgroupV2;
import io.isometry.os.CgroupV2Job;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;

/**
 * What placing a sandbox in a cgroup v2 costs (docs/cgroups.md): the engine's bare sandbox running
 * {@code /usr/bin/true} as it is, held by bubblewrap ({@code --seccomp}) and let go at once, and held
 * while its monitor and pid 1 are moved into a cgroup v2 job, in one run. Prints; asserts nothing.
 */
public final class PlacementBench {

  private static final int WARMUP = 100;
  private static final int RUNS = 300;

  public static void main(String[] args) throws Exception {
    Path root = Files.createTempDirectory("isometry-bench",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Path workspace = Files.createDirectories(root.resolve("workspace"));
    BareSandbox bare = BareSandbox.prepare(ConfigLoader.withOverrides(new JsonObject()
        .put("workspace", workspace.toString()).put("dataDir", root.resolve("data").toString())));
    CgroupV2 cgroups = CgroupV2.open(CgroupHierarchies.ofThisProcess(), "isometry-bench-" + ProcessHandle.current().pid(), 1.0);
    CgroupV2Job job = cgroups.create("job", 100L << 20, 256);
    try {
      // Interleaved rounds, so that a burst of load elsewhere on the machine does not land on one variant.
      double[][] samples = new double[5][];
      for (int round = 0; round < 3; round++) {
        samples[0] = concat(samples[0], bare.measure(bare.variants().get("bare bwrap: + fresh netns (--unshare-net)"), WARMUP / 3, RUNS / 3));
        double[][] released = bare.measureHeld(null, WARMUP / 3, RUNS / 3);
        samples[1] = concat(samples[1], released[0]);
        samples[3] = concat(samples[3], released[1]);
        double[][] placed = bare.measureHeld(job, WARMUP / 3, RUNS / 3);
        samples[2] = concat(samples[2], placed[0]);
        samples[4] = concat(samples[4], placed[1]);
      }
      System.out.printf("%nbench-placement: /usr/bin/true in the engine's sandbox, %d runs each, %d cores%n",
          samples[0].length, Runtime.getRuntime().availableProcessors());
      print("sandbox as it is", samples[0], samples[0]);
      print("held (--seccomp), let go at once", samples[1], samples[0]);
      print("held, monitor + pid 1 moved into a v2 job", samples[2], samples[0]);
      System.out.println("the step alone, on the spawner thread:");
      print("let go (one byte on descriptor 4)", samples[3], samples[3]);
      print("two cgroup.procs writes, then let go", samples[4], samples[3]);
    } finally {
      job.awaitEmpty(Duration.ofSeconds(2));
      job.remove();
      cgroups.removeScope();
      bare.close();
    }
  }

  private static double[] concat(double[] first, double[] second) {
    if (first == null) {
      return second;
    }
    double[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  private static void print(String label, double[] samples, double[] baseline) {
    double[] sorted = samples.clone();
    Arrays.sort(sorted);
    double[] base = baseline.clone();
    Arrays.sort(base);
    System.out.printf("  %-44s median %7.3f ms  p90 %7.3f ms  (median +%.3f ms)%n", label, sorted[sorted.length / 2],
        sorted[(int) (sorted.length * 0.9)], sorted[sorted.length / 2] - base[base.length / 2]);
  }
}
