package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.isometry.config.ConfigLoader;
import io.isometry.config.EngineConfig;
import io.isometry.contract.SubmitRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fixed-seed fuzz: 20,000 inputs of random characters and attack fragments, up to the size
 * limit. None may make the validator throw or hang; the typical one must take well under a
 * millisecond. The bounds are generous on purpose (a loaded build machine is slow); the
 * benchmark (scripts/bench-validation) measures the real figures.
 */
class ValidatorFuzzTest {

  private static final long SEED = 0x150_3E7A7L;
  private static final int INPUTS = 20_000;
  private static final String[] FRAGMENTS = {"ls ", "cat ", "find . ", "sed ", "awk ", "tar ", "git ", "env ",
      "python3 ", "grep ", "'", "\"", "\\", "$(", ")", "`", "${", ";", "|", "&&", ">", "<", "\n", "../", "/etc/passwd",
      "%2e%2e%2f", "\uff0e\uff0e", "~/", "@", "--to-comm=x ", "-exec id \\; ", "-cIsh ", "'s/x/y/e' ", "'BEGIN{system(1)}' ",
      "ext::sh ", "-c ", "u+s ", "\ud83d\ude00", "\ud800", "\u0000", "\u202e", "escape/x "};

  @TempDir
  Path temp;
  private SecurityPolicy policy;

  @BeforeEach
  void setUp() throws IOException {
    Path root = Files.createDirectories(temp.resolve("ws"));
    Files.createSymbolicLink(root.resolve("escape"), temp);
    JsonArray allowed = ConfigLoader.defaults().getJsonObject("security").getJsonArray("allowedCommands");
    policy = SecurityPolicy.create(EngineConfig.from(ConfigLoader.withOverrides(new JsonObject()
            .put("workspace", root.toString()).put("security", new JsonObject().put("allowedCommands", allowed)))),
        new ServerEnvironment("/usr/bin:/bin", "/home/engine", "engine"));
  }

  @Test
  void noInputMakesTheValidatorThrowOrHang() {
    Random random = new Random(SEED);
    long[] nanos = new long[INPUTS];
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (int i = 0; i < INPUTS; i++) {
        String command = input(random, i);
        long start = System.nanoTime();
        ValidationResult result = policy.validate(SubmitRequest.fromJson(new JsonObject().put("command", command)));
        nanos[i] = System.nanoTime() - start;
        assertThat(result.allowed() || !result.violations().isEmpty()).as("a refusal says why: %s", command).isTrue();
      }
    });
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    long median = sorted[INPUTS / 2];
    assertThat(median).as("median validation time, ns").isLessThan(1_000_000L);
    assertThat(Arrays.stream(nanos).sum()).as("total validation time, ns").isLessThan(INPUTS * 2_000_000L);
  }

  @Test
  void theLongestHostileInputIsRefusedQuickly() {
    String hostile = "cat " + "../".repeat(1000) + "etc/passwd; " + "$(id) ".repeat(900);
    String words = "ls " + "a ".repeat(2000);
    List<String> inputs = List.of(hostile.substring(0, 8000), words, ";".repeat(8192), "'".repeat(8191));
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      for (String input : inputs) {
        ValidationResult result = policy.validate(SubmitRequest.fromJson(new JsonObject().put("command", input)));
        assertThat(result.allowed()).isFalse();
      }
    });
  }

  private static String input(Random random, int i) {
    StringBuilder text = new StringBuilder();
    int length = i % 100 == 0 ? 4000 : random.nextInt(200);
    while (text.length() < length) {
      if (random.nextBoolean()) {
        text.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
      } else {
        text.append((char) (random.nextInt(4) == 0 ? random.nextInt(0x10000) : 0x20 + random.nextInt(0x5f)));
      }
    }
    String command = text.toString();
    return command.isBlank() ? "x" : command;
  }
}
