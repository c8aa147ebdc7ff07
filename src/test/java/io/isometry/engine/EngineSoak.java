package io.isometry.engine;

import io.isometry.testing.EngineProcess;
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
 * killed with SIGKILL, then started again on the same data dir. Every submit that got its 202 (or
 * its WebSocket ack) must then be in the journal exactly once, ended or still queued: none lost,
 * none duplicated. Prints the figures; exits non-zero when anything acknowledged was lost.
 */
public final class EngineSoak {

  private static final String TOKEN = "engine-soak-token-0123456789";
  private static final int COMMANDS = 10_000;
  private static final int IN_FLIGHT = 32;
  private static final Set<String> LIVE = Set.of("queued", "running", "suspended");

  public static void main(String[] args) throws Exception {
    Path root = Files.createTempDirectory("isometry-soak",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Map<String, String> environment = Map.of(
        "ISOMETRY_WORKSPACE", Files.createDirectories(root.resolve("workspace")).toString(),
        "ISOMETRY_DATADIR", root.resolve("data").toString(),
        "ISOMETRY_RUNAS", "root",
        "ISOMETRY_SUPERVISOR_MAXCONCURRENT", "8",
        "ISOMETRY_SUPERVISOR_QUEUECAPACITY", "20000",
        "ISOMETRY_SUPERVISOR_MAXRUNNINGPEROWNER", "8",
        "ISOMETRY_SUPERVISOR_QUEUEPEROWNER", "20000",
        "ISOMETRY_HTTP_SUBMITRATEPERSECOND", "1000000",
        "ISOMETRY_HTTP_SUBMITBURST", "1000000",
        "ISOMETRY_AUTH_TOKENS", new JsonArray().add(new JsonObject()
            .put("token", TOKEN).put("principal", "soak").put("role", "admin")).encode());
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    AtomicInteger sent = new AtomicInteger();
    long started = System.nanoTime();
    try (EngineProcess engine = EngineProcess.start(environment)) {
      // Killed with requests still on their way: some are sent and never answered.
      submit(engine.port(), COMMANDS / 2, sent, acknowledged, false);
      engine.kill();
    }
    int ackedBeforeCrash = acknowledged.size();
    try (EngineProcess engine = EngineProcess.start(environment)) {
      int port = engine.port();
      submit(port, COMMANDS, sent, acknowledged, true);
      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      JsonObject stats;
      do {
        Thread.sleep(200);
        stats = new JsonObject(http.send(request(port, "/api/v1/stats").GET().build(),
            HttpResponse.BodyHandlers.ofString()).body());
      } while ((stats.getInteger("queued") > 0 || stats.getInteger("running") > 0) && System.nanoTime() < deadline);
      engine.stop();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    int acked = acknowledged.size();

    Map<String, Integer> rowsPerLabel = new HashMap<>();
    Map<String, String> stateOf = new HashMap<>();
    try (Connection journal = DriverManager.getConnection("jdbc:sqlite:" + root.resolve("data").resolve("journal.db"));
         Statement query = journal.createStatement();
         ResultSet rows = query.executeQuery("SELECT id, label, state FROM processes WHERE label LIKE 'soak-%'")) {
      while (rows.next()) {
        rowsPerLabel.merge(rows.getString("label"), 1, Integer::sum);
        stateOf.put(rows.getString("id"), rows.getString("state"));
      }
    }
    int lost = 0;
    int notEnded = 0;
    for (String id : acknowledged.values()) {
      String state = stateOf.get(id);
      if (state == null) {
        lost++;
      } else if (LIVE.contains(state) && !"queued".equals(state)) {
        notEnded++;
      }
    }
    long duplicated = rowsPerLabel.values().stream().filter(count -> count > 1).count();
    System.out.printf("%nsoak-journal (engine): %d submitted (REST and WebSocket alternating), %d acknowledged "
            + "(%d before the SIGKILL, the rest after the restart), all run to the end in %.1f s (%.0f/s)%n",
        sent.get(), acked, ackedBeforeCrash, seconds, acked / seconds);
    System.out.printf("in the journal afterwards: %d of %d acknowledged, lost %d, duplicated %d, "
            + "running without an engine %d, unacknowledged but recorded %d%n",
        acked - lost, acked, lost, duplicated, notEnded, stateOf.size() - (acked - lost));
    if (lost > 0 || duplicated > 0 || notEnded > 0) {
      System.exit(1);
    }
  }

  /** Submits until {@code acknowledgedUntil} are acknowledged or all commands are sent; waits for the answers when told. */
  private static void submit(int port, int acknowledgedUntil, AtomicInteger sent, Map<String, String> acknowledged,
                             boolean awaitAnswers) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    WebSocketSender socket = WebSocketSender.open(http, port, acknowledged, inFlight);
    while (sent.get() < COMMANDS && acknowledged.size() < acknowledgedUntil) {
      inFlight.acquire();
      int i = sent.getAndIncrement();
      String label = "soak-" + i;
      JsonObject body = new JsonObject().put("command", "true").put("label", label);
      if (i % 2 == 0) {
        http.sendAsync(request(port, "/api/v1/processes").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                HttpResponse.BodyHandlers.ofString())
            .whenComplete((response, failure) -> {
              if (failure == null && response.statusCode() == 202) {
                acknowledged.put(label, new JsonObject(response.body()).getString("id"));
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

  private static HttpRequest.Builder request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + TOKEN);
  }

  /** Runs commands over one WebSocket; an ack (with the record) is the WebSocket's 202. */
  private static final class WebSocketSender implements WebSocket.Listener {

    private final Map<String, String> acknowledged;
    private final Semaphore inFlight;
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private WebSocketSender(Map<String, String> acknowledged, Semaphore inFlight) {
      this.acknowledged = acknowledged;
      this.inFlight = inFlight;
    }

    static WebSocketSender open(HttpClient http, int port, Map<String, String> acknowledged, Semaphore inFlight)
        throws Exception {
      WebSocketSender sender = new WebSocketSender(acknowledged, inFlight);
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
            acknowledged.put(requestId, message.getJsonObject("record").getString("id"));
          }
          inFlight.release();
        }
      }
      webSocket.request(1);
      return CompletableFuture.completedFuture(null);
    }
  }
}
