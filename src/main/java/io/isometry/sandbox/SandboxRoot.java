package io.isometry.sandbox;

import io.isometry.os.Identity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The read-only root a sandboxed child sees, as bubblewrap arguments: the host's {@code /usr} and
 * the top-level links or directories of a merged-{@code /usr} system ({@code /bin}, {@code /lib},
 * …), the directories of {@code security.searchPath}, and an {@code /etc} made for the sandbox
 * ({@link SandboxEtc}), bound in one mount. Nothing else of the host: not {@code /root},
 * {@code /home}, {@code /var}, {@code /srv}, {@code /run}, {@code /sys}, the engine's configuration,
 * data, jar or logs, nor the host's {@code /tmp} and {@code /dev/shm}.
 *
 * <p>The files made here live in {@code <workspace>/.sandbox}, readable by everyone (they hold
 * nothing secret), because bubblewrap mounts them as the run-as user; no sandbox binds that directory
 * itself, only its {@code etc-…} generation, read-only, as {@code /etc}.
 */
final class SandboxRoot {

  /** Top-level entries of the host bound (or linked, where they are links) into the sandbox. */
  private static final List<String> SYSTEM = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

  private final List<String> arguments;
  private final EtcGeneration etc;

  private SandboxRoot(List<String> arguments, EtcGeneration etc) {
    this.arguments = List.copyOf(arguments);
    this.etc = etc;
  }

  /**
   * Builds the sandbox's {@code /etc} under {@code filesDirectory} and lays out the root. Blocking.
   *
   * @param searchPath the directories commands are looked up in (bound read-only when outside /usr)
   * @param runAs the user children run as, or null when they run as the engine's user
   */
  static SandboxRoot prepare(Path filesDirectory, List<String> searchPath, Identity runAs, Identity engine)
      throws IOException {
    Files.createDirectories(filesDirectory);
    Files.setPosixFilePermissions(filesDirectory, PosixFilePermissions.fromString("rwxr-xr-x"));
    EtcGeneration etc = SandboxEtc.build(filesDirectory, Path.of("/etc"), runAs != null ? runAs : engine);

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
    arguments.addAll(List.of("--ro-bind", etc.directory().toString(), "/etc"));
    return new SandboxRoot(arguments, etc);
  }

  List<String> arguments() {
    return arguments;
  }

  /** The host directory bound as the sandbox's {@code /etc}. */
  Path etc() {
    return etc.directory();
  }

  /** Lets the {@code /etc} generation go, for the next engine to remove. */
  void close() {
    etc.close();
  }
}
