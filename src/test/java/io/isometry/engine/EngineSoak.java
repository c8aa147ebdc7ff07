package io.isometry.engine;

import io.isometry.testing.EngineProcess;
import io.isometry.testing.SmallDisk;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code scripts/soak-journal --engine}: the whole engine under load. 10,000 commands are submitted,
 * half over REST and half over the WebSocket feed; when half of them are acknowledged the engine is
 * killed with SIGKILL, then started again on the same data dir. As root, the data dir is a small
 * tmpfs, and three quarters of the way through it is filled to the last byte while commands keep
 * coming, then freed. Each command is {@code mkdir <its label>} in the workspace: it leaves a trace
 * when it ran, and fails when it runs a second time. Afterwards every submit that got its 202 (or
 * its WebSocket ack) must be in the journal exactly once, ended or still queued; none may have run
 * twice; none answered 503 may have run. Prints the figures; exits non-zero on any of those.
 */
public final class EngineSoak {

  private static final String TOKEN = "engine-soak-token-0123456789";
  private static final int COMMANDS = 10_000;
  private static final int IN_FLIGHT = 32;
  /** How many commands are sent while the disk is full. */
  private static final int WHILE_FULL = 400;
  private static final Set<String> LIVE = Set.of("queued", "running", "suspended");

  /** What the engine answered: the records it acknowledged by label, and the labels it refused with 503. */
  private record Answers(Map<String, String> acknowledged, Set<String> unavailable) {
    Answers() {
      this(new ConcurrentHashMap<>(), ConcurrentHashMap.newKeySet());
    }
  }

  public static void main(String[] args) throws Exception {
    Path root = Files.createTempDirectory("isometry-soak",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Path data = root.resolve("data");
    SmallDisk disk = null;
    try {
      disk = SmallDisk.mount(data, 128);
    } catch (SmallDisk.Unavailable why) {
      System.out.println("The disk-full phase is left out: " + why.getMessage());
    }
    Path workspace = Files.createDirectories(root.resolve("workspace"));
    Map<String, String> environment = new HashMap<>();
    environment.put("ISOMETRY_WORKSPACE", workspace.toString());
    environment.put("ISOMETRY_DATADIR", data.toString());
    environment.put("ISOMETRY_RUNAS", "root");
    // The journal is what is soaked: with a sandbox per command (~10 ms of kernel time each, far
    // more on a loaded machine) the 10,000 would take the better part of an hour.
    environment.put("ISOMETRY_SANDBOX_MODE", "off");
    environment.put("ISOMETRY_SUPERVISOR_MAXCONCURRENT", "8");
    environment.put("ISOMETRY_SUPERVISOR_QUEUECAPACITY", "20000");
    environment.put("ISOMETRY_SUPERVISOR_MAXRUNNINGPEROWNER", "8");
    environment.put("ISOMETRY_SUPERVISOR_QUEUEPEROWNER", "20000");
    environment.put("ISOMETRY_HTTP_SUBMITRATEPERSECOND", "1000000");
    environment.put("ISOMETRY_HTTP_SUBMITBURST", "1000000");
    environment.put("ISOMETRY_AUTH_TOKENS", new JsonArray().add(new JsonObject()
        .put("token", TOKEN).put("principal", "soak").put("role", "admin")).encode());
    Answers answers = new Answers();
    AtomicInteger sent = new AtomicInteger();
    long started = System.nanoTime();
    String fullDisk = "not run";
    try (EngineProcess engine = EngineProcess.start(environment)) {
      // Killed with requests still on their way: some are sent and never answered.
      submit(engine.port(), COMMANDS / 2, COMMANDS, sent, answers, false);
      engine.kill();
    }
    int ackedBeforeCrash = answers.acknowledged().size();
    try (EngineProcess engine = EngineProcess.start(environment)) {
      int port = engine.port();
      if (disk != null) {
        submit(port, COMMANDS * 3 / 4, COMMANDS, sent, answers, true);
        fullDisk = whileTheDiskIsFull(port, disk, sent, answers);
      }
      submit(port, COMMANDS, COMMANDS + WHILE_FULL, sent, answers, true);
      awaitIdle(port);
      engine.stop();
    } finally {
      if (disk != null) {
        disk.close();
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    report(root, data, workspace.resolve("soak"), answers, sent.get(), ackedBeforeCrash, seconds, fullDisk);
  }

  /**
   * Fills the disk, sends {@link #WHILE_FULL} commands, frees it and waits for {@code /health} to be up
   * again; answers what was seen.
   */
  private static String whileTheDiskIsFull(int port, SmallDisk disk, AtomicInteger sent, Answers answers)
      throws Exception {
    int refusedBefore = answers.unavailable().size();
    disk.fill();
    submit(port, Integer.MAX_VALUE, sent.get() + WHILE_FULL, sent, answers, true);
    int degraded = health(port);
    long freed = System.nanoTime();
    disk.free();
    int status;
    do {
      Thread.sleep(50);
      status = health(port);
    } while (status != 200 && System.nanoTime() - freed < TimeUnit.MINUTES.toNanos(1));
    return String.format("%d sent while full: %d answered 503; /health %d while full, %d %.1f s after the space returned",
        WHILE_FULL, answers.unavailable().size() - refusedBefore, degraded, status, (System.nanoTime() - freed) / 1e9);
  }

  private static void report(Path root, Path data, Path workspace, Answers answers, int sent, int ackedBeforeCrash,
                             double seconds, String fullDisk) throws Exception {
    Map<String, Integer> rowsPerLabel = new HashMap<>();
    Map<String, String> stateOf = new HashMap<>();
    Map<String, String> reasonOf = new HashMap<>();
    try (Connection journal = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("journal.db"));
         Statement query = journal.createStatement();
         ResultSet rows = query.executeQuery("SELECT id, label, state, reason FROM processes WHERE label LIKE 'soak-%'")) {
      while (rows.next()) {
        rowsPerLabel.merge(rows.getString("label"), 1, Integer::sum);
        stateOf.put(rows.getString("id"), rows.getString("state"));
        reasonOf.put(rows.getString("id"), rows.getString("reason"));
      }
    }
    int lost = 0;
    int notEnded = 0;
    int ranTwice = 0;
    for (String id : answers.acknowledged().values()) {
      String state = stateOf.get(id);
      if (state == null) {
        lost++;
      } else if (LIVE.contains(state) && !"queued".equals(state)) {
        notEnded++;
      } else if ("failed".equals(state) && !"spawn_failed".equals(reasonOf.get(id))) {
        // mkdir found its own directory: the same record ran before.
        ranTwice++;
      }
    }
    long refusedButRan = answers.unavailable().stream().filter(label -> Files.exists(workspace.resolve(label))).count();
    long duplicated = rowsPerLabel.values().stream().filter(count -> count > 1).count();
    int acked = answers.acknowledged().size();
    System.out.printf("%nsoak-journal (engine): %d submitted (REST and WebSocket alternating), %d acknowledged "
            + "(%d before the SIGKILL, the rest after the restart), all run to the end in %.1f s (%.0f/s)%n",
        sent, acked, ackedBeforeCrash, seconds, acked / seconds);
    System.out.printf("full disk: %s%n", fullDisk);
    System.out.printf("in the journal afterwards: %d of %d acknowledged, lost %d, duplicated %d, ran twice %d, "
            + "answered 503 but ran %d, running without an engine %d, unacknowledged but recorded %d%n",
        acked - lost, acked, lost, duplicated, ranTwice, refusedButRan, notEnded, stateOf.size() - (acked - lost));
    System.out.printf("(data and workspace kept in %s)%n", root);
    if (lost > 0 || duplicated > 0 || ranTwice > 0 || refusedButRan > 0 || notEnded > 0) {
      System.exit(1);
    }
  }

  /**
   * Sends commands until {@code acknowledgedUntil} are acknowledged or {@code sendUntil} have been sent
   * in all; waits for the answers when told.
   */
  private static void submit(int port, int acknowledgedUntil, int sendUntil, AtomicInteger sent, Answers answers,
                             boolean awaitAnswers) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    WebSocketSender socket = WebSocketSender.open(http, port, answers, inFlight);
    while (sent.get() < sendUntil && answers.acknowledged().size() < acknowledgedUntil) {
      inFlight.acquire();
      int i = sent.getAndIncrement();
      String label = "soak-" + i;
      JsonObject body = new JsonObject().put("command", "mkdir " + label).put("label", label);
      if (i % 2 == 0) {
        http.sendAsync(request(port, "/api/v1/processes").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                HttpResponse.BodyHandlers.ofString())
            .whenComplete((response, failure) -> {
              if (failure == null && response.statusCode() == 202) {
                answers.acknowledged().put(label, new JsonObject(response.body()).getString("id"));
              } else if (failure == null && response.statusCode() == 503) {
                answers.unavailable().add(label);
              }
              inFlight.release();
            });
      } else {
        socket.run(body.put("type", "run").put("requestId", label));
      }
    }
    if (awaitAnswers) {
      inFlight.acquire(IN_FLIGHT);
    }
  }

  private static void awaitIdle(int port) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    JsonObject stats;
    do {
      Thread.sleep(200);
      stats = new JsonObject(http.send(request(port, "/api/v1/stats").GET().build(),
          HttpResponse.BodyHandlers.ofString()).body());
    } while ((stats.getInteger("queued") > 0 || stats.getInteger("running") > 0) && System.nanoTime() < deadline);
  }

  private static int health(int port) throws Exception {
    return HttpClient.newHttpClient().send(request(port, "/health").GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static HttpRequest.Builder request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + TOKEN);
  }

  /** Runs commands over one WebSocket; an ack (with the record) is the WebSocket's 202, an {@code unavailable} error its 503. */
  private static final class WebSocketSender implements WebSocket.Listener {

    private final Answers answers;
    private final Semaphore inFlight;
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private WebSocketSender(Answers answers, Semaphore inFlight) {
      this.answers = answers;
      this.inFlight = inFlight;
    }

    static WebSocketSender open(HttpClient http, int port, Answers answers, Semaphore inFlight) throws Exception {
      WebSocketSender sender = new WebSocketSender(answers, inFlight);
      sender.socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + TOKEN)
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/ws"), sender).get(30, TimeUnit.SECONDS);
      return sender;
    }

    synchronized void run(JsonObject message) {
      socket.sendText(message.encode(), true).join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        JsonObject message = new JsonObject(partial.toString());
        partial.setLength(0);
        String requestId = message.getString("requestId");
        if (requestId != null) {
          if ("ack".equals(message.getString("type"))) {
            answers.acknowledged().put(requestId, message.getJsonObject("record").getString("id"));
          } else if ("unavailable".equals(message.getString("error"))) {
            answers.unavailable().add(requestId);
          }
          inFlight.release();
        }
      }
      webSocket.request(1);
      return CompletableFuture.completedFuture(null);
    }
  }
}
