package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.config.ConfigLoader;
import io.isometry.config.EngineConfig;
import io.isometry.contract.SubmitRequest;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Properties of the policy (jqwik): commands built from safe words are allowed, wherever their
 * words are quoted; an unquoted operator inserted anywhere is refused as command injection; and
 * no input, however malformed, makes the validator throw.
 */
class PolicyPropertiesTest {

  /**
   * Programs that read any safe word as data or as a file inside the workspace (not the sums:
   * their -c reads a list of names from a file, which must exist to be judged).
   */
  private static final List<String> PROGRAMS = List.of("echo", "ls", "cat", "wc", "head", "tail", "printf", "du",
      "stat", "cut", "uniq", "diff", "touch", "mkdir");
  private static final List<String> FLAGS = List.of("-l", "-a", "-1", "-h", "-v", "-s", "-c");
  private static final String SAFE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_,:=+";
  /** Inside single quotes the shell's characters are data too (not backslashes: they read as separators). */
  private static final String QUOTABLE = SAFE + " ;&|<>()$`*?[]{}!#\"";
  private static final List<String> OPERATORS = List.of(";", "&", "&&", "||", "|", ">", ">>", "<", "<<", "(", ")",
      "\n", "$(", "`", "${", "$X", "\uff1b", "\uff5c", "\uff06", "\uff04(");

  private static Path temp;
  private static SecurityPolicy policy;

  @BeforeContainer
  static void setUp() throws IOException {
    temp = Files.createTempDirectory("isometry-properties");
    Path root = Files.createDirectories(temp.resolve("ws"));
    Files.createSymbolicLink(temp.resolve("ws/escape"), temp);
    JsonArray allowed = new JsonArray(new ArrayList<>(PROGRAMS)).add("find").add("sed").add("awk").add("tar")
        .add("git").add("python3").add("grep").add("sort").add("env").add("chmod");
    policy = SecurityPolicy.create(EngineConfig.from(ConfigLoader.withOverrides(new JsonObject()
            .put("workspace", root.toString()).put("security", new JsonObject().put("allowedCommands", allowed)))),
        new ServerEnvironment("/usr/bin:/bin", "/home/engine", "engine"));
  }

  @AfterContainer
  static void tearDown() throws IOException {
    try (Stream<Path> paths = Files.walk(temp)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  @Property(tries = 500)
  void commandsOfSafeWordsAreAllowed(@ForAll("safeCommands") String command) {
    ValidationResult result = validate(command);

    assertThat(result.violations()).as(command).isEmpty();
  }

  @Property(tries = 500)
  void anUnquotedOperatorInsertedAnywhereIsRefused(@ForAll("safeCommands") String command,
                                                   @ForAll("operators") String operator,
                                                   @ForAll("fractions") double where) {
    List<Integer> unquoted = unquotedPositions(command);
    int at = unquoted.get((int) (where * unquoted.size()));
    String attacked = command.substring(0, at) + operator + command.substring(at);

    assertThat(validate(attacked).violations()).as(attacked).extracting(Violation::type)
        .contains(ViolationType.COMMAND_INJECTION);
  }

  @Property(tries = 2000)
  void noCommandMakesTheValidatorThrow(@ForAll @StringLength(max = 300) String command) {
    if (!command.isBlank()) {
      assertThat(validate(command)).isNotNull();
    }
  }

  @Property(tries = 1000)
  void noHostileMixtureMakesTheValidatorThrow(@ForAll("hostile") String command) {
    if (!command.isBlank()) {
      assertThat(validate(command)).isNotNull();
    }
  }

  @Property(tries = 1000)
  void noArgvOrEnvironmentMakesTheValidatorThrow(@ForAll @Size(min = 1, max = 12) List<@StringLength(max = 40) String> argv,
                                                 @ForAll @StringLength(max = 30) String name,
                                                 @ForAll @StringLength(max = 60) String value) {
    JsonObject body = new JsonObject().put("argv", new JsonArray(new ArrayList<>(argv)))
        .put("env", new JsonObject().put(name, value));
    assertThat(policy.validate(SubmitRequest.fromJson(body))).isNotNull();
  }

  @Provide
  Arbitrary<String> safeCommands() {
    Arbitrary<String> plain = Arbitraries.strings().withChars(SAFE).ofMinLength(1).ofMaxLength(12);
    Arbitrary<String> quoted = Arbitraries.strings().withChars(QUOTABLE).ofMaxLength(12).map(word -> "'" + word + "'");
    Arbitrary<String> doubleQuoted = Arbitraries.strings().withChars(SAFE + " ;&|<>()").ofMaxLength(12)
        .map(word -> "\"" + word + "\"");
    Arbitrary<String> word = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, plain), net.jqwik.api.Tuple.of(2, quoted), net.jqwik.api.Tuple.of(1, doubleQuoted));
    return Combinators.combine(Arbitraries.of(PROGRAMS), Arbitraries.of(FLAGS).list().ofMaxSize(2),
            word.list().ofMaxSize(6))
        .as((program, flags, words) -> {
          List<String> all = new ArrayList<>();
          all.add(program);
          all.addAll(flags);
          all.addAll(words);
          return String.join(" ", all);
        });
  }

  @Provide
  Arbitrary<String> operators() {
    return Arbitraries.of(OPERATORS);
  }

  @Provide
  Arbitrary<Double> fractions() {
    return Arbitraries.doubles().between(0, 0.999_999).ofScale(6);
  }

  /** Fragments attackers use, glued together at random. */
  @Provide
  Arbitrary<String> hostile() {
    Arbitrary<String> fragment = Arbitraries.of("ls", "cat", "find", "sed", "awk", "tar", "git", "env", "chmod",
        "python3", " ", "  ", "'", "\"", "\\", "$(", ")", "`", "${", "}", ";", "|", "&", ">", "<", "\n", "\u0000",
        "../", "..", "/etc/passwd", "%2e%2e%2f", "%c0%ae", "\uff0e\uff0e\uff0f", "~", "@", "-", "--", "--to-comm=",
        "-exec", "-cIsh", "s/x/y/e", "system(", "| getline", "ext::", "-c", "u+s", "4755", "\ud800", "\ufffd",
        "\u202e", "=", "-e", "-f", "{}", "\\;", "+", "$IFS", "\uff1b", "escape/", "a", "x.txt", "-W", "--");
    return fragment.list().ofMaxSize(40).map(parts -> String.join("", parts));
  }

  private static ValidationResult validate(String command) {
    return policy.validate(SubmitRequest.fromJson(new JsonObject().put("command", command)));
  }

  /** Positions outside quotes (0..length), where sh would read an operator as one. */
  private static List<Integer> unquotedPositions(String command) {
    List<Integer> positions = new ArrayList<>();
    char quote = 0;
    for (int i = 0; i <= command.length(); i++) {
      if (quote == 0) {
        positions.add(i);
      }
      if (i < command.length()) {
        char c = command.charAt(i);
        if (quote == 0 && (c == '\'' || c == '"')) {
          quote = c;
        } else if (quote == c) {
          quote = 0;
        }
      }
    }
    return positions;
  }
}
