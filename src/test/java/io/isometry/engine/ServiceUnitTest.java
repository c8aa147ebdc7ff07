package io.isometry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** conf/isometry.service as systemd reads it: systemd-analyze warns on stderr and still exits 0, so both count. */
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
}
