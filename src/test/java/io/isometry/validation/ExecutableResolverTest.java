package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutableResolverTest {

  private static final List<Path> SYSTEM = List.of(Path.of("/usr/bin"), Path.of("/bin"));

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
  void keepsOnlyAbsoluteEntriesOfTheServersPath() {
    assertThat(ServerEnvironment.absoluteEntries(".:/usr/bin::bin:/bin")).isEqualTo("/usr/bin:/bin");
    assertThat(ServerEnvironment.absoluteEntries(null)).isEqualTo(ServerEnvironment.FALLBACK_SEARCH_PATH);
    assertThat(ServerEnvironment.absoluteEntries("")).isEqualTo(ServerEnvironment.FALLBACK_SEARCH_PATH);
    assertThat(ServerEnvironment.absoluteEntries("relative:./bin")).isEqualTo(ServerEnvironment.FALLBACK_SEARCH_PATH);
  }

  private static void executable(Path file) throws IOException {
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
  }
}
