package io.isometry.bench;

import io.isometry.client.IsometryClient;
import io.isometry.client.ProcessSnapshot;
import io.isometry.client.Submission;
import io.isometry.config.ConfigLoader;
import io.isometry.engine.EngineVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * {@code scripts/bench-lifecycle}: the round trip of {@code /bin/true} from submit to its terminal
 * event, (a) through the embedded Java client and (b) through REST plus the WebSocket feed, with the
 * sandbox on (the default), and (c) the embedded client and (d) REST plus the feed with it off, beside baselines measured in the same run: raw
 * {@code ProcessBuilder.start() + waitFor()}, the engine's own spawn path as the run-as user without the
 * engine, and a bare {@code bwrap … true} spawned the same way, first with the user, mount and pid
 * namespaces only, then adding ipc, uts and cgroup, then the network namespace (the engine's full
 * sandbox). Then the throughput of {@code true} with {@code maxConcurrent=8}. Prints figures, asserts
 * nothing: a benchmark, not a test.
 */
public final class LifecycleBench {

  // Enough for the JIT to compile the engine's paths: with 200, whichever phase ran first paid for it.
  // -Dbench.warmup and -Dbench.runs shorten a run on a machine too busy for the full one.
  private static final int WARMUP = Integer.getInteger("bench.warmup", 1500);
  private static final int RUNS = Integer.getInteger("bench.runs", 500);
  private static final int THROUGHPUT_RUNS = 3000;
  /** The engine's sandbox as the engine spawns it where it keeps a network namespace per owner. */
  private static final String OWNER_ROW = "bare bwrap: in the owner's netns";
  private static final String TOKEN = "bench-lifecycle-token-0123456789";

  public static void main(String[] args) throws Exception {
    // Readable by all: with the default config, children run as nobody and must reach the workspace.
    Path root = Files.createTempDirectory("isometry-bench",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    List<String> options = List.of(args);
    if (options.contains("--sandbox")) {
      sandboxOnly(root);
      return;
    }
    if (options.contains("--paired")) {
      pairedOnly(root);
      return;
    }
    // First, while this machine has run nothing of the engine's: a fresh server jar's first commands.
    int jar = options.indexOf("--jar");
    ColdStart coldStart = jar < 0 ? null : ColdStart.measure(Path.of(options.get(jar + 1)), root.resolve("cold"),
        options.contains("--unconfined") ? "off" : "auto", RUNS);
    if (options.contains("--unconfined")) {
      unconfinedOnly(root, coldStart);
      return;
    }
    Vertx vertx = Vertx.vertx();
    try {
      double[] raw = rawProcessBuilder();
      BareSandbox bare = BareSandbox.prepare(config(root, 3, "auto"));
      Map<String, double[]> sandboxes = new java.util.LinkedHashMap<>();
      for (Map.Entry<String, java.util.List<String>> variant : bare.variants().entrySet()) {
        sandboxes.put(variant.getKey(), bare.measure(variant.getValue(), WARMUP / 3, RUNS));
      }
      double[] owned = bare.measureInOwnerNetwork(WARMUP / 3, RUNS);
      double[] spawned = bare.measure(java.util.List.of("/usr/bin/true"), WARMUP / 3, RUNS);
      EngineVerticle engine = deploy(vertx, config(root, 3, "auto"));
      long[] embeddedCpu = new long[1];
      double[] embedded = embedded(vertx, embeddedCpu);
      double[] rest = restAndWebSocket(vertx, engine.httpPort());
      double[][] paired = owned == null ? null : pairedWithBare(vertx, bare);
      bare.close();
      vertx.close().await();
      vertx = Vertx.vertx();
      EngineVerticle off = deploy(vertx, config(root, 3, "off"));
      long[] unconfinedCpu = new long[1];
      double[] unconfined = embedded(vertx, unconfinedCpu);
      double[] restUnconfined = restAndWebSocket(vertx, off.httpPort());
      vertx.close().await();
      vertx = Vertx.vertx();
      double perSecond = throughput(IsometryClient.trusted(vertx, "host"), deploy(vertx, config(root, 8, "auto")));

      System.out.printf("%nbench-lifecycle: /bin/true, %d sequential runs after %d warm-up runs, %d cores%n",
          RUNS, WARMUP, Runtime.getRuntime().availableProcessors());
      print("raw ProcessBuilder start+waitFor", raw, raw);
      print("posix_spawn as runAs, no sandbox", spawned, raw);
      double[] full = printSandboxRows(sandboxes, owned, raw);
      print("(a) embedded Java client, sandbox", embedded, raw);
      print("(b) REST + WebSocket feed, sandbox", rest, raw);
      print("(c) embedded Java client, no sandbox", unconfined, raw);
      print("(d) REST + WebSocket feed, no sandbox", restUnconfined, raw);
      printColdStart(coldStart, "sandbox", raw);
      System.out.printf("engine's own overhead over the bare sandbox: median %.3f ms (a), %.3f ms (b); "
              + "without the sandbox over posix_spawn: %.3f ms (c)%n",
          percentile(embedded, 50) - percentile(full, 50), percentile(rest, 50) - percentile(full, 50),
          percentile(unconfined, 50) - percentile(spawned, 50));
      printCpu("(a)", embeddedCpu);
      printCpu("(c)", unconfinedCpu);
      printPaired(paired, raw);
      System.out.printf("throughput, maxConcurrent=8, sandbox, %d x true: %.0f processes/s%n", THROUGHPUT_RUNS, perSecond);
    } finally {
      vertx.close().await();
    }
  }

  /**
   * {@code scripts/bench-lifecycle --unconfined}: (c) and (d) beside their baselines, no sandbox: a
   * minute instead of several, to compare two builds of the engine (the cost of a commit) run after
   * run on a busy machine, where the sandbox's own figures swing by tens of milliseconds.
   */
  private static void unconfinedOnly(Path root, ColdStart coldStart) throws Exception {
    double[] raw = rawProcessBuilder();
    BareSandbox bare = BareSandbox.prepare(config(root, 3, "auto"));
    double[] spawned = bare.measure(List.of("/usr/bin/true"), WARMUP / 3, RUNS);
    bare.close();
    Vertx vertx = Vertx.vertx();
    try {
      EngineVerticle off = deploy(vertx, config(root, 3, "off"));
      long[] unconfinedCpu = new long[1];
      double[] unconfined = embedded(vertx, unconfinedCpu);
      double[] restUnconfined = restAndWebSocket(vertx, off.httpPort());
      System.out.printf("%nbench-lifecycle --unconfined: /bin/true, %d sequential runs after %d warm-up runs, %d cores%n",
          RUNS, WARMUP, Runtime.getRuntime().availableProcessors());
      print("raw ProcessBuilder start+waitFor", raw, raw);
      print("posix_spawn as runAs, no sandbox", spawned, raw);
      print("(c) embedded Java client, no sandbox", unconfined, raw);
      print("(d) REST + WebSocket feed, no sandbox", restUnconfined, raw);
      printCpu("(c)", unconfinedCpu);
      printColdStart(coldStart, "no sandbox", raw);
    } finally {
      vertx.close().await();
    }
  }

  /**
   * {@code scripts/bench-lifecycle --sandbox}: the bare sandbox rows, (a) and (b) beside their
   * baselines, without the unconfined rows and the throughput: the rows that tell what the sandbox
   * and the engine's own path around it cost, to compare two builds run after run.
   */
  private static void sandboxOnly(Path root) throws Exception {
    double[] raw = rawProcessBuilder();
    BareSandbox bare = BareSandbox.prepare(config(root, 3, "auto"));
    Map<String, double[]> sandboxes = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, List<String>> variant : bare.variants().entrySet()) {
      sandboxes.put(variant.getKey(), bare.measure(variant.getValue(), WARMUP / 3, RUNS));
    }
    double[] owned = bare.measureInOwnerNetwork(WARMUP / 3, RUNS);
    Vertx vertx = Vertx.vertx();
    try {
      EngineVerticle engine = deploy(vertx, config(root, 3, "auto"));
      long[] embeddedCpu = new long[1];
      double[] embedded = embedded(vertx, embeddedCpu);
      double[] rest = restAndWebSocket(vertx, engine.httpPort());
      double[][] paired = owned == null ? null : pairedWithBare(vertx, bare);
      System.out.printf("%nbench-lifecycle --sandbox: /bin/true, %d sequential runs after %d warm-up runs, %d cores%n",
          RUNS, WARMUP, Runtime.getRuntime().availableProcessors());
      print("raw ProcessBuilder start+waitFor", raw, raw);
      double[] full = printSandboxRows(sandboxes, owned, raw);
      print("(a) embedded Java client, sandbox", embedded, raw);
      print("(b) REST + WebSocket feed, sandbox", rest, raw);
      System.out.printf("engine's own overhead over the bare sandbox: median %.3f ms (a), %.3f ms (b)%n",
          percentile(embedded, 50) - percentile(full, 50), percentile(rest, 50) - percentile(full, 50));
      printCpu("(a)", embeddedCpu);
      printPaired(paired, raw);
    } finally {
      bare.close();
      vertx.close().await();
    }
  }

  /**
   * {@code scripts/bench-lifecycle --paired}: the engine's overhead over the bare sandbox, paired, and
   * nothing else (about a minute): the one figure to compare two builds by, and a steady load to
   * profile the engine under.
   */
  private static void pairedOnly(Path root) throws Exception {
    double[] raw = rawProcessBuilder();
    BareSandbox bare = BareSandbox.prepare(config(root, 3, "auto"));
    Vertx vertx = Vertx.vertx();
    try {
      deploy(vertx, config(root, 3, "auto"));
      if (!bare.inOwnerNetworks()) {
        throw new IllegalStateException("the engine keeps no network namespace per owner here: nothing to pair");
      }
      double[][] paired = pairedWithBare(vertx, bare);
      System.out.printf("%nbench-lifecycle --paired: /bin/true, %d pairs after %d warm-up pairs, %d cores%n",
          RUNS, WARMUP / 3, Runtime.getRuntime().availableProcessors());
      print("raw ProcessBuilder start+waitFor", raw, raw);
      printPaired(paired, raw);
    } finally {
      bare.close();
      vertx.close().await();
    }
  }

  /**
   * The engine's overhead over the bare sandbox measured run by run: one bare sandbox in the owner's
   * network namespace and one (a), alternately (which goes first alternates too), so that both see
   * the same minute of a machine whose speed changes from one minute to the next. Back to back, as the
   * sequential rows run: a pause before each run (5 ms was tried) made (a) 5 ms slower and the bare
   * sandbox no slower, every hand-off of the engine then waking an idle thread on an idle core. What
   * an engine run leaves to do after its terminal event (its output to the journal, its cgroup job
   * made ready again) runs beside the next run, a bare one every other time. Answers the bare samples
   * and (a)'s, pair by pair.
   */
  private static double[][] pairedWithBare(Vertx vertx, BareSandbox bare) throws Exception {
    io.vertx.core.Context context = vertx.getOrCreateContext();
    CompletableFuture<EndingClient> ready = new CompletableFuture<>();
    context.runOnContext(start -> EndingClient.subscribe(vertx).onComplete(ready::complete, ready::completeExceptionally));
    EndingClient client = ready.get(30, TimeUnit.SECONDS);
    double[] bareSamples = new double[RUNS];
    double[] engineSamples = new double[RUNS];
    for (int i = -WARMUP / 3; i < RUNS; i++) {
      double bareSample;
      double engineSample;
      if ((i & 1) == 0) {
        bareSample = bare.onceInOwnerNetwork();
        engineSample = embeddedOnce(context, client);
      } else {
        engineSample = embeddedOnce(context, client);
        bareSample = bare.onceInOwnerNetwork();
      }
      if (i >= 0) {
        bareSamples[i] = bareSample;
        engineSamples[i] = engineSample;
      }
    }
    return new double[][] {bareSamples, engineSamples};
  }

  /** One run of (a), timed on the client's context from its submit to its terminal event; milliseconds. */
  private static double embeddedOnce(io.vertx.core.Context context, EndingClient client) throws Exception {
    CompletableFuture<Double> took = new CompletableFuture<>();
    context.runOnContext(go -> {
      long start = System.nanoTime();
      client.runToEnd()
          .onSuccess(ended -> took.complete((System.nanoTime() - start) / 1e6))
          .onFailure(took::completeExceptionally);
    });
    return took.get(30, TimeUnit.SECONDS);
  }

  /**
   * The CPU time of every thread of this JVM so far: over (a) or (c), the engine's own work per run,
   * which on a machine of 2 cores bounds how much of it can hide behind the sandbox's setup.
   */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void printCpu(String row, long[] measuredCpu) {
    System.out.printf("%s CPU time of this JVM (the engine, its client, the JIT) per measured run: %.3f ms%n", row,
        measuredCpu[0] / 1e6 / RUNS);
  }

  private static void printPaired(double[][] paired, double[] raw) {
    if (paired == null) {
      return;
    }
    double[] differences = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      differences[i] = paired[1][i] - paired[0][i];
    }
    System.out.printf("paired run by run (%d pairs, back to back):%n", RUNS);
    print("  bare bwrap: in the owner's netns", paired[0], raw);
    print("  (a) embedded Java client, sandbox", paired[1], raw);
    System.out.printf("engine's own overhead over the bare sandbox, paired: median of (a) - median of bare %.3f ms, "
        + "median of the pairs' differences %.3f ms%n", percentile(paired[1], 50) - percentile(paired[0], 50),
        percentile(differences, 50));
  }

  private static EngineVerticle deploy(Vertx vertx, JsonObject config) throws Exception {
    EngineVerticle engine = new EngineVerticle();
    vertx.deployVerticle(engine, new DeploymentOptions().setConfig(config)).await();
    return engine;
  }

  private static JsonObject config(Path root, int maxConcurrent, String sandbox) throws Exception {
    Path workspace = Files.createDirectories(root.resolve("workspace"));
    return ConfigLoader.withOverrides(new JsonObject()
        .put("sandbox", new JsonObject().put("mode", sandbox))
        .put("workspace", workspace.toString())
        .put("dataDir", root.resolve("data").toString())
        // The submit rate limit (20 per second) would be the figure measured otherwise.
        .put("http", new JsonObject().put("port", 0).put("tcpBridgePort", -1).put("submitRatePerSecond", 1_000_000).put("submitBurst", 1_000_000))
        .put("supervisor", new JsonObject().put("maxConcurrent", maxConcurrent)
            .put("maxRunningPerOwner", maxConcurrent).put("queueCapacity", 1000).put("queuePerOwner", 1000))
        .put("cleanup", new JsonObject().put("retainFinishedMs", 0))
        .put("security", new JsonObject().put("allowedCommands", new JsonArray().add("true")))
        .put("auth", new JsonObject().put("tokens", new JsonArray()
            .add(new JsonObject().put("token", TOKEN).put("principal", "bench").put("role", "admin")))));
  }

  private static double[] rawProcessBuilder() throws Exception {
    double[] samples = new double[RUNS];
    for (int i = -WARMUP; i < RUNS; i++) {
      long start = System.nanoTime();
      Process process = new ProcessBuilder("/bin/true").start();
      process.waitFor();
      process.getInputStream().close();
      process.getErrorStream().close();
      process.getOutputStream().close();
      record(samples, i, start);
    }
    return samples;
  }

  /** Runs on an event loop, as a host application's verticle would drive the client. */
  /**
   * @param measuredCpu its one element is set to the CPU time of this JVM (the engine and its client,
   *     the JIT compiler included) over the measured runs
   */
  private static double[] embedded(Vertx vertx, long[] measuredCpu) throws Exception {
    double[] samples = new double[RUNS];
    CompletableFuture<Void> done = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(start -> EndingClient.subscribe(vertx).onFailure(done::completeExceptionally)
        .onSuccess(client -> submit(-WARMUP, client, samples, done, measuredCpu)));
    done.get(20, TimeUnit.MINUTES);
    measuredCpu[0] = processCpuNanos() - measuredCpu[0];
    return samples;
  }

  private static void submit(int run, EndingClient client, double[] samples, CompletableFuture<Void> done,
                             long[] measuredCpu) {
    if (run == RUNS) {
      done.complete(null);
      return;
    }
    if (run == 0) {
      measuredCpu[0] = processCpuNanos();
    }
    long start = System.nanoTime();
    client.runToEnd()
        .onFailure(done::completeExceptionally)
        .onSuccess(ended -> {
          record(samples, run, start);
          submit(run + 1, client, samples, done, measuredCpu);
        });
  }

  /**
   * The embedded client as the bench drives it, on one context: it runs {@code true} and hears its
   * end on the feed. The end may be heard before the submit's answer; either order completes the run.
   */
  private static final class EndingClient {

    private final IsometryClient client;
    private final Map<String, Promise<Void>> terminal = new HashMap<>();

    private EndingClient(IsometryClient client) {
      this.client = client;
    }

    /** A client subscribed to every process's events; call on its context. */
    static Future<EndingClient> subscribe(Vertx vertx) {
      EndingClient ending = new EndingClient(IsometryClient.trusted(vertx, "host"));
      return ending.client.onProcess(snapshot -> {
        if (snapshot.isTerminal()) {
          ending.terminal.computeIfAbsent(snapshot.id(), id -> Promise.promise()).tryComplete();
        }
      }).completion().map(ending);
    }

    /** Submits {@code true}; completes once its terminal event is heard. */
    Future<Void> runToEnd() {
      return client.submit(Submission.of("true"))
          .compose(submitted -> terminal.computeIfAbsent(submitted.id(), key -> Promise.promise()).future()
              .onComplete(ended -> terminal.remove(submitted.id())));
    }
  }

  /**
   * The feed is read by the JDK's WebSocket client (as the CLI reads it); the submits are made by
   * the Vert.x HTTP client from an event loop, one after another: it is meant to be driven from its
   * context (driven from a plain thread, it was seen to miss the end of a response).
   */
  private static double[] restAndWebSocket(Vertx vertx, int port) throws Exception {
    Map<String, Promise<Void>> terminal = new ConcurrentHashMap<>();
    java.net.http.WebSocket socket = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
        .header("Authorization", "Bearer " + TOKEN)
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/ws"), new TerminalEvents(terminal))
        .get(30, TimeUnit.SECONDS);
    double[] samples = new double[RUNS];
    CompletableFuture<Void> done = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(start -> {
      HttpClient http = vertx.createHttpClient();
      RequestOptions submit = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
          .setURI("/api/v1/processes").putHeader("content-type", "application/json")
          .putHeader("Authorization", "Bearer " + TOKEN);
      Buffer body = Buffer.buffer(new JsonObject().put("command", "true").encode());
      roundTrip(-WARMUP, http, submit, body, terminal, samples, done);
    });
    done.get(20, TimeUnit.MINUTES);
    socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").join();
    return samples;
  }

  /** Completes the promise of each process whose terminal event the feed delivers. */
  private static final class TerminalEvents implements java.net.http.WebSocket.Listener {
    private final Map<String, Promise<Void>> terminal;
    private final StringBuilder partial = new StringBuilder();

    TerminalEvents(Map<String, Promise<Void>> terminal) {
      this.terminal = terminal;
    }

    @Override
    public CompletionStage<?> onText(java.net.http.WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String id = RoundTripFeed.endedProcess(partial.toString());
        partial.setLength(0);
        if (id != null) {
          terminal.computeIfAbsent(id, key -> Promise.promise()).tryComplete();
        }
      }
      socket.request(1);
      return null;
    }
  }

  private static void roundTrip(int run, HttpClient http, RequestOptions submit, Buffer body,
                                Map<String, Promise<Void>> terminal, double[] samples, CompletableFuture<Void> done) {
    if (run == RUNS) {
      done.complete(null);
      return;
    }
    long start = System.nanoTime();
    http.request(submit).compose(request -> request.send(body)).compose(HttpClientResponse::body)
        .compose(reply -> {
          String id = reply.toJsonObject().getString("id");
          return terminal.computeIfAbsent(id, key -> Promise.promise()).future().onComplete(ended -> terminal.remove(id));
        })
        .onFailure(done::completeExceptionally)
        .onSuccess(ended -> {
          record(samples, run, start);
          roundTrip(run + 1, http, submit, body, terminal, samples, done);
        });
  }

  private static double throughput(IsometryClient client, EngineVerticle engine) throws Exception {
    Semaphore inFlight = new Semaphore(500);
    CompletableFuture<Void> all = new CompletableFuture<>();
    java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
    client.onProcess(snapshot -> {
      if (snapshot.isTerminal()) {
        inFlight.release();
        if (finished.incrementAndGet() == THROUGHPUT_RUNS) {
          all.complete(null);
        }
      }
    }).completion().await();
    long start = System.nanoTime();
    for (int i = 0; i < THROUGHPUT_RUNS; i++) {
      inFlight.acquire();
      Future<ProcessSnapshot> submitted = client.submit(Submission.of("true"));
      submitted.onFailure(failure -> {
        System.err.println("submit failed: " + failure.getMessage());
        inFlight.release();
      });
    }
    all.get(120, TimeUnit.SECONDS);
    return THROUGHPUT_RUNS / ((System.nanoTime() - start) / 1e9);
  }

  private static void record(double[] samples, int run, long start) {
    if (run >= 0) {
      samples[run] = (System.nanoTime() - start) / 1e6;
    }
  }

  /** Prints the bare sandbox rows; answers the engine's own sandbox among them (the owner's netns when measured). */
  private static double[] printSandboxRows(Map<String, double[]> sandboxes, double[] owned, double[] raw) {
    double[] full = null;
    for (Map.Entry<String, double[]> row : sandboxes.entrySet()) {
      print(row.getKey(), row.getValue(), raw);
      full = row.getValue();
    }
    if (owned != null) {
      print(OWNER_ROW, owned, raw);
      full = owned;
    }
    return full;
  }

  /** The server jar's cold and warm rows, and their ratio (the target: cold within 1.5x of warm). */
  private static void printColdStart(ColdStart coldStart, String sandbox, double[] raw) {
    if (coldStart == null) {
      System.out.println("(no cold rows: give --jar target/isometry.jar, as scripts/bench-lifecycle does)");
      return;
    }
    print("(e) cold: jar's first " + RUNS + ", " + sandbox, coldStart.cold(), raw);
    print("(e) warm: same, after 4000 more", coldStart.warm(), raw);
    System.out.printf("cold/warm median: %.2fx (the server jar with conf/jvm.options, REST + WebSocket)%n",
        percentile(coldStart.cold(), 50) / percentile(coldStart.warm(), 50));
  }

  private static void print(String name, double[] samples, double[] baseline) {
    double median = percentile(samples, 50);
    double p99 = percentile(samples, 99);
    System.out.printf("%-36s median %6.3f ms  p99 %6.3f ms  (median %.2fx raw, p99 %.2fx raw)%n",
        name, median, p99, median / percentile(baseline, 50), p99 / percentile(baseline, 99));
  }

  private static double percentile(double[] samples, int percent) {
    double[] sorted = samples.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
  }
}
