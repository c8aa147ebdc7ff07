package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.isometry.config.ConfigLoader;
import io.isometry.config.EngineConfig;
import io.isometry.config.ConfigException;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Severity;
import io.isometry.contract.SubmitRequest;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityPolicyTest {

  private static final ServerEnvironment SERVER = new ServerEnvironment("/usr/bin:/bin", "/home/engine", "engine");

  @TempDir
  Path temp;
  private Path root;
  private SecurityPolicy policy;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(temp.resolve("ws"));
    Files.createDirectories(root.resolve("src"));
    Files.createDirectories(temp.resolve("outside"));
    Files.createSymbolicLink(root.resolve("escape"), temp.resolve("outside"));
    policy = policy(new JsonObject());
  }

  @Test
  void aTimeoutOverTheServerBoundIsAnInvalidRequestNamingTheBound() {
    SecurityPolicy bounded = policy(new JsonObject().put("limits", new JsonObject().put("maxTimeoutMs", 60_000))
        .put("supervisor", new JsonObject().put("defaultTimeoutMs", 30_000)));

    assertThat(bounded.validate(request(new JsonObject().put("command", "ls").put("timeoutMs", 60_000))).allowed())
        .isTrue();
    assertThatThrownBy(() -> bounded.validate(request(new JsonObject().put("command", "ls").put("timeoutMs", 60_001))))
        .isInstanceOfSatisfying(EngineError.class, error -> {
          assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
          assertThat(error.getMessage()).contains("60000").contains("limits.maxTimeoutMs");
        });
    assertThatThrownBy(() -> policy.validate(request(new JsonObject().put("command", "ls")
        .put("timeoutMs", 86_400_001L)))).isInstanceOf(EngineError.class).hasMessageContaining("86400000");
    assertThatThrownBy(() -> EngineConfig.from(ConfigLoader.withOverrides(new JsonObject()
        .put("limits", new JsonObject().put("maxTimeoutMs", 60_000)))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("supervisor.defaultTimeoutMs");
  }

  @Test
  void plansAnAllowedCommand() {
    ValidationResult result = policy.validate(request(new JsonObject().put("command", "ls -la 'my file'")));

    assertThat(result.allowed()).isTrue();
    assertThat(result.plan().argv()).containsExactly("/usr/bin/ls", "-la", "my file");
    assertThat(result.plan().cwd()).isEqualTo(".");
    assertThat(result.plan().env()).containsExactly(
        entry("PATH", "/usr/bin:/bin"), entry("HOME", "/home/engine"), entry("USER", "engine"));
  }

  @Test
  void takesArgvAsGiven() {
    ValidationResult result = policy.validate(request(new JsonObject()
        .put("argv", new JsonArray().add("echo").add("$(id); rm -rf /")).put("cwd", "src")));

    assertThat(result.allowed()).isTrue();
    assertThat(result.plan().argv()).containsExactly("/usr/bin/echo", "$(id); rm -rf /");
    assertThat(result.plan().cwd()).isEqualTo("src");
  }

  @Test
  void refusesControlCharactersInArgv() {
    ValidationResult result = policy.validate(request(new JsonObject()
        .put("argv", new JsonArray().add("echo").add("a\u0000b"))));

    assertThat(result.violations()).extracting(Violation::type).containsExactly(ViolationType.INVALID_REQUEST);
  }

  @Test
  void resolvesArgvZeroTheSameWayForBothForms() {
    assertThat(types(new JsonObject().put("argv", new JsonArray().add("/usr/bin/ls"))))
        .containsExactly(ViolationType.COMMAND_NOT_ALLOWED);
    assertThat(types(new JsonObject().put("command", "./ls")))
        .containsExactly(ViolationType.COMMAND_NOT_ALLOWED);
    Violation violation = policy.validate(request(new JsonObject().put("command", "sudo ls"))).violations().get(0);
    assertThat(violation.severity()).isEqualTo(Severity.HIGH);
    assertThat(violation.detail()).isEqualTo(new JsonObject().put("command", "sudo"));
  }

  @Test
  void aClientPathNeverChangesWhatRuns() {
    ValidationResult result = policy.validate(request(new JsonObject().put("command", "ls")
        .put("env", new JsonObject().put("PATH", "/tmp/evil"))));

    assertThat(result.allowed()).isFalse();
    assertThat(result.violations()).singleElement().satisfies(violation -> {
      assertThat(violation.type()).isEqualTo(ViolationType.ENVIRONMENT_VIOLATION);
      assertThat(violation.severity()).isEqualTo(Severity.HIGH);
      assertThat(violation.detail()).isEqualTo(new JsonObject().put("name", "PATH"));
      assertThat(violation.toJson().encode()).doesNotContain("/tmp/evil");
    });
  }

  @Test
  void allowsOnlyVariablesWithTheExactPrefix() {
    for (String name : List.of("PATH ", " ISOMETRY_X", "isometry_x", "Isometry_X", "ISOMETRY_", "ISOMETRY_A=B",
        "ISOMETRY_X\u0000", "LD_PRELOAD", "")) {
      assertThat(types(new JsonObject().put("command", "ls").put("env", new JsonObject().put(name, "1"))))
          .as("name '%s'", name).containsExactly(ViolationType.ENVIRONMENT_VIOLATION);
    }
  }

  @Test
  void addsAllowedVariablesToTheServersEnvironment() {
    ValidationResult result = policy.validate(request(new JsonObject().put("command", "ls")
        .put("env", new JsonObject().put("ISOMETRY_MODE", "fast").put("ISOMETRY_TAB", "a\tb"))));

    assertThat(result.plan().env()).containsExactly(
        entry("PATH", "/usr/bin:/bin"), entry("HOME", "/home/engine"), entry("USER", "engine"),
        entry("ISOMETRY_MODE", "fast"), entry("ISOMETRY_TAB", "a\tb"));
  }

  @Test
  void refusesControlCharactersInValuesWithoutEchoingThem() {
    ValidationResult result = policy.validate(request(new JsonObject().put("command", "ls")
        .put("env", new JsonObject().put("ISOMETRY_X", "secret\u0000value"))));

    assertThat(result.violations()).singleElement().satisfies(violation -> {
      assertThat(violation.type()).isEqualTo(ViolationType.ENVIRONMENT_VIOLATION);
      assertThat(violation.detail()).isEqualTo(new JsonObject().put("name", "ISOMETRY_X"));
      assertThat(violation.toJson().encode()).doesNotContain("secret");
    });
  }

  @Test
  void neverLetsAPrefixReachTheVariablesTheServerSets() {
    SecurityPolicy loose = policy(new JsonObject().put("security", new JsonObject().put("envPrefix", "P")));

    assertThat(loose.validate(request(new JsonObject().put("command", "ls")
        .put("env", new JsonObject().put("PATH", "/tmp")))).violations())
        .extracting(Violation::type).containsExactly(ViolationType.ENVIRONMENT_VIOLATION);
    assertThat(loose.validate(request(new JsonObject().put("command", "ls")
        .put("env", new JsonObject().put("PX", "1")))).allowed()).isTrue();
  }

  @Test
  void judgesTheWorkingDirectory() {
    assertThat(cwdTypes("..")).containsExactly(ViolationType.PATH_TRAVERSAL);
    assertThat(cwdTypes("src/../../outside")).containsExactly(ViolationType.PATH_TRAVERSAL);
    assertThat(cwdTypes("/etc")).containsExactly(ViolationType.UNAUTHORIZED_FILE_ACCESS);
    assertThat(cwdTypes("escape")).containsExactly(ViolationType.UNAUTHORIZED_FILE_ACCESS);
    assertThat(cwdTypes("missing")).containsExactly(ViolationType.INVALID_REQUEST);
    assertThat(cwdTypes("src\u0007")).containsExactly(ViolationType.INVALID_REQUEST);
    assertThat(cwdTypes("src/.")).isEmpty();
    Violation violation = policy.validate(request(new JsonObject().put("command", "ls").put("cwd", "escape")))
        .violations().get(0);
    assertThat(violation.severity()).isEqualTo(Severity.HIGH);
    assertThat(violation.detail()).isEqualTo(new JsonObject().put("cwd", "escape"));
  }

  @Test
  void collectsEveryViolationOfARequest() {
    ValidationResult result = policy.validate(request(new JsonObject().put("command", "sudo cat /etc/shadow; id")
        .put("cwd", "..").put("env", new JsonObject().put("LD_PRELOAD", "/tmp/x.so"))));

    assertThat(result.violations()).extracting(Violation::type).containsExactly(
        ViolationType.COMMAND_INJECTION, ViolationType.COMMAND_NOT_ALLOWED, ViolationType.PRIVILEGE_ESCALATION,
        ViolationType.PATH_TRAVERSAL, ViolationType.UNAUTHORIZED_FILE_ACCESS, ViolationType.ENVIRONMENT_VIOLATION);
    assertThat(result.toJson().getValue("plan")).isNull();
    assertThat(result.toJson().getBoolean("allowed")).isFalse();
  }

  @Test
  void refusesACommandWithoutWords() {
    assertThat(types(new JsonObject().put("command", "\\\n"))).containsExactly(ViolationType.INVALID_REQUEST);
    assertThat(types(new JsonObject().put("command", ";"))).containsExactly(ViolationType.COMMAND_INJECTION);
  }

  @Test
  void runsRulesAddedToThePipeline() {
    Rule noRecursiveFlag = (input, violations) -> {
      if (input.argv().contains("-R")) {
        violations.add(new Violation(ViolationType.ARGUMENT_INJECTION, Severity.MEDIUM, "no -R", new JsonObject()));
      }
    };
    EngineConfig config = config(new JsonObject());
    SecurityPolicy extended = new SecurityPolicy(new CommandParser(1024, 64),
        new ExecutableResolver(List.of("ls"), SERVER.searchDirectories()), new Workspace(config.workspace()), SERVER,
        new ArgumentReader(SecurityRulesReader.load(List.of())), List.of(noRecursiveFlag), config.limits().maxTimeoutMs());

    assertThat(extended.validate(request(new JsonObject().put("command", "ls -R"))).violations())
        .extracting(Violation::type).containsExactly(ViolationType.ARGUMENT_INJECTION);
    assertThat(extended.validate(request(new JsonObject().put("command", "ls -l"))).allowed()).isTrue();
  }

  @Test
  void exposesTheResolvedAllowlist() {
    assertThat(policy.allowedCommands()).contains(entry("ls", "/usr/bin/ls"), entry("cat", "/usr/bin/cat"));
  }

  private List<ViolationType> types(JsonObject body) {
    return policy.validate(request(body)).violations().stream().map(Violation::type).toList();
  }

  private List<ViolationType> cwdTypes(String cwd) {
    return types(new JsonObject().put("command", "ls").put("cwd", cwd));
  }

  private SecurityPolicy policy(JsonObject overrides) {
    return SecurityPolicy.create(config(overrides), SERVER);
  }

  private EngineConfig config(JsonObject overrides) {
    return EngineConfig.from(ConfigLoader.withOverrides(overrides.copy().put("workspace", root.toString())));
  }

  private static SubmitRequest request(JsonObject body) {
    return SubmitRequest.fromJson(body);
  }
}
