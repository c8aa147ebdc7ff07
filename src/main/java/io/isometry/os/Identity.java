package io.isometry.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Unix user a child runs as: its name, uid, primary gid and home directory (from the password
 * database).
 */
public record Identity(String name, int uid, int gid, String home) {

  /**
   * Looks a user up in {@code /etc/passwd}. Blocking (a file read).
   *
   * @throws IllegalArgumentException when there is no such user
   */
  public static Identity lookup(String name) throws IOException {
    for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
      String[] fields = line.split(":", -1);
      if (fields.length >= 6 && fields[0].equals(name)) {
        return new Identity(name, Integer.parseInt(fields[2]), Integer.parseInt(fields[3]), fields[5]);
      }
    }
    throw new IllegalArgumentException("no user '" + name + "' in /etc/passwd");
  }

  /** The user the engine runs as. Blocking (file reads). */
  public static Identity engine() throws IOException {
    String uid = Integer.toString(currentUid());
    for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
      String[] fields = line.split(":", -1);
      if (fields.length >= 6 && fields[2].equals(uid)) {
        return new Identity(fields[0], Integer.parseInt(fields[2]), Integer.parseInt(fields[3]), fields[5]);
      }
    }
    return new Identity("uid" + uid, Integer.parseInt(uid), Integer.parseInt(uid), "/");
  }

  /** True when the engine runs as root. Blocking (file reads). */
  public static boolean engineIsRoot() throws IOException {
    return lookup("root").uid() == currentUid();
  }

  /**
   * Who the children of an engine configured with {@code runAs} run as: that user when the engine
   * is root and {@code runAs} is not {@code root}, otherwise null (they run as the engine itself).
   * Validation and the supervisor both ask here, so the environment a plan promises is the one of
   * the user that runs it. Blocking (file reads).
   *
   * @throws IllegalArgumentException when children must run as a user that does not exist
   */
  public static Identity ofChildren(String runAs) throws IOException {
    return engineIsRoot() && !runAs.equals("root") ? lookup(runAs) : null;
  }

  private static int currentUid() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("Uid:")) {
        return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
      }
    }
    throw new IOException("no Uid line in /proc/self/status");
  }
}
