package io.isometry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * conf/isometry.service as systemd reads it (systemd-analyze warns on stderr and still exits 0, so both
 * count), and conf/jvm.options as the java launcher reads it for the unit and scripts/run.
 */
@Timeout(60)
class ServiceUnitTest {

  private static final Path ANALYZE = Path.of("/usr/bin/systemd-analyze");

  @Test
  void systemdFindsNothingWrongWithTheUnit() throws Exception {
    assumeTrue(Files.isExecutable(ANALYZE), "systemd-analyze is not installed here: the unit cannot be verified");
    Process verify = new ProcessBuilder(ANALYZE.toString(), "verify", Path.of("conf/isometry.service").toAbsolutePath().toString())
        .redirectErrorStream(true).start();
    assertThat(verify.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(output).isEmpty();
    assertThat(verify.exitValue()).isZero();
  }

  @Test
  void theJvmOptionsAreTakenByThisJava() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process flags = new ProcessBuilder(java.toString(), "@" + Path.of("conf/jvm.options").toAbsolutePath(),
        "-XX:+PrintFlagsFinal", "-version").redirectErrorStream(true).start();
    String output = new String(flags.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(flags.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(flags.exitValue()).as(output).isZero();
    assertThat(output).containsPattern("bool UseSerialGC += true")
        .containsPattern("size_t MaxHeapSize += 134217728")
        .containsPattern("bool ExitOnOutOfMemoryError += true");
  }
}
