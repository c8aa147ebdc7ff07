package io.isometry.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A Unix user a child runs as: its name, uid and primary gid (from the password database). */
public record Identity(String name, int uid, int gid) {

  /**
   * Looks a user up in {@code /etc/passwd}. Blocking (a file read).
   *
   * @throws IllegalArgumentException when there is no such user
   */
  public static Identity lookup(String name) throws IOException {
    for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
      String[] fields = line.split(":", -1);
      if (fields.length >= 4 && fields[0].equals(name)) {
        return new Identity(name, Integer.parseInt(fields[2]), Integer.parseInt(fields[3]));
      }
    }
    throw new IllegalArgumentException("no user '" + name + "' in /etc/passwd");
  }
}
