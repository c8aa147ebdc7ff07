package io.isometry.engine;

import static io.isometry.testing.EngineRest.TERMINAL_STATES;
import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.testing.EngineProcess;
import io.isometry.testing.EngineRest;
import io.isometry.testing.ProcFs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine is killed with SIGKILL while one process runs and two wait, and started again on the
 * same data dir: the running one is recorded as lost and its tree is gone, the waiting ones run in
 * their order, and a record finished before the crash still answers, with its output, and is found in
 * the history. In the sandbox the tree dies with the engine; without it (the backstop), the next start
 * finds it by pid and start time, and by its cgroup, and kills it.
 */
@Timeout(120)
class CrashRecoveryTest {

  private static final String TOKEN = "crash-recovery-token-0123456789";

  @TempDir
  Path root;

  @Test
  void inTheSandboxNoChildOutlivesASigkilledEngine() throws Exception {
    Map<String, String> environment = environment("ISOMETRY_SANDBOX_MODE", "required");
    String running;
    long runningPid;
    try (EngineProcess engine = EngineProcess.start(environment)) {
      int port = engine.port();
      running = submit(port, "sleep 300");
      runningPid = rest(port).awaitState(running, Set.of("running")).getLong("pid");
      engine.kill();
    }
    for (int i = 0; i < 100 && ProcFs.alive(runningPid); i++) {
      Thread.sleep(20);
    }
    assertThat(ProcFs.alive(runningPid)).as("the sandbox dies with the engine").isFalse();

    try (EngineProcess engine = EngineProcess.start(environment)) {
      JsonObject lost = rest(engine.port()).awaitState(running, TERMINAL_STATES);
      assertThat(lost.getString("state")).isEqualTo("lost");
      assertThat(lost.getString("reason")).isEqualTo("engine_restart");
      engine.stop();
    }
  }

  @Test
  void aRestartAfterSigkillLosesTheRunningRunsTheQueuedAndKeepsTheFinished() throws Exception {
    Map<String, String> environment = new HashMap<>(environment("ISOMETRY_SUPERVISOR_MAXCONCURRENT", "1"));
    environment.put("ISOMETRY_SANDBOX_MODE", "off");
    String finished;
    String running;
    String first;
    String second;
    long runningPid;
    try (EngineProcess engine = EngineProcess.start(environment)) {
      int port = engine.port();
      finished = submit(port, "echo before the crash");
      rest(port).awaitState(finished, TERMINAL_STATES);
      running = submit(port, "sleep 300");
      first = submit(port, "echo first");
      second = submit(port, "echo second");
      JsonObject live = rest(port).awaitState(running, Set.of("running"));
      runningPid = live.getLong("pid");
      assertThat(rest(port).get("/api/v1/processes/" + first).getString("state")).isEqualTo("queued");

      engine.kill();
    }
    assertThat(ProcFs.alive(runningPid)).as("the engine's death alone does not end its children").isTrue();

    try (EngineProcess engine = EngineProcess.start(environment)) {
      int port = engine.port();

      JsonObject lost = rest(port).awaitState(running, TERMINAL_STATES);
      assertThat(lost.getString("state")).isEqualTo("lost");
      assertThat(lost.getString("reason")).isEqualTo("engine_restart");
      for (int i = 0; i < 100 && ProcFs.alive(runningPid); i++) {
        Thread.sleep(20);
      }
      assertThat(ProcFs.alive(runningPid)).as("the lost process's tree is killed").isFalse();
      JsonObject firstDone = rest(port).awaitState(first, TERMINAL_STATES);
      JsonObject secondDone = rest(port).awaitState(second, TERMINAL_STATES);
      assertThat(firstDone.getString("state")).isEqualTo("succeeded");
      assertThat(secondDone.getString("state")).isEqualTo("succeeded");
      assertThat(firstDone.getString("startedAt")).isLessThanOrEqualTo(secondDone.getString("startedAt"));
      assertThat(rest(port).text("/api/v1/processes/" + second + "/output")).isEqualTo("second\n");
      assertThat(rest(port).get("/api/v1/processes/" + finished).getString("state")).isEqualTo("succeeded");
      assertThat(rest(port).text("/api/v1/processes/" + finished + "/output")).isEqualTo("before the crash\n");
      JsonArray history = rest(port).get("/api/v1/history?q=crash").getJsonArray("items");
      assertThat(history.stream().map(item -> ((JsonObject) item).getString("id"))).containsExactly(finished);
      // A JVM ended by SIGTERM exits with 143 after its shutdown hooks ran; the hook logs when it failed.
      assertThat(engine.stop()).isIn(0, 143);
      assertThat(engine.log()).doesNotContain("did not stop cleanly");
    }
  }

  /**
   * SIGKILL after the journal holds the mark that a process starts and before it is let run (the test
   * hook holds every start for a while once its mark has committed): it never ran, and the next start
   * records it lost rather than run it; its client never had a 202. In the sandbox the start is
   * prepared while the mark is written: the sandbox is there, held before its command, when the engine
   * dies, and it goes without running it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"off", "required"})
  void aProcessKilledBetweenItsDispatchAndItsSpawnIsLostAndNeverRuns(String sandbox) throws Exception {
    Map<String, String> environment = environment("ISOMETRY_SANDBOX_MODE", sandbox);
    String marker = "ran-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    String id;
    CompletableFuture<HttpResponse<String>> answer;
    try (EngineProcess engine = EngineProcess.start(environment, List.of("-Disometry.test.pauseAfterDispatchMs=60000"))) {
      int port = engine.port();
      answer = HttpClient.newHttpClient().sendAsync(rest(port).request("/api/v1/processes")
              .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("command", "touch " + marker).encode())).build(),
          HttpResponse.BodyHandlers.ofString());
      id = engine.awaitLog(Pattern.compile("(p-\\S+) is dispatched")).group(1);
      if (sandbox.equals("required")) {
        assertThat(awaitProcessesNaming(marker, true)).as("the sandbox is set up and held while the mark is written")
            .isNotEmpty();
      }
      engine.kill();
    }
    assertThat(answer).failsWithin(Duration.ofSeconds(10));
    assertThat(awaitProcessesNaming(marker, false)).as("nothing of it outlives the engine").isEmpty();

    try (EngineProcess engine = EngineProcess.start(environment)) {
      int port = engine.port();
      JsonObject lost = rest(port).awaitState(id, TERMINAL_STATES);
      assertThat(lost.getString("state")).isEqualTo("lost");
      assertThat(lost.getString("reason")).isEqualTo("engine_restart");
      assertThat(lost.getValue("pid")).isNull();
      // Anything queued behind it would have run by the time this one has: it did not run.
      rest(port).awaitState(submit(port, "echo after"), TERMINAL_STATES);
      try (java.util.stream.Stream<Path> files = Files.walk(root.resolve("workspace"))) {
        assertThat(files.map(Path::getFileName).map(Path::toString)).doesNotContain(marker);
      }
      assertThat(engine.stop()).isIn(0, 143);
    }
  }

  /**
   * The pids of the processes whose command line names {@code marker}, once some are there
   * ({@code present}) or once none is left, waiting up to 5 s either way.
   */
  private static List<Long> awaitProcessesNaming(String marker, boolean present) throws Exception {
    List<Long> found = List.of();
    for (int i = 0; i < 250; i++) {
      try (java.util.stream.Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
        found = all.filter(process -> process.info().arguments().stream().flatMap(java.util.Arrays::stream)
            .anyMatch(argument -> argument.contains(marker))).map(ProcessHandle::pid).toList();
      }
      if (found.isEmpty() != present) {
        return found;
      }
      Thread.sleep(20);
    }
    return found;
  }

  @Test
  void aCleanStopRecordsItsRunningProcessesAsLostToTheShutdown() throws Exception {
    Map<String, String> environment = environment("ISOMETRY_SUPERVISOR_GRACEPERIODMS", "500");
    String running;
    long pid;
    try (EngineProcess engine = EngineProcess.start(environment)) {
      int port = engine.port();
      running = submit(port, "sleep 300");
      pid = rest(port).awaitState(running, Set.of("running")).getLong("pid");
      engine.stop();
    }
    assertThat(ProcFs.alive(pid)).as("a clean stop ends what the engine runs").isFalse();

    try (EngineProcess engine = EngineProcess.start(environment)) {
      JsonObject lost = rest(engine.port()).get("/api/v1/processes/" + running);
      // Recorded by the journal while the engine stopped, not found later by recovery.
      assertThat(lost.getString("state")).isEqualTo("lost");
      assertThat(lost.getString("reason")).isEqualTo("engine_shutdown");
      engine.stop();
    }
  }

  /** The engine's configuration for these tests, with one more setting. */
  private Map<String, String> environment(String name, String value) throws Exception {
    Map<String, String> environment = EngineProcess.environment(root, root.resolve("data"), new JsonArray()
        .add(new JsonObject().put("token", TOKEN).put("principal", "alice").put("role", "operator")));
    environment.put(name, value);
    return environment;
  }

  private String submit(int port, String command) throws Exception {
    return rest(port).submit(command).getString("id");
  }

  private static EngineRest rest(int port) {
    return new EngineRest(port, TOKEN);
  }
}
