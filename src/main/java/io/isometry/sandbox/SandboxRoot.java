package io.isometry.sandbox;

import io.isometry.os.Identity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The read-only root a sandboxed child sees, as bubblewrap arguments: the host's {@code /usr} and
 * the top-level links or directories of a merged-{@code /usr} system ({@code /bin}, {@code /lib},
 * …), the directories of {@code security.searchPath}, and an {@code /etc} made for the sandbox —
 * password and group entries for root and the run-as user only, name-service and host files of its
 * own, and from the host only what programs need to run normally (the dynamic linker's cache, the
 * time zone, CA certificates, Debian's alternatives links). Nothing else of the host: not
 * {@code /root}, {@code /home}, {@code /var}, {@code /srv}, {@code /run}, {@code /sys}, the engine's
 * configuration, data, jar or logs, nor the host's {@code /tmp} and {@code /dev/shm}.
 *
 * <p>The files made here live in {@code <workspace>/.sandbox}, readable by everyone (they hold
 * nothing secret), because bubblewrap mounts them as the run-as user; no sandbox binds that directory.
 */
final class SandboxRoot {

  /** Top-level entries of the host bound (or linked, where they are links) into the sandbox. */
  private static final List<String> SYSTEM = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

  /** Host files under /etc that programs read to run normally, bound read-only when present. */
  private static final List<String> HOST_ETC = List.of("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d",
      "/etc/localtime", "/etc/timezone", "/etc/ssl", "/etc/ca-certificates", "/etc/alternatives", "/etc/mime.types",
      "/etc/protocols", "/etc/services", "/etc/gai.conf", "/etc/inputrc", "/etc/magic", "/etc/python3",
      "/etc/python3.11");

  private final List<String> arguments;

  private SandboxRoot(List<String> arguments) {
    this.arguments = List.copyOf(arguments);
  }

  /**
   * Writes the sandbox's own {@code /etc} files under {@code filesDirectory} and lays out the root.
   * Blocking.
   *
   * @param searchPath the directories commands are looked up in (bound read-only when outside /usr)
   * @param runAs the user children run as, or null when they run as the engine's user
   */
  static SandboxRoot prepare(Path filesDirectory, List<String> searchPath, Identity runAs, Identity engine)
      throws IOException {
    Path etc = filesDirectory.resolve("etc");
    Files.createDirectories(etc);
    Files.setPosixFilePermissions(filesDirectory, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
    Identity child = runAs != null ? runAs : engine;
    write(etc.resolve("passwd"), passwd(child));
    write(etc.resolve("group"), group(child));
    write(etc.resolve("nsswitch.conf"), "passwd: files\ngroup: files\nshadow: files\nhosts: files\n");
    write(etc.resolve("hosts"), "127.0.0.1 localhost isometry\n::1 localhost ip6-localhost ip6-loopback\n");
    write(etc.resolve("hostname"), "isometry\n");

    List<String> arguments = new ArrayList<>();
    for (String entry : SYSTEM) {
      Path path = Path.of(entry);
      if (Files.isSymbolicLink(path)) {
        arguments.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), entry));
      } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        arguments.addAll(List.of("--ro-bind", entry, entry));
      }
    }
    for (String directory : searchPath) {
      if (SYSTEM.stream().noneMatch(system -> directory.equals(system) || directory.startsWith(system + "/"))) {
        arguments.addAll(List.of("--ro-bind-try", directory, directory));
      }
    }
    for (String file : List.of("passwd", "group", "nsswitch.conf", "hosts", "hostname")) {
      arguments.addAll(List.of("--ro-bind", etc.resolve(file).toString(), "/etc/" + file));
    }
    for (String entry : HOST_ETC) {
      arguments.addAll(List.of("--ro-bind-try", entry, entry));
    }
    return new SandboxRoot(arguments);
  }

  List<String> arguments() {
    return arguments;
  }

  private static String passwd(Identity child) {
    StringBuilder text = new StringBuilder("root:x:0:0:root:/root:/usr/sbin/nologin\n");
    if (child.uid() != 0) {
      text.append(child.name()).append(":x:").append(child.uid()).append(':').append(child.gid())
          .append(':').append(child.name()).append(':').append(child.home()).append(":/usr/sbin/nologin\n");
    }
    return text.toString();
  }

  private static String group(Identity child) throws IOException {
    StringBuilder text = new StringBuilder("root:x:0:\n");
    if (child.gid() != 0) {
      text.append(groupName(child.gid())).append(":x:").append(child.gid()).append(":\n");
    }
    return text.toString();
  }

  /** The host's name for {@code gid}, so that {@code ls -l} and {@code id} inside say the same as outside. */
  private static String groupName(int gid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/etc/group"), StandardCharsets.UTF_8)) {
      String[] fields = line.split(":", -1);
      if (fields.length >= 3 && fields[2].equals(Integer.toString(gid))) {
        return fields[0];
      }
    }
    return "group" + gid;
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
  }
}
