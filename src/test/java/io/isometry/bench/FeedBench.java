package io.isometry.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code scripts/bench-feed}: N WebSocket clients on loopback, each subscribed to every process's
 * output, while 8 processes (maxConcurrent 8) print time-stamped lines. Delivery latency is the time
 * from the stamp (taken by the child as it writes the line, or by the engine as it changes a record's
 * state) to the frame's arrival at a client; every line and every lifecycle event at every client is
 * one sample. Each scale runs a warm-up round first (the engine is a fresh JVM: its first seconds
 * are spent compiling) and then the measured round, both printed. The engine runs as a process of
 * its own, so its RSS and CPU time are its own. Prints figures, asserts nothing.
 */
public final class FeedBench {

  private static final String TOKEN = "bench-feed-token-0123456789";
  private static final int PROCESSES = 8;
  private static final int LINES = Integer.getInteger("bench.lines", 500);
  private static final int WARM_UP_LINES = Integer.getInteger("bench.warmUpLines", 150);
  private static final int LINE_INTERVAL_MS = Integer.getInteger("bench.intervalMs", 20);
  /** {@code -Dbench.batch=true}: the clients ask for events in batches (one frame per 10 ms window). */
  private static final boolean BATCH = Boolean.getBoolean("bench.batch");
  /** Histogram buckets of 100 µs, up to 10 s. */
  private static final int BUCKETS = 100_000;
  private static final long BUCKET_NANOS = 100_000;
  /** The bench's own event loops, which its clients share. */
  private static final int EVENT_LOOPS = 2;
  private static final String DATA_FIELD = "\"data\":\"";
  private static final long CLOCK_TICKS_PER_SECOND = 100;

  private FeedBench() {
  }

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "target/isometry.jar");
    int[] scales = {100, 1000};
    System.out.printf("bench-feed: %d processes × %d lines every %d ms (%.0f output events/s), %d cores, %s%n",
        PROCESSES, LINES, LINE_INTERVAL_MS, PROCESSES * 1000.0 / LINE_INTERVAL_MS,
        Runtime.getRuntime().availableProcessors(), BATCH ? "events in batches (10 ms)" : "one frame per event");
    for (int clients : scales) {
      run(jar, clients);
    }
  }

  private static void run(Path jar, int clients) throws Exception {
    Path root = Files.createTempDirectory("isometry-bench-feed",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Path workspace = Files.createDirectories(root.resolve("workspace"));
    Files.writeString(workspace.resolve("stamps.py"), String.join("\n",
        "import sys, time",
        "for i in range(int(sys.argv[1])):",
        "    sys.stdout.write('%d %d\\n' % (i, time.time_ns()))",
        "    sys.stdout.flush()",
        "    time.sleep(" + LINE_INTERVAL_MS / 1000.0 + ")",
        ""));
    int port = freePort();
    Process engine = startEngine(jar, root, workspace, port);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS));
    try {
      awaitHealthy(vertx, port);
      Receiver receiver = new Receiver();
      List<WebSocket> sockets = connect(vertx, port, clients, receiver);
      HttpClient http = vertx.createHttpClient();
      System.out.printf("%n%d clients%n", clients);
      round(http, port, engine, clients, receiver, "warm-up", WARM_UP_LINES);
      round(http, port, engine, clients, receiver, "measured", LINES);
      sockets.forEach(WebSocket::close);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      engine.destroy();
      engine.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Runs 8 processes of {@code lines} lines each while every client listens, then prints what arrived. */
  private static void round(HttpClient http, int port, Process engine, int clients, Receiver receiver, String name,
                            int lines) throws InterruptedException {
    Round round = new Round();
    receiver.round = round;
    RssSampler rss = new RssSampler(engine.pid());
    rss.start();
    long engineTicks = cpuTicks(engine.pid());
    long benchNanos = ownCpuNanos();
    long started = System.nanoTime();
    for (int i = 0; i < PROCESSES; i++) {
      submit(http, port, lines);
    }
    long expectedEnds = (long) clients * PROCESSES;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (round.ended.get() < expectedEnds && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    double engineCpu = (cpuTicks(engine.pid()) - engineTicks) / (double) CLOCK_TICKS_PER_SECOND;
    double benchCpu = (ownCpuNanos() - benchNanos) / 1e9;
    rss.stop();
    long expectedLines = (long) clients * PROCESSES * lines;
    System.out.printf("  %s round: %.1f s, %d of %d output lines and %d of %d terminal events delivered%n",
        name, seconds, round.output.count(), expectedLines, round.ended.get(), expectedEnds);
    System.out.printf("    output    latency  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  (%d samples)%n",
        round.output.percentile(0.50), round.output.percentile(0.99), round.output.max(), round.output.count());
    System.out.printf("    lifecycle latency  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  (%d samples, ms stamps)%n",
        round.lifecycle.percentile(0.50), round.lifecycle.percentile(0.99), round.lifecycle.max(),
        round.lifecycle.count());
    System.out.printf("    engine RSS before %s, peak %s; CPU engine %.0f%% of a core, clients %.0f%%, %d frames%n",
        mib(rss.first()), mib(rss.peak()), 100 * engineCpu / seconds, 100 * benchCpu / seconds,
        round.frames.get());
  }

  private static Process startEngine(Path jar, Path root, Path workspace, int port) throws IOException {
    ProcessBuilder builder = new ProcessBuilder("java", "-Xmx512m", "-jar", jar.toString())
        .redirectErrorStream(true)
        .redirectOutput(root.resolve("engine.log").toFile());
    // python3 is looked up on the default security.searchPath: the system's, which nobody can run.
    builder.environment().put("ISOMETRY_HTTP_PORT", Integer.toString(port));
    builder.environment().put("ISOMETRY_HTTP_TCPBRIDGEPORT", "-1");
    builder.environment().put("ISOMETRY_WORKSPACE", workspace.toString());
    builder.environment().put("ISOMETRY_DATADIR", root.resolve("data").toString());
    builder.environment().put("ISOMETRY_SUPERVISOR_MAXCONCURRENT", Integer.toString(PROCESSES));
    builder.environment().put("ISOMETRY_SUPERVISOR_MAXRUNNINGPEROWNER", Integer.toString(PROCESSES));
    builder.environment().put("ISOMETRY_AUTH_TOKENS", new JsonArray().add(new JsonObject()
        .put("token", TOKEN).put("principal", "bench").put("role", "admin")).encode());
    return builder.start();
  }

  /**
   * Connects the clients, spread over the bench's event loops: connected from one thread, Vert.x
   * would put every socket on one event loop, and the bench's own queue would be measured.
   */
  private static List<WebSocket> connect(Vertx vertx, int port, int clients, Receiver receiver)
      throws InterruptedException {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(clients * 2));
    List<Context> loops = new ArrayList<>();
    for (int i = 0; i < EVENT_LOOPS; i++) {
      // Each deployment is given the next event loop: its context is where half the clients live.
      vertx.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> start() {
          loops.add(context);
          return Future.succeededFuture();
        }
      }).await();
    }
    List<WebSocket> sockets = new ArrayList<>();
    receiver.subscribed = new CountDownLatch(clients);
    for (int i = 0; i < clients; i++) {
      Promise<WebSocket> connected = Promise.promise();
      loops.get(i % EVENT_LOOPS).runOnContext(v -> client.connect(new WebSocketConnectOptions()
              .setHost("127.0.0.1").setPort(port).setURI("/api/v1/ws").addHeader("Authorization", "Bearer " + TOKEN))
          .onComplete(connected));
      WebSocket socket = connected.future().await();
      socket.textMessageHandler(receiver::frame);
      if (BATCH) {
        socket.writeTextMessage(new JsonObject().put("type", "batch").encode());
      }
      socket.writeTextMessage(new JsonObject().put("type", "subscribe").put("output", new JsonArray().add("*"))
          .encode());
      sockets.add(socket);
    }
    if (!receiver.subscribed.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not every client subscribed");
    }
    return sockets;
  }

  private static void submit(HttpClient http, int port, int lines) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI("/api/v1/processes").putHeader("Authorization", "Bearer " + TOKEN);
    int status = http.request(options)
        .compose(request -> request.send(Buffer.buffer(new JsonObject().put("command", "python3 stamps.py " + lines)
            .put("timeoutMs", 300_000).encode())))
        .map(response -> response.statusCode()).await();
    if (status != 202) {
      throw new IllegalStateException("submit answered " + status);
    }
  }

  private static void awaitHealthy(Vertx vertx, int port) throws InterruptedException {
    HttpClient http = vertx.createHttpClient();
    for (int i = 0; i < 300; i++) {
      Future<Integer> status = http.request(HttpMethod.GET, port, "127.0.0.1", "/health")
          .compose(request -> request.send()).map(response -> response.statusCode());
      try {
        if (status.await() == 200) {
          return;
        }
      } catch (Exception notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("the engine did not start; see its log in the bench's temporary directory");
  }

  private static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String mib(long bytes) {
    return String.format("%.0f MiB", bytes / 1024.0 / 1024.0);
  }

  /** utime + stime of a process, in clock ticks, from {@code /proc/<pid>/stat}. */
  private static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException gone) {
      return 0;
    }
  }

  private static long ownCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The figures of one round. */
  private static final class Round {
    final Samples output = new Samples();
    final Samples lifecycle = new Samples();
    final AtomicLong ended = new AtomicLong();
    final AtomicLong frames = new AtomicLong();
  }

  /**
   * Reads the frames of every client into the current round. Output frames, nearly all of them, are
   * read without a JSON parser: the bench measures the engine, and a thousand clients sharing its two
   * cores must cost it as little as they can. Lifecycle events and batches are parsed.
   */
  private static final class Receiver {
    volatile Round round = new Round();
    volatile CountDownLatch subscribed;

    void frame(String text) {
      long now = epochNanos();
      Round current = round;
      current.frames.incrementAndGet();
      if (text.startsWith("{\"type\":\"output\"")) {
        outputLines(text, now, current);
      } else {
        event(new JsonObject(text), now, current);
      }
    }

    private void event(JsonObject frame, long now, Round current) {
      switch (frame.getString("type")) {
        case "ack" -> {
          if (frame.containsKey("output")) {
            subscribed.countDown();
          }
        }
        case "batch" -> frame.getJsonArray("events").forEach(event -> {
          JsonObject one = (JsonObject) event;
          if ("output".equals(one.getString("type"))) {
            stamps(one.getString("data"), 0, one.getString("data").length(), now, current);
          } else {
            event(one, now, current);
          }
        });
        case "process" -> {
          JsonObject record = frame.getJsonObject("record");
          String stamp = switch (record.getString("state")) {
            case "queued" -> record.getString("createdAt");
            case "running" -> record.getString("startedAt");
            default -> record.getString("endedAt");
          };
          if (stamp != null) {
            Instant at = Instant.parse(stamp);
            current.lifecycle.add(now - (at.getEpochSecond() * 1_000_000_000L + at.getNano()));
          }
          if (record.getString("endedAt") != null) {
            current.ended.incrementAndGet();
          }
        }
        default -> {
        }
      }
    }

    /** The data of an output frame is lines of "{@code i stamp}", JSON-escaped: {@code \n} between them. */
    private static void outputLines(String frame, long now, Round current) {
      int start = frame.indexOf(DATA_FIELD);
      if (start < 0) {
        throw new IllegalStateException("an output frame without data: " + frame);
      }
      start += DATA_FIELD.length();
      stamps(frame, start, frame.indexOf('"', start), now, current);
    }

    /** Reads the stamp at the end of each line in {@code text[from, to)}; lines end in "\n" or "\\n". */
    private static void stamps(String text, int from, int to, long now, Round current) {
      int line = from;
      while (line < to) {
        int space = text.indexOf(' ', line);
        if (space < 0 || space >= to) {
          return;
        }
        long stamp = 0;
        int at = space + 1;
        while (at < to && Character.isDigit(text.charAt(at))) {
          stamp = stamp * 10 + (text.charAt(at) - '0');
          at++;
        }
        current.output.add(now - stamp);
        while (at < to && !Character.isDigit(text.charAt(at))) {
          at++;
        }
        line = at;
      }
    }
  }

  /** A latency histogram shared by every client's event loop. */
  private static final class Samples {
    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong max = new AtomicLong();

    void add(long nanos) {
      long clamped = Math.max(0, nanos);
      buckets.incrementAndGet((int) Math.min(BUCKETS - 1, clamped / BUCKET_NANOS));
      count.incrementAndGet();
      max.accumulateAndGet(clamped, Math::max);
    }

    long count() {
      return count.get();
    }

    double max() {
      return max.get() / 1e6;
    }

    double percentile(double p) {
      long rank = (long) Math.ceil(p * count.get());
      long seen = 0;
      for (int i = 0; i < BUCKETS; i++) {
        seen += buckets.get(i);
        if (seen >= rank && rank > 0) {
          return (i + 1) * BUCKET_NANOS / 1e6;
        }
      }
      return Double.NaN;
    }
  }

  /** The engine's resident set, from /proc, every 100 ms. */
  private static final class RssSampler {
    private final long pid;
    private final AtomicLong peak = new AtomicLong();
    private volatile long first = -1;
    private volatile boolean running = true;
    private Thread thread;

    RssSampler(long pid) {
      this.pid = pid;
    }

    void start() {
      thread = new Thread(() -> {
        while (running) {
          long rss = rss(pid);
          if (first < 0) {
            first = rss;
          }
          peak.accumulateAndGet(rss, Math::max);
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "rss-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }

    long first() {
      return first;
    }

    long peak() {
      return peak.get();
    }

    static long rss(long pid) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
          }
        }
      } catch (IOException gone) {
        return 0;
      }
      return 0;
    }
  }
}
