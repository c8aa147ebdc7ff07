package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.config.ConfigLoader;
import io.isometry.config.EngineConfig;
import io.isometry.contract.Severity;
import io.isometry.contract.SubmitRequest;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A setuid or setgid executable is refused even when allowlisted, and a bit set after start is seen. */
class SetIdExecutableTest {

  @TempDir
  Path temp;
  private Path root;
  private Path bin;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(temp.resolve("ws"));
    bin = Files.createDirectories(temp.resolve("bin"));
  }

  @Test
  void refusesAnAllowlistedSetuidExecutable() throws Exception {
    Path tool = executable("tool", "4755");

    Violation violation = policy(tool.toString()).validate(request(tool.toString())).violations().get(0);

    assertThat(violation.type()).isEqualTo(ViolationType.PRIVILEGE_ESCALATION);
    assertThat(violation.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(violation.detail().getString("executable")).isEqualTo(tool.toString());
  }

  @Test
  void refusesASetgidExecutableFoundOnTheSearchPath() throws Exception {
    executable("tool", "2755");
    SecurityPolicy policy = SecurityPolicy.create(config("tool"),
        new ServerEnvironment(bin.toString(), "/home/engine", "engine"));

    assertThat(policy.validate(request("tool")).violations()).extracting(Violation::type)
        .containsExactly(ViolationType.PRIVILEGE_ESCALATION);
  }

  @Test
  void seesABitSetAfterThePolicyWasBuilt() throws Exception {
    Path tool = executable("tool", "755");
    SecurityPolicy policy = policy(tool.toString());
    assertThat(policy.validate(request(tool.toString())).allowed()).isTrue();

    chmod(tool, "u+s");

    assertThat(policy.validate(request(tool.toString())).violations()).extracting(Violation::type)
        .containsExactly(ViolationType.PRIVILEGE_ESCALATION);
  }

  @Test
  void anExecutableThatCannotBeExaminedCountsAsSetId() throws Exception {
    assertThat(SetIdBits.isSetId(bin.resolve("missing").toString())).isTrue();
    assertThat(SetIdBits.isSetId(bin + "/tool\u0000")).isTrue();
    assertThat(SetIdBits.isSetId(executable("plain", "755").toString())).isFalse();
    assertThat(SetIdBits.isSetId(executable("group", "2711").toString())).isTrue();
  }

  private SecurityPolicy policy(String allowed) {
    return SecurityPolicy.create(config(allowed), new ServerEnvironment("/usr/bin:/bin", "/home/engine", "engine"));
  }

  private EngineConfig config(String allowed) {
    return EngineConfig.from(ConfigLoader.withOverrides(new JsonObject().put("workspace", root.toString())
        .put("security", new JsonObject().put("allowedCommands", new JsonArray().add(allowed)))));
  }

  private Path executable(String name, String mode) throws Exception {
    Path file = Files.writeString(bin.resolve(name), "#!/bin/sh\n");
    chmod(file, mode);
    return file;
  }

  private static void chmod(Path file, String mode) throws Exception {
    assertThat(new ProcessBuilder("chmod", mode, file.toString()).inheritIO().start().waitFor()).isZero();
  }

  private static SubmitRequest request(String command) {
    return SubmitRequest.fromJson(new JsonObject().put("command", command));
  }
}
