package io.isometry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.testing.EngineProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's command line as an operator meets it, in a JVM of its own: {@code --help},
 * {@code --version}, a home that the start directory does not change, the token in one line only,
 * and a line at shutdown that says what was stopped.
 */
@Timeout(120)
class MainTest {

  @TempDir
  Path temp;

  @Test
  void helpAndVersionAnswerOnStandardOutputAndExitZero() throws Exception {
    Result help = main("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).startsWith("Usage: java -jar isometry.jar [--conf FILE]").contains("ISOMETRY_HOME");
    Result version = main("--version");
    assertThat(version.exit()).isZero();
    assertThat(version.out()).startsWith("isometry dev (Java ");
  }

  @Test
  void anUnknownArgumentIsAUsageErrorThatPointsAtHelp() throws Exception {
    Result unknown = main("--nope");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).isEqualTo("isometry: unknown argument '--nope' (--help for the usage)\n");
  }

  @Test
  void relativePathsAreInTheHomeTheTokenIsInTheConsoleLineOnlyAndTheStopIsLogged() throws Exception {
    Path home = Files.createDirectories(temp.resolve("home"));
    Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    String log;
    try (EngineProcess engine = EngineProcess.start(Map.of("ISOMETRY_HOME", home.toString(), "ISOMETRY_RUNAS", "root"),
        elsewhere)) {
      engine.port();
      assertThat(home.resolve("data/token")).exists();
      assertThat(home.resolve("workspace")).isDirectory();
      assertThat(elsewhere).isEmptyDirectory();
      assertThat(engine.stop()).isEqualTo(143);
      engine.awaitExit();
      log = engine.log();
    }
    String token = Files.readString(home.resolve("data/token")).strip();
    List<String> withToken = log.lines().filter(line -> line.contains(token)).toList();
    assertThat(withToken).hasSize(1);
    assertThat(withToken.get(0)).contains("Web console: http://127.0.0.1:").endsWith("/?token=" + token);
    assertThat(log).contains("(home " + home + ", workspace " + home.resolve("workspace") + ", data "
        + home.resolve("data") + ")");
    assertThat(log).containsPattern(
        "Isometry engine stopped: 0 running, 0 suspended and 0 queued process\\(es\\) ended; HTTP on port \\d+, "
            + "the journal closed");
  }

  private Result main(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(Arrays.asList(args));
    Process process = new ProcessBuilder(command).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private record Result(int exit, String out, String err) {
  }
}
