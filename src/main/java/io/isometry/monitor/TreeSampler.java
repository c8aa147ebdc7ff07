package io.isometry.monitor;

import io.isometry.os.ProcStat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oshi.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * Samples managed process trees. A tree is every process in the session its leader opened (the
 * engine starts each child as a session leader), which also covers descendants whose parent died,
 * and, for a command on a terminal in the sandbox, in the session the command opened as well;
 * one pass over {@code /proc} finds the members of all trees, then OSHI reads each member's memory,
 * threads and CPU time. CPU% is the CPU time the tree used since the previous sample over the time
 * that passed (100% is one core). Blocking, and not thread-safe: one sampling at a time.
 */
final class TreeSampler {

  /** What is sampled: a record id and the sessions of its processes (each its leader's pid). */
  record Tree(String id, List<Integer> sessions) {

    Tree(String id, int leader) {
      this(id, List.of(leader));
    }
  }

  private record CpuMark(long startTime, long cpuMillis, long atNanos) {
  }

  private final OperatingSystem os = new SystemInfo().getOperatingSystem();
  private Map<Integer, CpuMark> previous = new HashMap<>();

  List<TreeUsage> sample(List<Tree> trees) throws IOException {
    Map<Integer, List<Integer>> members = new HashMap<>();
    for (Tree tree : trees) {
      List<Integer> processes = new ArrayList<>();
      tree.sessions().forEach(session -> members.put(session, processes));
    }
    List<Integer> all = new ArrayList<>();
    for (ProcStat process : ProcStat.all()) {
      List<Integer> tree = members.get(process.session());
      if (tree != null && process.alive()) {
        tree.add(process.pid());
        all.add(process.pid());
      }
    }
    long now = System.nanoTime();
    Map<Integer, OSProcess> details = new HashMap<>();
    for (OSProcess process : os.getProcesses(all)) {
      details.put(process.getProcessID(), process);
    }
    Map<Integer, CpuMark> marks = new HashMap<>();
    List<TreeUsage> usages = new ArrayList<>(trees.size());
    for (Tree tree : trees) {
      double cpuPercent = 0;
      long rss = 0;
      int threads = 0;
      int processes = 0;
      for (int pid : members.get(tree.sessions().get(0))) {
        OSProcess process = details.get(pid);
        if (process == null) {
          continue;
        }
        CpuMark mark = new CpuMark(process.getStartTime(), process.getKernelTime() + process.getUserTime(), now);
        marks.put(pid, mark);
        cpuPercent += cpuPercent(previous.get(pid), mark, process.getUpTime());
        rss += process.getResidentSetSize();
        threads += process.getThreadCount();
        processes++;
      }
      usages.add(new TreeUsage(tree.id(), cpuPercent, rss, threads, processes));
    }
    previous = marks;
    return usages;
  }

  /** Since the previous sample of the same process; for a new one, over its whole life so far. */
  private static double cpuPercent(CpuMark before, CpuMark now, long upMillis) {
    if (before != null && before.startTime() == now.startTime()) {
      double wallMillis = (now.atNanos() - before.atNanos()) / 1e6;
      return wallMillis <= 0 ? 0 : 100.0 * (now.cpuMillis() - before.cpuMillis()) / wallMillis;
    }
    return upMillis <= 0 ? 0 : 100.0 * now.cpuMillis() / upMillis;
  }
}
