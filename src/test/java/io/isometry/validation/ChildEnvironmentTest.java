package io.isometry.validation;

import static io.isometry.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isometry.client.IsometryClient;
import io.isometry.client.ProcessSnapshot;
import io.isometry.client.Submission;
import io.isometry.client.Verdict;
import io.isometry.config.EngineConfig;
import io.isometry.contract.ProcessState;
import io.isometry.os.Identity;
import io.isometry.testing.EngineFixture;
import io.isometry.testing.EventLog;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The child's environment is built from scratch: a real engine runs a python script that prints
 * the environment it was started with, and nothing of the engine's own (JAVA_HOME, MAVEN_*, ...)
 * is there, only PATH (the configured search path), HOME, USER (LOGNAME, for another user) and
 * the variables the request passed.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class ChildEnvironmentTest {

  /** Prints /proc/self/environ: the environment as execve passed it, before the interpreter touches it. */
  private static final String PRINT_ENVIRONMENT = """
      import sys
      with open('/proc/self/environ', 'rb') as f:
          for entry in f.read().split(b'\\0'):
              if entry:
                  sys.stdout.write(entry.decode('utf-8', 'replace') + '\\n')
      """;

  @TempDir
  Path root;

  @Test
  void aChildSeesOnlyTheServersPathHomeUserAndTheRequestedVariables(Vertx vertx) throws Exception {
    // The interpreter itself, not a wrapper (pyenv's shim adds variables of its own on the way), and
    // one the sandbox has (it binds the system's directories, not /root where pyenv lives).
    String python = "/usr/bin/python3";
    assumeTrue(Files.isExecutable(Path.of(python)), "needs Debian's /usr/bin/python3");
    JsonObject config = EngineFixture.config(root, new JsonObject().put("security", new JsonObject()
        .put("allowedCommands", new JsonArray().add(python))));
    String script = EngineFixture.script(config, "alice", "printenv.py", PRINT_ENVIRONMENT);
    result(EngineFixture.deploy(vertx, config));
    IsometryClient client = IsometryClient.trusted(vertx, "alice");
    EventLog events = result(EventLog.attach(client));

    ProcessSnapshot submitted = result(client.submit(Submission.argv(List.of(python, script))
        .env(Map.of("ISOMETRY_MODE", "test", "ISOMETRY_EMPTY", ""))));
    ProcessSnapshot done = events.awaitTerminal(submitted.id(), 20_000);

    assertThat(done.state()).isEqualTo(ProcessState.SUCCEEDED);
    Map<String, String> env = parse(events.text(submitted.id(), "stdout"));
    // PWD: the sandbox says where it placed the child (its own workspace), as a shell would.
    assertThat(env).containsOnlyKeys("PATH", "HOME", "USER", "PWD", "ISOMETRY_MODE", "ISOMETRY_EMPTY");
    assertThat(env.get("PWD")).isEqualTo(EngineFixture.workspace(config, "alice").toString());
    assertThat(env).containsEntry("ISOMETRY_MODE", "test").containsEntry("ISOMETRY_EMPTY", "");
    assertThat(env.get("PATH")).isEqualTo(EngineConfig.from(config).security().searchPath());
    for (String own : System.getenv().keySet()) {
      if (!ServerEnvironment.NAMES.contains(own) && !own.equals("PWD")) {
        assertThat(env).as("the engine's own %s", own).doesNotContainKey(own);
      }
    }
  }

  @Test
  void aChildRunAsAnotherUserHasThatUsersHomeAndNamesAndTheConfiguredSearchPath(Vertx vertx) throws Exception {
    assumeTrue(Identity.engineIsRoot(), "children run as another user only when the engine is root");
    Path systemPython = Path.of("/usr/bin/python3");
    assumeTrue(Files.isExecutable(systemPython), "needs Debian's /usr/bin/python3 (nobody cannot run pyenv's)");
    Identity nobody = Identity.lookup("nobody");
    // A search path no shell has, so it cannot be the engine's own PATH: its first directory holds
    // the python3 that must be found, before the one on the engine's PATH.
    Path bin = Files.createDirectories(root.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("python3"), systemPython);
    String searchPath = bin + ":/usr/bin:/bin";
    JsonObject config = EngineFixture.config(root, new JsonObject().put("runAs", "nobody")
        .put("security", new JsonObject().put("searchPath", searchPath)));
    String script = EngineFixture.script(config, "alice", "printenv.py", PRINT_ENVIRONMENT);
    result(EngineFixture.deploy(vertx, config));
    IsometryClient client = IsometryClient.trusted(vertx, "alice");
    EventLog events = result(EventLog.attach(client));
    Submission submission = Submission.argv(List.of("python3", script)).env(Map.of("ISOMETRY_MODE", "test"));

    Verdict verdict = result(client.validate(submission));
    ProcessSnapshot submitted = result(client.submit(submission));
    ProcessSnapshot done = events.awaitTerminal(submitted.id(), 20_000);

    assertThat(System.getenv("PATH")).isNotEqualTo(searchPath);
    assertThat(verdict.plan().getJsonArray("argv").getString(0)).isEqualTo(bin.resolve("python3").toString());
    assertThat(verdict.plan().getJsonObject("env").getMap()).containsOnly(entry("PATH", searchPath),
        entry("HOME", nobody.home()), entry("USER", "nobody"), entry("LOGNAME", "nobody"), entry("ISOMETRY_MODE", "test"));
    assertThat(done.state()).as(events.text(submitted.id(), "stderr")).isEqualTo(ProcessState.SUCCEEDED);
    assertThat(parse(events.text(submitted.id(), "stdout"))).containsOnly(entry("PATH", searchPath),
        entry("HOME", nobody.home()), entry("USER", "nobody"), entry("LOGNAME", "nobody"), entry("ISOMETRY_MODE", "test"),
        entry("PWD", EngineFixture.workspace(config, "alice").toString()));
  }

  private static Map<String, String> parse(String output) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : output.split("\n")) {
      if (!line.isEmpty()) {
        int equals = line.indexOf('=');
        env.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return env;
  }
}
