package io.isometry.bench;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/bench-jvm}: the engine's JVM options chosen from figures. For each set of options the
 * server jar is started as an operator starts it ({@code java <options> -jar target/isometry.jar}),
 * and measured in one run: the time to its "ready" line, its resident memory idle, the REST +
 * WebSocket round trip of {@code /bin/true} over the first {@value #ROUND_TRIPS} runs after start
 * (cold), the throughput of {@value #LOAD_RUNS} runs with {@value #IN_FLIGHT} in flight, the same
 * round trip again (warm), and its resident memory after all of that. The sandbox is off: what is
 * measured is the JVM, and the sandbox's ~10 ms of kernel time per child would hide it. Prints
 * figures, asserts nothing.
 */
public final class JvmBench {

  private static final String TOKEN = "bench-jvm-token-0123456789abcdef";
  private static final int ROUND_TRIPS = 500;
  private static final int LOAD_RUNS = 10_000;
  private static final int IN_FLIGHT = 8;
  private static final long SETTLE_MS = 5_000;

  /** One way to start the JVM: its options and the environment they need. */
  private record Options(String name, List<String> jvm, Map<String, String> environment) {
  }

  private record Figures(double startSeconds, long idleKib, double[] cold, double perSecond, double[] warm,
                         long afterKib) {
  }

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "target/isometry.jar").toAbsolutePath();
    Path root = Files.createTempDirectory("isometry-bench-jvm",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Path archive = root.resolve("isometry.jsa");
    List<String> chosen = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx128m", "-XX:MaxHeapFreeRatio=30",
        "-XX:MinHeapFreeRatio=10", "-XX:ReservedCodeCacheSize=64m", "-XX:MaxMetaspaceSize=128m", "-Xss512k");
    List<Options> sets = List.of(
        new Options("JVM defaults (G1, heap up to 1/4 of RAM)", List.of(), Map.of()),
        new Options("G1, -Xmx128m, periodic uncommit", List.of("-Xms8m", "-Xmx128m",
            "-XX:G1PeriodicGCInterval=5000", "-XX:ReservedCodeCacheSize=64m", "-Xss512k"), Map.of()),
        new Options("SerialGC, -Xmx128m, shrinking heap", chosen, Map.of()),
        new Options("the same + MALLOC_ARENA_MAX=2", chosen, Map.of("MALLOC_ARENA_MAX", "2")),
        new Options("the same + AppCDS archive", with(chosen, "-XX:SharedArchiveFile=" + archive),
            Map.of("MALLOC_ARENA_MAX", "2")),
        new Options("the same + C1 only (TieredStopAtLevel=1)", with(chosen, "-XX:TieredStopAtLevel=1"),
            Map.of("MALLOC_ARENA_MAX", "2")));
    // The archive is what a first run leaves at its exit (JDK 17: -XX:ArchiveClassesAtExit).
    measure(jar, root.resolve("training"), new Options("training", with(chosen, "-XX:ArchiveClassesAtExit=" + archive),
        Map.of()), 1_000);
    Map<String, Figures> figures = new java.util.LinkedHashMap<>();
    for (Options options : sets) {
      figures.put(options.name(), measure(jar, root.resolve("run-" + figures.size()), options, LOAD_RUNS));
    }
    System.out.printf("%nbench-jvm: %s, sandbox off, %d cores; round trip = REST submit of /bin/true to its "
            + "terminal event on the WebSocket feed%n", jar.getFileName(), Runtime.getRuntime().availableProcessors());
    System.out.printf("%-44s %7s %9s %10s %10s %10s %8s %10s%n", "options", "start", "idle RSS",
        "cold p50", "warm p50", "cold/warm", "runs/s", "RSS after");
    for (Map.Entry<String, Figures> row : figures.entrySet()) {
      Figures f = row.getValue();
      System.out.printf("%-44s %6.2fs %7.0f MB %7.3f ms %7.3f ms %9.2fx %8.0f %7.0f MB%n", row.getKey(),
          f.startSeconds(), f.idleKib() / 1024.0, percentile(f.cold(), 50), percentile(f.warm(), 50),
          percentile(f.cold(), 50) / percentile(f.warm(), 50), f.perSecond(), f.afterKib() / 1024.0);
    }
    System.out.printf("(cold = the first %d round trips after start; warm = %d more after %d runs under load; "
        + "RSS after = %d s after the last run)%n", ROUND_TRIPS, ROUND_TRIPS, LOAD_RUNS, SETTLE_MS / 1000);
  }

  private static List<String> with(List<String> options, String more) {
    List<String> all = new ArrayList<>(options);
    all.add(more);
    return all;
  }

  private static Figures measure(Path jar, Path home, Options options, int loadRuns) throws Exception {
    Map<String, String> environment = new HashMap<>(options.environment());
    environment.putAll(Map.of(
        "ISOMETRY_HOME", Files.createDirectories(home).toString(),
        "ISOMETRY_RUNAS", "root",
        "ISOMETRY_SANDBOX_MODE", "off",
        "ISOMETRY_SUPERVISOR_MAXCONCURRENT", String.valueOf(IN_FLIGHT),
        "ISOMETRY_SUPERVISOR_MAXRUNNINGPEROWNER", String.valueOf(IN_FLIGHT),
        "ISOMETRY_HTTP_SUBMITRATEPERSECOND", "1000000",
        "ISOMETRY_HTTP_SUBMITBURST", "1000000",
        "ISOMETRY_AUTH_TOKENS", new JsonArray().add(new JsonObject()
            .put("token", TOKEN).put("principal", "bench").put("role", "admin")).encode()));
    long started = System.nanoTime();
    try (EngineProcess engine = EngineProcess.fromJar(jar, options.jvm(), environment)) {
      int port = engine.port();
      double startSeconds = (System.nanoTime() - started) / 1e9;
      Thread.sleep(SETTLE_MS);
      long idle = residentKib(engine.pid());
      try (Feed feed = Feed.open(port)) {
        double[] cold = feed.roundTrips(ROUND_TRIPS);
        long loadStart = System.nanoTime();
        feed.load(loadRuns);
        double perSecond = loadRuns / ((System.nanoTime() - loadStart) / 1e9);
        double[] warm = feed.roundTrips(ROUND_TRIPS);
        Thread.sleep(SETTLE_MS);
        long after = residentKib(engine.pid());
        engine.stop();
        return new Figures(startSeconds, idle, cold, perSecond, warm, after);
      }
    }
  }

  private static long residentKib(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid);
  }

  private static double percentile(double[] samples, int percent) {
    double[] sorted = samples.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
  }

  /** Submits over REST (the JDK's client) and learns of each end from one WebSocket feed. */
  private static final class Feed implements WebSocket.Listener, AutoCloseable {

    private final Map<String, CompletableFuture<Void>> ended = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private final HttpClient http = HttpClient.newHttpClient();
    private final HttpRequest submit;
    private WebSocket socket;

    private Feed(int port) {
      submit = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/processes"))
          .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("command", "true").encode())).build();
    }

    static Feed open(int port) throws Exception {
      Feed feed = new Feed(port);
      feed.socket = feed.http.newWebSocketBuilder().header("Authorization", "Bearer " + TOKEN)
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/ws"), feed).get(30, TimeUnit.SECONDS);
      return feed;
    }

    double[] roundTrips(int runs) throws Exception {
      double[] samples = new double[runs];
      for (int i = 0; i < runs; i++) {
        long start = System.nanoTime();
        ended(http.send(submit, HttpResponse.BodyHandlers.ofString())).get(30, TimeUnit.SECONDS);
        samples[i] = (System.nanoTime() - start) / 1e6;
      }
      return samples;
    }

    void load(int runs) throws Exception {
      Semaphore inFlight = new Semaphore(IN_FLIGHT * 4);
      for (int i = 0; i < runs; i++) {
        inFlight.acquire();
        http.sendAsync(submit, HttpResponse.BodyHandlers.ofString())
            .thenCompose(this::ended)
            .whenComplete((done, failure) -> inFlight.release());
      }
      inFlight.acquire(IN_FLIGHT * 4);
    }

    private CompletableFuture<Void> ended(HttpResponse<String> response) {
      if (response.statusCode() != 202) {
        return CompletableFuture.failedFuture(new IllegalStateException(response.statusCode() + " " + response.body()));
      }
      return ended.computeIfAbsent(new JsonObject(response.body()).getString("id"), id -> new CompletableFuture<>());
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        JsonObject message = new JsonObject(partial.toString());
        partial.setLength(0);
        if ("process".equals(message.getString("type"))) {
          JsonObject record = message.getJsonObject("record");
          if (record.getString("endedAt") != null) {
            ended.computeIfAbsent(record.getString("id"), id -> new CompletableFuture<>()).complete(null);
          }
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void close() {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }
  }
}
