package io.isometry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.isometry.contract.Addresses;
import io.isometry.console.Browser;
import io.isometry.http.FeedSocket;
import io.isometry.testing.EngineFixture;
import io.isometry.testing.EngineRest;
import io.isometry.testing.ProcFs;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Three clustered engines in this JVM, one set-up for all: a request made on node a acts on node b,
 * the views of a show b, b's output reaches a's feed, ownership holds across nodes, a's console
 * shows each process's node and filters by it, and when b is
 * lost (its Hazelcast member terminated, as a crash looks to the others) a reports its live
 * processes {@code lost}/{@code node_lost}, once, decided by one survivor.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {

  private ClusterRig.Node a;
  private ClusterRig.Node b;
  private ClusterRig.Node c;
  private EngineRest adminA;
  private EngineRest adminB;
  private final List<JsonObject> lostSeenOnA = new CopyOnWriteArrayList<>();
  private final List<JsonObject> lostSeenOnC = new CopyOnWriteArrayList<>();

  @BeforeAll
  void startCluster(@TempDir Path dir) throws Exception {
    ClusterRig rig = new ClusterRig(3);
    a = rig.start(dir.resolve("a"), "a", 0);
    b = rig.start(dir.resolve("b"), "b", 1);
    c = rig.start(dir.resolve("c"), "c", 2);
    adminA = new EngineRest(a.port(), ClusterRig.ADMIN);
    adminB = new EngineRest(b.port(), ClusterRig.ADMIN);
    a.vertx().eventBus().<JsonObject>consumer(Addresses.EVENT_PROCESS, message -> keepLost(message.body(), lostSeenOnA));
    c.vertx().eventBus().<JsonObject>consumer(Addresses.EVENT_PROCESS, message -> keepLost(message.body(), lostSeenOnC));
  }

  @AfterAll
  void stopCluster() throws Exception {
    for (ClusterRig.Node node : new ClusterRig.Node[] {c, b, a}) {
      if (node != null) {
        node.vertx().close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @Order(1)
  void theClusterListsEveryNodeWithItsLoad() throws Exception {
    JsonObject cluster = adminA.get("/api/v1/cluster");
    assertThat(cluster.getJsonArray("nodes").stream().map(node -> ((JsonObject) node).getString("node")))
        .containsExactly("a", "b", "c");
    JsonObject first = cluster.getJsonArray("nodes").getJsonObject(0);
    assertThat(first.getBoolean("local")).isTrue();
    assertThat(first.getJsonObject("load").getInteger("maxConcurrent")).isEqualTo(3);
    assertThat(first.getJsonObject("capabilities").getString("node")).isEqualTo("a");
    assertThat(cluster.getJsonArray("unreachable")).isEmpty();
  }

  @Test
  @Order(2)
  void submittedOnARunsOnBAndIsControlledFromA() throws Exception {
    // A heartbeat in b's workspace: a frozen tree (cgroup freezer or SIGSTOP) stops writing it.
    EngineFixture.script(b.config(), "admin", "beat.py", """
        import time
        n = 0
        while True:
            n += 1
            with open('beat', 'w') as f:
                f.write(str(n))
            time.sleep(0.02)
        """);
    Path beat = EngineFixture.workspace(b.config(), "admin").resolve("beat");
    JsonObject record = submit(adminA, new JsonObject().put("command", "python3 beat.py").put("node", "b"));
    String id = record.getString("id");
    try {
      assertThat(record.getString("node")).isEqualTo("b");
      assertThat(id).endsWith("-b");
      long pid = adminA.awaitState(id, Set.of("running")).getLong("pid");
      assertThat(ProcFs.alive(pid)).isTrue();
      awaitBeating(beat);

      assertThat(control(adminA, id, "suspend").getString("state")).isEqualTo("suspended");
      Thread.sleep(300);
      String frozen = Files.readString(beat);
      Thread.sleep(500);
      assertThat(Files.readString(beat)).as("no beat while suspended").isEqualTo(frozen);
      assertThat(control(adminA, id, "resume").getString("state")).isEqualTo("running");
      awaitBeating(beat);

      JsonObject listed = adminA.get("/api/v1/processes?state=running");
      assertThat(ids(listed)).contains(id);
      assertThat(listed.getJsonArray("unreachable")).isEmpty();
      JsonObject stats = adminA.get("/api/v1/stats");
      assertThat(stats.getJsonArray("nodes").stream().map(node -> ((JsonObject) node).getString("node")))
          .containsExactlyInAnyOrder("a", "b", "c");
      JsonObject statsOfB = stats.getJsonArray("nodes").stream().map(JsonObject.class::cast)
          .filter(node -> node.getString("node").equals("b")).findFirst().orElseThrow();
      assertThat(statsOfB.getInteger("running")).isGreaterThanOrEqualTo(1);
      assertThat(stats.getInteger("running")).isGreaterThanOrEqualTo(statsOfB.getInteger("running"));

      control(adminA, id, "cancel");
      JsonObject cancelled = adminA.awaitState(id, Set.of("cancelled"));
      assertThat(cancelled.getString("reason")).isEqualTo("cancelled");
      assertThat(ProcFs.alive(pid)).isFalse();
      // The history of a merges b's journal.
      awaitHistoryHas(adminA, id);
    } finally {
      cancelQuietly(id);
    }
  }

  @Test
  @Order(3)
  void outputOfAProcessOnBReachesAFeedOnA() throws Exception {
    FeedSocket feed = FeedSocket.connect(a.vertx(), a.port(), ClusterRig.ADMIN);
    try {
      feed.send(new JsonObject().put("type", "run").put("command", "echo from-b").put("node", "b").put("requestId", 1));
      JsonObject ack = feed.await("the run's ack", frame -> "ack".equals(frame.getString("type")));
      String id = ack.getJsonObject("record").getString("id");
      assertThat(ack.getJsonObject("record").getString("node")).isEqualTo("b");
      JsonObject output = feed.await("b's output", frame -> "output".equals(frame.getString("type"))
          && id.equals(frame.getString("id")));
      assertThat(output.getString("data")).isEqualTo("from-b\n");
      feed.await("the end on b", frame -> "process".equals(frame.getString("type"))
          && id.equals(frame.getJsonObject("record").getString("id"))
          && "succeeded".equals(frame.getJsonObject("record").getString("state")));
    } finally {
      feed.close();
    }
  }

  @Test
  @Order(4)
  void anOperatorOnASeesNoneOfAnotherOwnersProcessesOnB() throws Exception {
    EngineRest bobOnB = new EngineRest(b.port(), ClusterRig.BOB);
    EngineRest aliceOnA = new EngineRest(a.port(), ClusterRig.ALICE);
    String id = submit(bobOnB, new JsonObject().put("command", "sleep 30").put("node", "b")).getString("id");
    try {
      assertThat(aliceOnA.send(aliceOnA.request("/api/v1/processes/" + id).GET()).statusCode()).isEqualTo(404);
      assertThat(aliceOnA.send(aliceOnA.request("/api/v1/processes/" + id + "/cancel")
          .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(404);
      assertThat(ids(aliceOnA.get("/api/v1/processes"))).doesNotContain(id);
      assertThat(ids(adminA.get("/api/v1/processes"))).contains(id);
    } finally {
      cancelQuietly(id);
    }
  }

  @Test
  @Order(5)
  void aSubmitWithoutANodeGoesToTheLeastLoadedNode() throws Exception {
    // a and c are idle; b holds two sleeps: the next submits never land on b.
    String first = submit(adminA, new JsonObject().put("command", "sleep 30").put("node", "b")).getString("id");
    String second = submit(adminA, new JsonObject().put("command", "sleep 30").put("node", "b")).getString("id");
    adminA.awaitState(second, Set.of("running"));
    try {
      JsonObject placed = submit(adminA, new JsonObject().put("command", "true"));
      assertThat(placed.getString("node")).isIn("a", "c");
      // A retry of a keyed submit made through another node finds the first: it runs once.
      EngineRest adminC = new EngineRest(c.port(), ClusterRig.ADMIN);
      String body = new JsonObject().put("command", "true").encode();
      String keyed = new JsonObject(adminA.send(adminA.request("/api/v1/processes").header("Idempotency-Key", "once-1")
          .POST(HttpRequest.BodyPublishers.ofString(body))).body()).getString("id");
      String retried = new JsonObject(adminC.send(adminC.request("/api/v1/processes").header("Idempotency-Key", "once-1")
          .POST(HttpRequest.BodyPublishers.ofString(body))).body()).getString("id");
      assertThat(retried).isEqualTo(keyed);
      HttpResponse<String> unknown = adminA.send(adminA.request("/api/v1/processes").POST(HttpRequest.BodyPublishers
          .ofString(new JsonObject().put("command", "true").put("node", "nowhere").encode())));
      assertThat(unknown.statusCode()).isEqualTo(400);
      assertThat(new JsonObject(unknown.body()).getString("error")).isEqualTo("invalid_request");
    } finally {
      cancelQuietly(first);
      cancelQuietly(second);
    }
  }

  @Test
  @Order(6)
  void theConsoleOnAShowsEachProcesssNodeAndFiltersByNode() throws Exception {
    assumeTrue(Browser.available(), "needs Debian's chromium and chromium-driver (scripts/test installs them)");
    String onA = submit(adminA, new JsonObject().put("command", "sleep 30").put("node", "a")).getString("id");
    String onB = submit(adminA, new JsonObject().put("command", "sleep 30").put("node", "b")).getString("id");
    try (Browser browser = Browser.start()) {
      ChromeDriver driver = browser.driver();
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
      driver.get("http://127.0.0.1:" + a.port() + "/?token=" + ClusterRig.ADMIN);
      wait.until(ExpectedConditions.elementToBeClickable(By.id("processes-button"))).click();
      By rowOfA = By.cssSelector(".process-row[data-id='" + onA + "'] .node");
      By rowOfB = By.cssSelector(".process-row[data-id='" + onB + "'] .node");
      wait.until(ExpectedConditions.textToBe(rowOfB, "b"));
      assertThat(driver.findElement(rowOfA).getText()).isEqualTo("a");
      WebElement filter = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("node-filter")));
      new Select(filter).selectByValue("b");
      wait.until(ExpectedConditions.invisibilityOfElementLocated(rowOfA));
      assertThat(driver.findElement(rowOfB).isDisplayed()).isTrue();
      assertThat(driver.findElements(By.cssSelector(".process-row .node")).stream().map(WebElement::getText))
          .containsOnly("b");
    } finally {
      cancelQuietly(onA);
      cancelQuietly(onB);
    }
  }

  @Test
  @Order(7)
  void whenBIsLostItsLiveProcessesAreReportedLostOnceByASurvivor() throws Exception {
    String id = submit(adminB, new JsonObject().put("command", "sleep 60").put("node", "b")).getString("id");
    adminA.awaitState(id, Set.of("running"));
    long lostAt = System.nanoTime();
    // As a crash looks to the others: b's member is gone at once, with no goodbye from its engine.
    ((HazelcastClusterManager) ((VertxInternal) b.vertx()).clusterManager()).getHazelcastInstance()
        .getLifecycleService().terminate();
    JsonObject lost = awaitLost(lostSeenOnA, id, 10_000);
    assertThat(lost.getString("state")).isEqualTo("lost");
    assertThat(lost.getString("reason")).isEqualTo("node_lost");
    assertThat(lost.getString("node")).isEqualTo("b");
    assertThat(lost.getString("endedAt")).isNotNull();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lostAt)).isLessThan(10_000);
    awaitLost(lostSeenOnC, id, 5_000);
    // Any second report (from another survivor) would have come within the same grace: none does.
    Thread.sleep(2000);
    assertThat(lostSeenOnA.stream().filter(record -> id.equals(record.getString("id")))).hasSize(1);
    assertThat(lostSeenOnC.stream().filter(record -> id.equals(record.getString("id")))).hasSize(1);
    JsonObject cluster = adminA.get("/api/v1/cluster");
    assertThat(cluster.getJsonArray("nodes").stream().map(node -> ((JsonObject) node).getString("node")))
        .containsExactly("a", "c");
    // While b is away, the cluster answers for the record it declared lost (to those who may see it).
    assertThat(adminA.awaitState(id, Set.of("lost")).getString("reason")).isEqualTo("node_lost");
    EngineRest aliceOnA = new EngineRest(a.port(), ClusterRig.ALICE);
    assertThat(aliceOnA.send(aliceOnA.request("/api/v1/processes/" + id).GET()).statusCode()).isEqualTo(404);
  }

  /** The heartbeat file changes within two seconds. */
  private static void awaitBeating(Path beat) throws Exception {
    String first = Files.exists(beat) ? Files.readString(beat) : "";
    for (int i = 0; i < 200; i++) {
      Thread.sleep(10);
      if (Files.exists(beat) && !Files.readString(beat).equals(first)) {
        return;
      }
    }
    throw new AssertionError("no heartbeat in " + beat);
  }

  private void cancelQuietly(String id) throws Exception {
    adminA.send(adminA.request("/api/v1/processes/" + id + "/cancel").POST(HttpRequest.BodyPublishers.noBody()));
  }

  private static void keepLost(JsonObject event, List<JsonObject> into) {
    JsonObject record = event.getJsonObject("record");
    if (record != null && "node_lost".equals(record.getString("reason"))) {
      into.add(record);
    }
  }

  private static JsonObject awaitLost(List<JsonObject> seen, String id, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (System.nanoTime() < deadline) {
      for (JsonObject record : seen) {
        if (id.equals(record.getString("id"))) {
          return record;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no node_lost record of " + id + " within " + timeoutMs + " ms; seen " + seen);
  }

  private static JsonObject submit(EngineRest rest, JsonObject body) throws Exception {
    HttpResponse<String> response = rest.send(rest.request("/api/v1/processes")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return new JsonObject(response.body());
  }

  private static JsonObject control(EngineRest rest, String id, String action) throws Exception {
    HttpResponse<String> response = rest.send(rest.request("/api/v1/processes/" + id + "/" + action)
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(response.statusCode()).as(action + " " + response.body()).isEqualTo(202);
    return new JsonObject(response.body());
  }

  private static List<String> ids(JsonObject list) {
    JsonArray items = list.getJsonArray("items");
    return items.stream().map(item -> ((JsonObject) item).getString("id")).toList();
  }

  private static void awaitHistoryHas(EngineRest rest, String id) throws Exception {
    for (int i = 0; i < 200; i++) {
      if (ids(rest.get("/api/v1/history?limit=500")).contains(id)) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("the cluster's history never had " + id);
  }
}
