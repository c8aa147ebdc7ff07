package io.isometry.os;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A hybrid machine: the limits from cgroup v1 (where the controllers are), and from the unified
 * hierarchy what only it gives without controllers: {@code cgroup.kill} (the tree in one kernel
 * operation), {@code cgroup.freeze} (suspend that a process cannot see or escape by leaving its
 * process group) and the placement of the sandbox in it before the command runs. Every job has the
 * same name in both.
 */
public final class HybridCgroups implements Cgroups {

  private final CgroupV1 v1;
  private final CgroupV2 v2;

  public HybridCgroups(CgroupV1 v1, CgroupV2 v2) {
    this.v1 = v1;
    this.v2 = v2;
  }

  @Override
  public HybridJob create(String name, long memoryBytes, long maxProcesses) throws IOException {
    CgroupV1Job limits = v1.create(name, memoryBytes, maxProcesses);
    try {
      return new HybridJob(limits, v2.create(name, memoryBytes, maxProcesses));
    } catch (IOException e) {
      limits.remove();
      throw e;
    }
  }

  @Override
  public HybridJob job(String name) {
    return new HybridJob(v1.job(name), v2.job(name));
  }

  @Override
  public List<String> jobNames() throws IOException {
    TreeSet<String> names = new TreeSet<>(v1.jobNames());
    names.addAll(v2.jobNames());
    return List.copyOf(names);
  }

  @Override
  public boolean removeScope() {
    boolean v1Removed = v1.removeScope();
    return v2.removeScope() && v1Removed;
  }

  @Override
  public Map<String, String> serves() {
    Map<String, String> serves = new LinkedHashMap<>(v1.serves());
    Map<String, String> unified = v2.serves();
    serves.put("treeKill", unified.get("treeKill"));
    serves.put("freeze", unified.get("freeze"));
    serves.put("placement", v1.serves().get("placement") + "; " + unified.get("placement"));
    return serves;
  }

  @Override
  public long cpuQuotaMicros() {
    return v1.cpuQuotaMicros();
  }

  @Override
  public Map<String, List<String>> controllers() {
    return Map.of("v1", v1.inUse(), "v2", v2.controllers().get("v2"));
  }
}
