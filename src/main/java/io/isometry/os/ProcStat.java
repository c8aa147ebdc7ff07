package io.isometry.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of {@code /proc/<pid>/stat} the engine needs to find a process tree: its parent,
 * process group and session, and its start time (which, with the pid, names a process for good:
 * pids are reused, a pid and start time are not). Blocking: reads /proc.
 */
public record ProcStat(int pid, char state, int parent, int group, int session, long startTime) {

  private static final Path PROC = Path.of("/proc");

  /** The process now, or null when there is no such process. */
  public static ProcStat of(int pid) {
    try {
      return parse(pid, Files.readString(PROC.resolve(Integer.toString(pid)).resolve("stat"), StandardCharsets.US_ASCII));
    } catch (IOException | RuntimeException gone) {
      return null;
    }
  }

  /** Every process on the machine now (those that vanish while being read are skipped). */
  public static List<ProcStat> all() throws IOException {
    List<ProcStat> all = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
          ProcStat stat = of(Integer.parseInt(name));
          if (stat != null) {
            all.add(stat);
          }
        }
      }
    }
    return all;
  }

  /**
   * The first child of {@code pid} (from {@code /proc/<pid>/task/<pid>/children}, the children its
   * main thread made), or -1 when it has none now or cannot be read.
   */
  public static int firstChild(int pid) {
    String task = Integer.toString(pid);
    try {
      String children = Files.readString(PROC.resolve(task).resolve("task").resolve(task).resolve("children"),
          StandardCharsets.US_ASCII).trim();
      int end = children.indexOf(' ');
      return children.isEmpty() ? -1 : Integer.parseInt(end < 0 ? children : children.substring(0, end));
    } catch (IOException | RuntimeException gone) {
      return -1;
    }
  }

  static ProcStat parse(int pid, String stat) {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    // cutime cstime priority nice threads itrealvalue starttime ...: comm may hold spaces and
    // parentheses, so fields are counted from the last ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new ProcStat(pid, fields[0].charAt(0), Integer.parseInt(fields[1]), Integer.parseInt(fields[2]),
        Integer.parseInt(fields[3]), Long.parseLong(fields[19]));
  }

  /** True unless the process is a zombie (ended, waiting to be reaped) or dead. */
  public boolean alive() {
    return state != 'Z' && state != 'X';
  }
}
