package io.isometry.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.os.Identity;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox's /etc, built from a host /etc made here: links stay links, what every user may read
 * is copied, what only some may read is left out, and each start's generation replaces the last.
 */
class SandboxEtcTest {

  private static final Identity NOBODY = new Identity("nobody", 65534, 65534, "/nonexistent");

  @TempDir
  Path root;

  @Test
  void copiesWhatEveryoneMayReadKeepsLinksAndLeavesPrivateThingsOut() throws Exception {
    Path host = hostEtc();
    Path files = Files.createDirectories(root.resolve("files"));

    Path etc;
    try (EtcGeneration generation = SandboxEtc.build(files, host, NOBODY)) {
      etc = generation.directory();
    }

    assertThat(Files.readString(etc.resolve("timezone"))).isEqualTo("Etc/UTC\n");
    assertThat(Files.readSymbolicLink(etc.resolve("localtime"))).isEqualTo(Path.of("/usr/share/zoneinfo/Etc/UTC"));
    assertThat(Files.readSymbolicLink(etc.resolve("ssl/certs/abc.0"))).isEqualTo(Path.of("ca.pem"));
    assertThat(Files.readString(etc.resolve("ssl/certs/ca.pem"))).isEqualTo("certificate");
    assertThat(etc.resolve("ssl/private")).as("a directory only some may enter").doesNotExist();
    assertThat(etc.resolve("ssl/openssl.key")).as("a file only its owner may read").doesNotExist();
    assertThat(Files.readString(etc.resolve("passwd"))).isEqualTo(
        "root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
    assertThat(Files.readString(etc.resolve("group"))).isEqualTo("root:x:0:\nnogroup:x:65534:\n");
    assertThat(etc.resolve("shadow")).as("never named, never copied").doesNotExist();
    try (Stream<Path> all = Files.walk(etc)) {
      for (Path path : all.filter(path -> !Files.isSymbolicLink(path)).toList()) {
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        assertThat(mode).as(path.toString()).isEqualTo(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--");
      }
    }
  }

  @Test
  void eachBuildIsANewGenerationAndTheOlderOnesGo() throws Exception {
    Path host = hostEtc();
    Path files = Files.createDirectories(root.resolve("files"));
    Files.writeString(Files.createDirectories(files.resolve("etc")).resolve("passwd"), "an engine before generations");
    Files.createDirectories(files.resolve("probe"));

    Path first = closed(SandboxEtc.build(files, host, NOBODY));
    Files.writeString(host.resolve("timezone"), "Europe/Paris\n");
    try (EtcGeneration second = SandboxEtc.build(files, host, NOBODY)) {
      assertThat(second.directory()).isNotEqualTo(first);
      assertThat(Files.readString(second.directory().resolve("timezone"))).isEqualTo("Europe/Paris\n");
      assertThat(names(files)).containsExactlyInAnyOrder(second.directory().getFileName().toString(),
          second.directory().getFileName() + EtcGeneration.LOCK_SUFFIX, "probe");
    }
  }

  /** Two engines on one workspace root: each keeps its own generation while it runs. */
  @Test
  void aGenerationAnotherEngineHoldsIsKept() throws Exception {
    Path host = hostEtc();
    Path files = Files.createDirectories(root.resolve("files"));

    try (EtcGeneration running = SandboxEtc.build(files, host, NOBODY)) {
      Path stopped = closed(SandboxEtc.build(files, host, NOBODY));
      assertThat(running.directory().resolve("passwd")).as("the running engine's, kept").exists();
      assertThat(stopped.resolve("passwd")).exists();

      try (EtcGeneration next = SandboxEtc.build(files, host, NOBODY)) {
        assertThat(running.directory().resolve("passwd")).as("still held: kept").exists();
        assertThat(stopped).as("nobody holds it: removed").doesNotExist();
        assertThat(EtcGeneration.lockOf(stopped)).doesNotExist();
        assertThat(next.directory().resolve("passwd")).exists();
      }
    }
  }

  /**
   * The lock is the kernel's (POSIX record locks, as another engine's JVM takes them): held by
   * another process, the generation stays; once that process is killed, the next start removes it.
   */
  @Test
  void aGenerationHeldByAnotherProcessStaysUntilThatProcessDies() throws Exception {
    Path host = hostEtc();
    Path files = Files.createDirectories(root.resolve("files"));
    Path other = closed(SandboxEtc.build(files, host, NOBODY));
    Process holder = new ProcessBuilder("python3", "-c",
        "import fcntl, sys, time\n"
            + "f = open(sys.argv[1], 'a')\n"
            + "fcntl.lockf(f, fcntl.LOCK_EX)\n"
            + "print('held', flush=True)\n"
            + "time.sleep(60)\n",
        EtcGeneration.lockOf(other).toString()).redirectErrorStream(true).start();
    try {
      assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine())
          .isEqualTo("held");

      closed(SandboxEtc.build(files, host, NOBODY));
      assertThat(other.resolve("passwd")).as("held by a live process: kept").exists();

      holder.destroyForcibly().waitFor();
      closed(SandboxEtc.build(files, host, NOBODY));
      assertThat(other).as("its holder killed: removed").doesNotExist();
    } finally {
      holder.destroyForcibly().waitFor();
    }
  }

  /**
   * POSIX locks belong to the process: closing any channel on a held lock file drops the lock. A
   * later engine of the same JVM (an embedding host, the tests) must not open the running one's.
   */
  @Test
  void anotherEngineOfThisJvmKeepsItsLockThroughALaterStart() throws Exception {
    Path host = hostEtc();
    Path files = Files.createDirectories(root.resolve("files"));

    try (EtcGeneration running = SandboxEtc.build(files, host, NOBODY)) {
      closed(SandboxEtc.build(files, host, NOBODY));

      Process probe = new ProcessBuilder("python3", "-c",
          "import fcntl, sys\n"
              + "f = open(sys.argv[1], 'a')\n"
              + "try:\n"
              + "    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
              + "    print('free')\n"
              + "except OSError:\n"
              + "    print('held')\n",
          EtcGeneration.lockOf(running.directory()).toString()).redirectErrorStream(true).start();
      assertThat(new String(probe.getInputStream().readAllBytes()).trim())
          .as("another process sees the running engine's lock").isEqualTo("held");
      assertThat(probe.waitFor()).isZero();
    }
  }

  private static Path closed(EtcGeneration generation) {
    generation.close();
    return generation.directory();
  }

  private static List<String> names(Path directory) throws Exception {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.map(path -> path.getFileName().toString()).toList();
    }
  }

  private Path hostEtc() throws Exception {
    Path host = Files.createDirectories(root.resolve("host-etc"));
    Files.writeString(host.resolve("group"), "root:x:0:\nnogroup:x:65534:\n");
    Files.writeString(host.resolve("shadow"), "root:secret");
    Files.writeString(host.resolve("timezone"), "Etc/UTC\n");
    Files.createSymbolicLink(host.resolve("localtime"), Path.of("/usr/share/zoneinfo/Etc/UTC"));
    Path certs = Files.createDirectories(host.resolve("ssl/certs"));
    Files.writeString(certs.resolve("ca.pem"), "certificate");
    Files.createSymbolicLink(certs.resolve("abc.0"), Path.of("ca.pem"));
    Path key = Files.writeString(host.resolve("ssl/openssl.key"), "key");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Path privateKeys = Files.createDirectories(host.resolve("ssl/private"));
    Files.writeString(privateKeys.resolve("server.key"), "private key");
    Files.setPosixFilePermissions(privateKeys, PosixFilePermissions.fromString("rwx--x---"));
    for (Path path : List.of(host, host.resolve("ssl"), certs)) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    for (Path path : List.of(host.resolve("group"), host.resolve("timezone"), certs.resolve("ca.pem"))) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
    }
    return host;
  }
}
