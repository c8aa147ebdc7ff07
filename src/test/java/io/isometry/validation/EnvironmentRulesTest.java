package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.config.ConfigLoader;
import io.isometry.config.EngineConfig;
import io.isometry.contract.Severity;
import io.isometry.contract.SubmitRequest;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The environment a request may pass: exact names, no dangerous ones, no secrets, never echoed. */
class EnvironmentRulesTest {

  private static final ServerEnvironment SERVER = new ServerEnvironment("/usr/bin:/bin", "/home/engine", "engine");

  @TempDir
  Path temp;
  private SecurityPolicy policy;

  @BeforeEach
  void setUp() throws IOException {
    Path root = Files.createDirectories(temp.resolve("ws"));
    policy = SecurityPolicy.create(EngineConfig.from(ConfigLoader.withOverrides(new JsonObject()
        .put("workspace", root.toString()))), SERVER);
  }

  @ParameterizedTest
  @ValueSource(strings = {"LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "BASH_ENV", "ENV", "IFS", "PYTHONSTARTUP",
      "PYTHONPATH", "PYTHONWARNINGS", "PERL5OPT", "NODE_OPTIONS", "JAVA_TOOL_OPTIONS", "GIT_CONFIG_GLOBAL",
      "GIT_EXEC_PATH", "GIT_SSH_COMMAND", "GIT_PAGER", "EDITOR", "PAGER", "BROWSER", "XDG_CONFIG_HOME", "TAR_OPTIONS",
      "GLIBC_TUNABLES", "BASH_FUNC_ls%%", "DYLD_INSERT_LIBRARIES", "LESSOPEN", "GCONV_PATH"})
  void dangerousNamesAreCritical(String name) {
    Violation violation = only(new JsonObject().put(name, "x"));

    assertThat(violation.type()).isEqualTo(ViolationType.ENVIRONMENT_VIOLATION);
    assertThat(violation.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(violation.detail()).isEqualTo(new JsonObject().put("name", name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PATH", "HOME", "USER", "LOGNAME", "PATH ", "ISOMETRY_", "isometry_x", "ISOMETRY-X", "ISOMETRY_X Y"})
  void namesThatAreNotExactlyAllowed(String name) {
    assertThat(only(new JsonObject().put(name, "x")).type()).isEqualTo(ViolationType.ENVIRONMENT_VIOLATION);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ISOMETRY_DB_PASSWORD", "ISOMETRY_PASSWD", "ISOMETRY_SECRET", "ISOMETRY_CLIENT_SECRET",
      "ISOMETRY_TOKEN", "ISOMETRY_GITHUB_TOKEN", "ISOMETRY_API_KEY", "ISOMETRY_APIKEY", "ISOMETRY_PRIVATE_KEY",
      "ISOMETRY_AWS_ACCESS_KEY_ID", "ISOMETRY_Api_Key"})
  void namesThatSaySecret(String name) {
    Violation violation = only(new JsonObject().put(name, "hunter2"));

    assertThat(violation.type()).isEqualTo(ViolationType.ENVIRONMENT_VIOLATION);
    assertThat(violation.toJson().encode()).doesNotContain("hunter2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"AKIAIOSFODNN7EXAMPLE", "prefix ASIAY34FZKBOKMUTVV7A suffix",
      "ghp_16C7e42F292c6912E7710c838347Ae178B4a", "gho_16C7e42F292c6912E7710c838347Ae178B4a",
      "ghs_16C7e42F292c6912E7710c838347Ae178B4a", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA", "-----BEGIN OPENSSH PRIVATE KEY-----",
      "-----BEGIN PRIVATE KEY-----", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "xoxb-123456789012-abcdefghij", "glpat-abcdefghij0123456789"})
  void valuesThatLookLikeSecretsAreRefusedAndNeverEchoed(String value) {
    Violation violation = only(new JsonObject().put("ISOMETRY_SETTING", value));

    assertThat(violation.type()).isEqualTo(ViolationType.ENVIRONMENT_VIOLATION);
    assertThat(violation.detail().getString("name")).isEqualTo("ISOMETRY_SETTING");
    assertThat(violation.detail().getString("secret")).isNotBlank();
    String reply = violation.toJson().encode();
    for (String part : value.split("[\\s.]")) {
      if (part.length() > 6) {
        assertThat(reply).doesNotContain(part);
      }
    }
  }

  @Test
  void aNameThatIsASecretIsNotEchoedEither() {
    Violation violation = only(new JsonObject().put("AKIAIOSFODNN7EXAMPLE", "x"));

    assertThat(violation.toJson().encode()).doesNotContain("AKIAIOSFODNN7EXAMPLE");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\u0000b", "line\nbreak", "\u001b[31m", "\ud800", "x\ufffd", "\u202eabc"})
  void valuesWithControlsOrBrokenTextAreRefused(String value) {
    Violation violation = only(new JsonObject().put("ISOMETRY_X", value));

    assertThat(violation.type()).isEqualTo(ViolationType.ENVIRONMENT_VIOLATION);
    assertThat(violation.detail()).isEqualTo(new JsonObject().put("name", "ISOMETRY_X"));
  }

  @Test
  void ordinaryValuesPass() {
    ValidationResult result = policy.validate(SubmitRequest.fromJson(new JsonObject().put("command", "ls")
        .put("env", new JsonObject().put("ISOMETRY_MODE", "fast").put("ISOMETRY_URL", "https://example.com/a?b=c")
            .put("ISOMETRY_TEXT", "h\u00e9llo \u65e5\u672c").put("ISOMETRY_TAB", "a\tb"))));

    assertThat(result.allowed()).isTrue();
  }

  @Test
  void anAllowedVariableThatAnOptionTurnsIntoConfigurationIsAnInjection() {
    ValidationResult result = policy.validate(SubmitRequest.fromJson(new JsonObject()
        .put("command", "git --config-env=core.pager=ISOMETRY_PAGER log")
        .put("env", new JsonObject().put("ISOMETRY_PAGER", "sh -c id"))));

    assertThat(result.violations()).singleElement().satisfies(violation -> {
      assertThat(violation.type()).isEqualTo(ViolationType.ARGUMENT_INJECTION);
      assertThat(violation.detail().getString("variable")).isEqualTo("ISOMETRY_PAGER");
      assertThat(violation.toJson().encode()).doesNotContain("sh -c id");
    });
  }

  private Violation only(JsonObject env) {
    List<Violation> violations = policy.validate(SubmitRequest.fromJson(new JsonObject().put("command", "ls")
        .put("env", env))).violations();
    assertThat(violations).hasSize(1);
    return violations.get(0);
  }

  /** Credentials inside values: never passed, and never echoed in the answer. */
  @ParameterizedTest
  @ValueSource(strings = {"postgres://admin:hunter2@db.internal:5432/app", "https://user:pa55word@example.com/x",
      "redis://:s3cretpass@cache:6379", "mongodb+srv://u:p@cluster0.example.net", "HTTPS://USER:PASS@EXAMPLE.COM",
      "ftp://anon:x@ftp.example.org", "Basic dXNlcjpwYXNzd29yZA==", "Bearer abcdefghij0123456789.xyz",
      "bearer  sk-abcdef0123456789", "Authorization: token abcdef", "authorization:Basic Zm9vOmJhcg==",
      "-H 'Proxy-Authorization: Basic Zm9vOmJhcg=='", "Basic dXNlcjpwYXNz", "Negotiate YIIGhgYGKwYBBQUC",
      "password=hunter2", "db_password = hunter2", "PASSWD=x", "secret: shh", "client_secret=abc", "token=abc",
      "api_key=abc123", "API-KEY: abc", "{\"password\": \"hunter2\"}", "host=db;Pwd=hunter2;", "access_token=ya29.x",
      "user=bob passphrase=correct-horse"})
  void credentialsInValuesAreRefusedWithoutBeingRepeated(String value) {
    ValidationResult result = policy.validate(SubmitRequest.fromJson(new JsonObject().put("command", "ls")
        .put("env", new JsonObject().put("ISOMETRY_SETTING", value))));

    assertThat(result.violations()).as(value).singleElement().satisfies(violation -> {
      assertThat(violation.type()).isEqualTo(ViolationType.ENVIRONMENT_VIOLATION);
      assertThat(violation.detail().getString("name")).isEqualTo("ISOMETRY_SETTING");
      assertThat(violation.detail().getString("secret")).isNotBlank();
      assertThat(violation.toJson().encode()).doesNotContain(value).doesNotContain("hunter2");
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"() { :; }; /bin/id", "() {:;}; id", "x() { id; }", "(  )   { :; }", "a; f () { id; }"})
  void shellFunctionDefinitionsAreRefused(String value) {
    ValidationResult result = policy.validate(SubmitRequest.fromJson(new JsonObject().put("command", "ls")
        .put("env", new JsonObject().put("ISOMETRY_F", value))));

    assertThat(result.violations()).singleElement().satisfies(violation -> {
      assertThat(violation.type()).isEqualTo(ViolationType.ENVIRONMENT_VIOLATION);
      assertThat(violation.severity()).isEqualTo(Severity.CRITICAL);
      assertThat(violation.toJson().encode()).doesNotContain(value);
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://example.com/a?b=c", "ssh://git@github.com/x/y.git", "git@github.com:x/y.git",
      "http://localhost:8080/path", "https://example.com/@user", "mailto:alice@example.com", "basic", "Basic settings",
      "Use a bearer token from the file", "tokens per second", "password-reset-page", "the secret garden",
      "f(x) = 2x", "if (x) {", "key=value", "TOKENIZER=bert", "a=1;b=2"})
  void ordinaryValuesThatLookAlikePass(String value) {
    ValidationResult result = policy.validate(SubmitRequest.fromJson(new JsonObject().put("command", "ls")
        .put("env", new JsonObject().put("ISOMETRY_SETTING", value))));

    assertThat(result.violations()).as(value).isEmpty();
  }
}
