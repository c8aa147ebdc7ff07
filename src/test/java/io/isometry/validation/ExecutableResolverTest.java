package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.isometry.config.ConfigLoader;
import io.isometry.config.EngineConfig;
import io.isometry.contract.SubmitRequest;
import io.isometry.contract.ViolationType;
import io.isometry.os.Identity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutableResolverTest {

  private static final List<Path> SYSTEM = List.of(Path.of("/usr/bin"), Path.of("/bin"));
  /** A user that owns nothing here and is in no group of anything here. */
  private static final Identity STRANGER = new Identity("stranger", 54321, 54321, "/nonexistent");

  @Test
  void resolvesABareNameToAnAbsoluteExecutableOnTheServersSearchPath() {
    ExecutableResolver resolver = new ExecutableResolver(List.of("ls", "cat"), SYSTEM);

    assertThat(resolver.resolve("ls")).contains("/usr/bin/ls");
    assertThat(resolver.resolved()).containsExactly(entry("ls", "/usr/bin/ls"), entry("cat", "/usr/bin/cat"));
  }

  @Test
  void refusesNamesThatAreNotAllowed() {
    ExecutableResolver resolver = new ExecutableResolver(List.of("ls"), SYSTEM);

    assertThat(resolver.resolve("rm")).isEmpty();
    assertThat(resolver.resolve("")).isEmpty();
    assertThat(resolver.resolve("LS")).isEmpty();
  }

  @Test
  void refusesAnyPathToAnAllowedName() {
    ExecutableResolver resolver = new ExecutableResolver(List.of("ls"), SYSTEM);

    assertThat(resolver.resolve("./ls")).isEmpty();
    assertThat(resolver.resolve("/usr/bin/ls")).isEmpty();
    assertThat(resolver.resolve("bin/ls")).isEmpty();
    assertThat(resolver.resolve("../ls")).isEmpty();
  }

  @Test
  void allowsAnAbsoluteAllowlistEntryAsExactlyThatPath() {
    ExecutableResolver resolver = new ExecutableResolver(List.of("/usr/bin/ls"), SYSTEM);

    assertThat(resolver.resolve("/usr/bin/ls")).contains("/usr/bin/ls");
    assertThat(resolver.resolve("ls")).isEmpty();
    assertThat(resolver.resolve("/bin/ls")).isEmpty();
    assertThat(resolver.resolve("/usr/bin//ls")).isEmpty();
  }

  @Test
  void skipsEntriesThatAreNotExecutablesOnTheSearchPath() {
    ExecutableResolver resolver = new ExecutableResolver(
        List.of("no-such-command-here", "/no/such/tool", "bin/ls", "..", "ls"), SYSTEM);

    assertThat(resolver.resolved()).containsOnlyKeys("ls");
    assertThat(resolver.resolve("no-such-command-here")).isEmpty();
  }

  @Test
  void takesTheFirstExecutableRegularFileInSearchOrder(@TempDir Path temp) throws IOException {
    Path first = Files.createDirectories(temp.resolve("first"));
    Path second = Files.createDirectories(temp.resolve("second"));
    Path third = Files.createDirectories(temp.resolve("third"));
    Files.createFile(first.resolve("tool"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    Files.createDirectory(first.resolve("dir"));
    executable(second.resolve("tool"));
    executable(third.resolve("tool"));
    executable(third.resolve("dir"));

    ExecutableResolver resolver = new ExecutableResolver(List.of("tool", "dir"), List.of(first, second, third));

    assertThat(resolver.resolve("tool")).contains(second.resolve("tool").toString());
    assertThat(resolver.resolve("dir")).contains(third.resolve("dir").toString());
  }

  @Test
  void findsProgramsOnTheConfiguredSearchPathOnly(@TempDir Path temp) throws IOException {
    // Reachable by whoever children run as (nobody, when this test runs as root).
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path bin = Files.createDirectories(temp.resolve("bin"));
    executable(bin.resolve("tool"));

    // ls is in /usr/bin and on the PATH of whoever runs this test, but not on the configured path.
    SecurityPolicy policy = SecurityPolicy.create(EngineConfig.from(ConfigLoader.withOverrides(new JsonObject()
        .put("workspace", Files.createDirectories(temp.resolve("workspace")).toString())
        .put("security", new JsonObject().put("allowedCommands", new JsonArray().add("tool").add("ls"))
            .put("searchPath", bin.toString())))));

    assertThat(policy.allowedCommands()).containsExactly(entry("tool", bin.resolve("tool").toString()));
    ValidationResult run = policy.validate(SubmitRequest.fromJson(new JsonObject().put("command", "tool")));
    assertThat(run.plan().argv()).containsExactly(bin.resolve("tool").toString());
    assertThat(run.plan().env()).containsEntry("PATH", bin.toString());
    assertThat(policy.validate(SubmitRequest.fromJson(new JsonObject().put("command", "ls"))).violations())
        .extracting(Violation::type).containsExactly(ViolationType.COMMAND_NOT_ALLOWED);
  }

  @Test
  void keepsWhatTheRunAsUserCannotExecuteUnresolvedWithTheReason(@TempDir Path temp) throws IOException {
    // JUnit's directory is private; open it, then close parts of the tree again.
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path open = Files.createDirectories(temp.resolve("open"));
    Path closed = Files.createDirectories(temp.resolve("closed"));
    executable(open.resolve("tool"));
    executable(closed.resolve("hidden"));
    Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
    Files.createFile(open.resolve("readonly"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr--r--")));
    Files.createSymbolicLink(open.resolve("linked"), closed.resolve("hidden"));

    ExecutableResolver resolver = new ExecutableResolver(List.of("tool", "hidden", "readonly", "linked"),
        List.of(open, closed), STRANGER);

    assertThat(resolver.resolved()).containsOnlyKeys("tool");
    assertThat(resolver.resolve("hidden")).isEmpty();
    assertThat(resolver.unusable()).containsOnlyKeys("hidden", "readonly", "linked");
    assertThat(resolver.unusable().get("hidden")).isEqualTo(closed.resolve("hidden") + " cannot be executed by "
        + "stranger, the user commands run as: directory " + closed + " (mode 0700, uid " + uid(closed) + ", gid "
        + gid(closed) + ") is not searchable");
    assertThat(resolver.unusable().get("readonly")).endsWith(open.resolve("readonly") + " (mode 0744, uid "
        + uid(open) + ", gid " + gid(open) + ") is not executable");
    // A link from an open directory leads into the closed one: the real path is judged too.
    assertThat(resolver.unusable().get("linked")).startsWith(open.resolve("linked") + " cannot be executed")
        .contains("directory " + closed + " (mode 0700");
    // Children that run as the engine itself are not judged.
    assertThat(new ExecutableResolver(List.of("hidden", "readonly"), List.of(open, closed)).resolved())
        .containsOnlyKeys("hidden", "readonly");
  }

  @Test
  void judgesByTheClassTheUserFallsInAsTheKernelDoes(@TempDir Path temp) throws IOException {
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path groupOnly = Files.createDirectories(temp.resolve("group-only"));
    Path othersOnly = Files.createDirectories(temp.resolve("others-only"));
    executable(groupOnly.resolve("a"));
    executable(othersOnly.resolve("b"));
    Files.setPosixFilePermissions(groupOnly, PosixFilePermissions.fromString("rwx--x---"));
    // Searchable by others, not by the group: a member of the group is refused, as by the kernel.
    Files.setPosixFilePermissions(othersOnly, PosixFilePermissions.fromString("rwx-----x"));
    Identity member = new Identity("member", 54321, gid(groupOnly), "/nonexistent");

    ExecutableResolver resolver = new ExecutableResolver(List.of("a", "b"), List.of(groupOnly, othersOnly), member);

    assertThat(resolver.resolved()).containsOnlyKeys("a");
    assertThat(resolver.unusable()).containsOnlyKeys("b");
    assertThat(new ExecutableResolver(List.of("a", "b"), List.of(groupOnly, othersOnly), STRANGER).resolved())
        .containsOnlyKeys("b");
  }

  @Test
  void aRequestForACommandTheRunAsUserCannotExecuteIsRefusedSayingWhy(@TempDir Path temp) throws IOException {
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path closed = Files.createDirectories(temp.resolve("closed"));
    executable(closed.resolve("tool"));
    Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
    SecurityPolicy policy = SecurityPolicy.create(EngineConfig.from(ConfigLoader.withOverrides(new JsonObject()
            .put("workspace", Files.createDirectories(temp.resolve("workspace")).toString())
            .put("security", new JsonObject().put("allowedCommands", new JsonArray().add("tool"))))),
        ServerEnvironment.runningAs(closed.toString(), STRANGER));

    List<Violation> violations = policy.validate(SubmitRequest.fromJson(new JsonObject().put("command", "tool")))
        .violations();

    assertThat(violations).hasSize(1);
    assertThat(violations.get(0).type()).isEqualTo(ViolationType.COMMAND_NOT_ALLOWED);
    assertThat(violations.get(0).message()).isEqualTo("Command 'tool' cannot run here: " + closed.resolve("tool")
        + " cannot be executed by stranger, the user commands run as: directory " + closed + " (mode 0700, uid "
        + uid(closed) + ", gid " + gid(closed) + ") is not searchable");
    assertThat(violations.get(0).detail()).isEqualTo(new JsonObject().put("command", "tool"));
  }

  private static int uid(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:uid");
  }

  private static int gid(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:gid");
  }

  private static void executable(Path file) throws IOException {
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
  }
}
