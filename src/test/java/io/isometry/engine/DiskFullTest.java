package io.isometry.engine;

import static io.isometry.testing.EngineRest.TERMINAL_STATES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isometry.testing.EngineProcess;
import io.isometry.testing.EngineRest;
import io.isometry.testing.SmallDisk;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal on a real full disk: the data dir is an 8 MiB tmpfs mounted by the test (as root; the
 * test is skipped, saying why, otherwise), filled while a command runs and one waits. Requests
 * answered 503 never run; the running one goes on; {@code /health} says degraded with the reason
 * and the queue holds; once space returns everything is written without a restart, {@code /health}
 * is up again, the waiting command runs once, refusals reach the audit trail again, and after a
 * restart nothing runs twice and nothing finished is lost.
 */
@Timeout(180)
class DiskFullTest {

  private static final String TOKEN = "disk-full-token-0123456789abcdef";

  @TempDir
  Path root;
  private Path data;
  private SmallDisk disk;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    data = root.resolve("data");
    try {
      disk = SmallDisk.mount(data, 8);
    } catch (SmallDisk.Unavailable why) {
      assumeTrue(false, why.getMessage());
    }
  }

  @AfterEach
  void unmount() throws Exception {
    if (disk != null) {
      disk.close();
    }
  }

  @Test
  void aFullDiskNeverRunsAnythingTwiceAndTheJournalCatchesUpWhenSpaceReturns() throws Exception {
    Map<String, String> environment = environment();
    Path workspace = root.resolve("workspace/alice");
    String running;
    String waiting;
    try (EngineProcess engine = EngineProcess.start(environment)) {
      int port = engine.port();
      running = rest(port).submit("sleep 4").getString("id");
      waiting = rest(port).submit("touch waited").getString("id");
      rest(port).awaitState(running, Set.of("running"));

      disk.fill();
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> answer = rest(port).post("touch refused" + i);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        assertThat(new JsonObject(answer.body()).getString("error")).isEqualTo("unavailable");
      }
      HttpResponse<String> health = awaitHealth(port, 503);
      assertThat(new JsonObject(health.body()).getString("status")).isEqualTo("degraded");
      assertThat(new JsonObject(health.body()).getString("reason")).contains("the journal cannot write");
      assertThat(rest(port).get("/api/v1/processes/" + waiting).getString("state")).as("the queue holds").isEqualTo("queued");
      assertThat(rest(port).awaitState(running, TERMINAL_STATES).getString("state")).as("running processes go on").isEqualTo("succeeded");

      disk.free();
      awaitHealth(port, 200);
      assertThat(rest(port).awaitState(waiting, TERMINAL_STATES).getString("state")).isEqualTo("succeeded");
      HttpResponse<String> rejected = rest(port).post("rm -rf /");
      assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(403);
      assertThat(awaitRejections(port)).as("the audit trail writes again").isOne();
      assertThat(engine.stop()).isIn(0, 143);
      assertThat(engine.log()).doesNotContain("statement is not executing");
    }

    try (EngineProcess engine = EngineProcess.start(environment)) {
      int port = engine.port();
      assertThat(rest(port).get("/api/v1/processes/" + running).getString("state")).isEqualTo("succeeded");
      assertThat(rest(port).get("/api/v1/processes/" + waiting).getString("state")).isEqualTo("succeeded");
      Thread.sleep(1000);
      assertThat(rest(port).get("/api/v1/processes?state=running").getJsonArray("items")).as("nothing runs again").isEmpty();
      assertThat(rest(port).get("/api/v1/processes?state=queued").getJsonArray("items")).isEmpty();
      try (Stream<Path> files = Files.list(workspace)) {
        assertThat(files.map(path -> path.getFileName().toString()))
            .as("the waiting command ran once; none answered 503 ran").containsExactly("waited");
      }
      assertThat(engine.stop()).isIn(0, 143);
    }
  }

  private Map<String, String> environment() throws Exception {
    Map<String, String> environment = EngineProcess.environment(root, data, new JsonArray()
        .add(new JsonObject().put("token", TOKEN).put("principal", "alice").put("role", "operator")));
    environment.put("ISOMETRY_SUPERVISOR_MAXCONCURRENT", "1");
    return environment;
  }

  private HttpResponse<String> awaitHealth(int port, int status) throws Exception {
    HttpResponse<String> response = null;
    for (int i = 0; i < 200; i++) {
      response = rest(port).send(rest(port).request("/health").GET());
      if (response.statusCode() == status) {
        return response;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("/health never answered " + status + "; last " + response.statusCode() + " " + response.body());
  }

  private int awaitRejections(int port) throws Exception {
    int count = 0;
    for (int i = 0; i < 100 && count == 0; i++) {
      count = rest(port).get("/api/v1/rejections").getJsonArray("items").size();
      Thread.sleep(50);
    }
    return count;
  }

  private static EngineRest rest(int port) {
    return new EngineRest(port, TOKEN);
  }
}
