package io.isometry.os;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.TreeSet;

/**
 * One tree's cgroups on a hybrid machine: its limits, OOM count and peak in v1; its tree kill and
 * freezing in the unified hierarchy. A tree comes in by pid, the sandbox's processes moved into v1
 * and then v2 while the sandbox is held. The v1 job holds everything the v2 job holds and, for an
 * instant, more (a process moved into v1 and not yet into v2). Members are read from both, and a half that is
 * gone already (a removal that stopped halfway) counts as empty, so the sweep still finds the other.
 */
public final class HybridJob implements CgroupJob {

  private final CgroupV1Job v1;
  private final CgroupV2Job v2;

  HybridJob(CgroupV1Job v1, CgroupV2Job v2) {
    this.v1 = v1;
    this.v2 = v2;
  }

  @Override
  public String name() {
    return v1.name();
  }

  /** The job's unified-hierarchy half. */
  public CgroupV2Job unified() {
    return v2;
  }

  @Override
  public ThreadPlacement threadPlacement() {
    return v1;
  }

  @Override
  public boolean placesProcesses() {
    return true;
  }

  @Override
  public void place(int pid) throws IOException {
    // v1 first: the v1 job holds everything the v2 job holds.
    v1.place(pid);
    v2.place(pid);
  }

  @Override
  public void limitMemory(long memoryBytes, long maxProcesses) throws IOException {
    v1.limitMemory(memoryBytes, maxProcesses);
  }

  @Override
  public boolean reusable() {
    return v1.reusable() && v2.reusable();
  }

  @Override
  public void resetForReuse() throws IOException {
    v1.resetForReuse();
    v2.resetForReuse();
  }

  @Override
  public long oomKills() throws IOException {
    return v1.oomKills();
  }

  @Override
  public long peakBytes() throws IOException {
    return v1.peakBytes();
  }

  @Override
  public List<Integer> members() throws IOException {
    TreeSet<Integer> members = new TreeSet<>(membersOf(v1));
    members.addAll(membersOf(v2));
    return List.copyOf(members);
  }

  private static List<Integer> membersOf(CgroupJob half) throws IOException {
    try {
      return half.members();
    } catch (NoSuchFileException gone) {
      return List.of();
    }
  }

  @Override
  public boolean spawning() throws IOException {
    return v1.spawning();
  }


  /**
   * {@code cgroup.kill} takes the tree at once; then whatever v1 still lists that v2 never held (a
   * sandbox killed before it was moved) is killed one by one. Answers how many were signalled.
   */
  @Override
  public int killAll() throws IOException {
    int killed = 0;
    try {
      killed = v2.killAll();
    } catch (NoSuchFileException gone) {
      // Only the v1 half is left: it is killed member by member below.
    }
    try {
      return Math.max(killed, v1.killAll());
    } catch (NoSuchFileException gone) {
      return killed;
    }
  }

  @Override
  public boolean killsAtOnce() {
    return true;
  }

  @Override
  public boolean freezes() {
    return true;
  }

  @Override
  public void freeze(boolean frozen) throws IOException {
    v2.freeze(frozen);
  }

  @Override
  public boolean remove() {
    boolean v1Removed = v1.remove();
    return v2.remove() && v1Removed;
  }
}
