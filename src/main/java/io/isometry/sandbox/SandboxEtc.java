package io.isometry.sandbox;

import io.isometry.os.Identity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@code /etc} a sandbox sees, made once at start as one directory that each sandbox binds
 * read-only in a single mount (one bind per file cost bubblewrap about 0.45 ms each, about 9 ms of a
 * 10 ms sandbox; see docs/confinement.md, "Costs"). It holds password and group entries for root and
 * the run-as user only, name-service and host files of its own, and copies of what programs need from
 * the host's {@code /etc} to run normally: the dynamic linker's cache, the time zone, CA certificates,
 * Debian's alternatives links, and a few more.
 *
 * <p>Copies keep links as links (most CA certificates, the alternatives and the time zone point into
 * {@code /usr}, which the sandbox has; a link into the host's {@code /etc} points into this copy
 * instead, never out of it), and take only what every user may read on the host: a file that is not
 * world-readable (or a directory that is not world-searchable, such as {@code /etc/ssl/private}) is
 * left out, so the copy shows nobody more than the host's own permissions did. Everything here is the
 * engine's (root's), directories 0755 and files 0644: no child's user can write to it, and the bind
 * is read-only besides.
 *
 * <p>Each start builds a new generation, {@code etc-<random>}, complete before any sandbox names it,
 * held by the engine for its life ({@link EtcGeneration}), then removes the older ones nobody holds:
 * a sandbox never sees a half-written {@code /etc}, what the host or the configuration changed is
 * taken at the next start, and an engine that shares the workspace root keeps its own. Blocking.
 */
final class SandboxEtc {

  /** What programs read under the host's /etc to run normally, copied when present. */
  static final List<String> FROM_HOST = List.of("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime",
      "timezone", "ssl", "ca-certificates", "alternatives", "mime.types", "protocols", "services", "gai.conf",
      "inputrc", "magic", "python3", "python3.11");
  private static final String GENERATION = "etc-";
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
  private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r--r--");

  private SandboxEtc() {
  }

  /**
   * Builds a new generation under {@code filesDirectory} from {@code hostEtc}, held by this engine
   * until it closes it, and removes the older ones that no engine holds.
   */
  static EtcGeneration build(Path filesDirectory, Path hostEtc, Identity child) throws IOException {
    EtcGeneration generation = claimNew(filesDirectory);
    try {
      Files.setPosixFilePermissions(generation.directory(), DIRECTORY);
      fill(generation.directory(), hostEtc, child);
      removeOlderThan(filesDirectory, generation.directory());
    } catch (IOException | RuntimeException e) {
      generation.close();
      throw e;
    }
    return generation;
  }

  /** A generation under a fresh random name, locked and made (a name already taken is passed over). */
  private static EtcGeneration claimNew(Path filesDirectory) throws IOException {
    EtcGeneration generation = null;
    while (generation == null) {
      generation = EtcGeneration.claim(filesDirectory.resolve(GENERATION + Long.toUnsignedString(RANDOM.nextLong(), 36)));
    }
    return generation;
  }

  private static void fill(Path etc, Path hostEtc, Identity child) throws IOException {
    write(etc.resolve("passwd"), passwd(child));
    write(etc.resolve("group"), group(child, hostEtc));
    write(etc.resolve("nsswitch.conf"), "passwd: files\ngroup: files\nshadow: files\nhosts: files\n");
    write(etc.resolve("hosts"), "127.0.0.1 localhost isometry\n::1 localhost ip6-localhost ip6-loopback\n");
    write(etc.resolve("hostname"), "isometry\n");
    for (String name : FROM_HOST) {
      copy(hostEtc.resolve(name), etc.resolve(name));
    }
  }

  /** A link is copied as the same link; a file or directory only if every user may read it on the host. */
  private static void copy(Path from, Path to) throws IOException {
    PosixFileAttributes attributes;
    try {
      attributes = Files.readAttributes(from, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException absent) {
      return;
    }
    Set<PosixFilePermission> mode = attributes.permissions();
    if (attributes.isSymbolicLink()) {
      Files.createSymbolicLink(to, Files.readSymbolicLink(from));
    } else if (attributes.isRegularFile() && mode.contains(PosixFilePermission.OTHERS_READ)) {
      Files.copy(from, to);
      Files.setPosixFilePermissions(to, FILE);
    } else if (attributes.isDirectory() && mode.contains(PosixFilePermission.OTHERS_READ)
        && mode.contains(PosixFilePermission.OTHERS_EXECUTE)) {
      Files.createDirectory(to);
      Files.setPosixFilePermissions(to, DIRECTORY);
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(from)) {
        for (Path entry : entries) {
          copy(entry, to.resolve(entry.getFileName().toString()));
        }
      }
    }
    // Anything else (a private file or directory, a device, a socket) is not the sandbox's business.
  }

  /**
   * Earlier generations that no engine holds (another engine on the same workspace root keeps its
   * own), and the single {@code etc} of engines before generations.
   */
  private static void removeOlderThan(Path filesDirectory, Path current) throws IOException {
    try (Stream<Path> entries = Files.list(filesDirectory)) {
      for (Path entry : entries.toList()) {
        String name = entry.getFileName().toString();
        if (entry.equals(current) || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        if (name.equals("etc")) {
          deleteTree(entry);
        } else if (name.startsWith(GENERATION)) {
          EtcGeneration.removeIfUnheld(entry, SandboxEtc::deleteTree);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static String passwd(Identity child) {
    StringBuilder text = new StringBuilder("root:x:0:0:root:/root:/usr/sbin/nologin\n");
    if (child.uid() != 0) {
      text.append(child.name()).append(":x:").append(child.uid()).append(':').append(child.gid())
          .append(':').append(child.name()).append(':').append(child.home()).append(":/usr/sbin/nologin\n");
    }
    return text.toString();
  }

  private static String group(Identity child, Path hostEtc) throws IOException {
    StringBuilder text = new StringBuilder("root:x:0:\n");
    if (child.gid() != 0) {
      text.append(groupName(child.gid(), hostEtc)).append(":x:").append(child.gid()).append(":\n");
    }
    return text.toString();
  }

  /** The host's name for {@code gid}, so that {@code ls -l} and {@code id} inside say the same as outside. */
  private static String groupName(int gid, Path hostEtc) throws IOException {
    for (String line : Files.readAllLines(hostEtc.resolve("group"), StandardCharsets.UTF_8)) {
      String[] fields = line.split(":", -1);
      if (fields.length >= 3 && fields[2].equals(Integer.toString(gid))) {
        return fields[0];
      }
    }
    return "group" + gid;
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, FILE);
  }
}
