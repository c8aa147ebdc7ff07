package io.isometry.engine;

import static io.isometry.testing.EngineRest.TERMINAL_STATES;
import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.testing.EngineProcess;
import io.isometry.testing.EngineRest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sandbox is set up and held while its run's journal mark is written. A mark that takes seconds (a
 * slow disk; here the test hook holds it 3 s) leaves a held sandbox older than the orphan sweep's
 * grace in a cgroup job that no record names yet: the sweep, running every 200 ms, must know it for a
 * start under way and leave it be, and the command then runs as any other.
 */
@Timeout(60)
class SlowMarkTest {

  private static final String TOKEN = "slow-mark-token-0123456789abcdef";

  @TempDir
  Path root;

  @Test
  void aSandboxHeldThroughASlowMarkIsNoOrphanAndRunsOnceTheMarkCommits() throws Exception {
    Map<String, String> environment = EngineProcess.environment(root, root.resolve("data"), new JsonArray()
        .add(new JsonObject().put("token", TOKEN).put("principal", "alice").put("role", "operator")));
    environment.put("ISOMETRY_SANDBOX_MODE", "required");
    environment.put("ISOMETRY_CLEANUP_INTERVALMS", "200");
    try (EngineProcess engine = EngineProcess.start(environment, List.of("-Disometry.test.pauseAfterDispatchMs=3000"))) {
      EngineRest rest = new EngineRest(engine.port(), TOKEN);
      String id = rest.submit("echo held through the mark").getString("id");

      JsonObject done = rest.awaitState(id, TERMINAL_STATES);

      assertThat(done.getString("state")).as("%s; log: %s", done, engine.log()).isEqualTo("succeeded");
      assertThat(rest.text("/api/v1/processes/" + id + "/output")).isEqualTo("held through the mark\n");
      assertThat(engine.log()).doesNotContainPattern("killed [1-9][0-9]* orphan");
      assertThat(engine.stop()).isIn(0, 143);
    }
  }
}
