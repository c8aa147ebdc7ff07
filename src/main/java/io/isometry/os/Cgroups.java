package io.isometry.os;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This engine's cgroups (its scope, inside the engine's own cgroup of each hierarchy it uses) and
 * the jobs under them: cgroup v1 ({@link CgroupV1}), the unified hierarchy ({@link CgroupV2}), or v1
 * for the limits and v2 for placement, tree kill and freezing ({@link HybridCgroups}). Blocking.
 */
public interface Cgroups {

  /** Creates the cgroups of one process tree and sets their limits (read back). */
  CgroupJob create(String name, long memoryBytes, long maxProcesses) throws IOException;

  /** A handle on an existing job, by name. */
  CgroupJob job(String name);

  /** The jobs that exist now (for the cleanup sweep: orphans and leftovers). */
  List<String> jobNames() throws IOException;

  /** Removes this engine's scope cgroups; answers false while jobs remain in them. */
  boolean removeScope();

  /**
   * Which hierarchy serves what, for {@code /capabilities}: {@code memory}, {@code processes},
   * {@code cpu}, {@code treeKill}, {@code freeze}, {@code placement}; a value is the mechanism
   * (e.g. {@code cgroup-v1}, {@code cgroup-v2 cgroup.kill}), absent when no cgroup serves it.
   */
  Map<String, String> serves();

  /** Each job's CPU quota in microseconds per {@link CgroupV1#CPU_PERIOD_MICROS}, or -1 without a cpu controller. */
  long cpuQuotaMicros();

  /** The controllers in use, per hierarchy ({@code v1}, {@code v2}). */
  Map<String, List<String>> controllers();

  /** The hierarchies in use: {@code v1}, {@code v2} or both. */
  default List<String> hierarchies() {
    return controllers().keySet().stream().sorted().toList();
  }

  /**
   * This engine's cgroups in the {@code hierarchies} its supervisor uses (for another part of the
   * engine, such as the cleanup sweep). Empty when they cannot be opened. Blocking.
   */
  static Optional<Cgroups> reopen(CgroupHierarchies machine, String scope, double cpuCores, List<String> hierarchies)
      throws IOException {
    Optional<CgroupV1> v1 = hierarchies.contains("v1") ? CgroupV1.open(machine, scope, cpuCores) : Optional.empty();
    CgroupV2 v2 = hierarchies.contains("v2") ? CgroupV2.open(machine, scope, cpuCores) : null;
    if (v1.isPresent()) {
      return Optional.of(v2 == null ? v1.get() : new HybridCgroups(v1.get(), v2));
    }
    return Optional.ofNullable(v2);
  }
}
