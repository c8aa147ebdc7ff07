package io.isometry.journal;

import static io.isometry.journal.Records.plan;

import io.isometry.config.ConfigLoader;
import io.isometry.contract.Addresses;
import io.isometry.contract.Timestamps;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code scripts/soak-journal}: durability of the journal under load. A child JVM runs the real
 * {@link JournalVerticle} on a real event bus; concurrent senders (verticles on their own event
 * loops, each with a window of requests in flight, as the supervisor has for its clients) send
 * {@code JOURNAL_ACCEPT} for 10,000 records, print each id once its answer arrives, and publish its
 * {@code running} and {@code succeeded} events. The parent kills the child with SIGKILL halfway, then
 * opens the database and checks every acknowledged id: present exactly once, with transitions in
 * order and none twice. A second run without the kill gives the throughput of the whole 10,000.
 * Prints figures; exits non-zero when anything acknowledged was lost or duplicated.
 */
public final class JournalSoak {

  private static final int COUNT = 10_000;
  private static final int SENDERS = 8;
  private static final int IN_FLIGHT = 32;
  private static final List<String> LIFECYCLE = List.of("queued", "running", "succeeded");

  private JournalSoak() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
      return;
    }
    Path root = Files.createTempDirectory("isometry-soak-journal");
    Result crash = run(root.resolve("crash"), COUNT / 2);
    Result clean = run(root.resolve("clean"), Integer.MAX_VALUE);
    System.out.printf("%nsoak-journal: %d accepts from %d concurrent senders (%d in flight each), "
        + "JournalVerticle on a real event bus, synchronous=normal, %d cores%n",
        COUNT, SENDERS, IN_FLIGHT, Runtime.getRuntime().availableProcessors());
    crash.print("SIGKILL after " + COUNT / 2 + " acks");
    clean.print("no kill");
    boolean sound = crash.lost == 0 && crash.duplicated == 0 && clean.lost == 0 && clean.duplicated == 0
        && clean.acknowledged == COUNT;
    System.out.println(sound ? "soak-journal: OK" : "soak-journal: FAILED");
    System.exit(sound ? 0 : 1);
  }

  /** What one run saw, and what the database holds afterwards. */
  private record Result(int sent, int acknowledged, int found, int lost, int duplicated, int inFlightKept,
                        int exitCode, double perSecond, long p50Micros, long p99Micros) {

    void print(String run) {
      System.out.printf("  %-24s sent %5d  acknowledged %5d  found %5d  lost %d  duplicated %d  "
              + "(unacknowledged but kept: %d)  child exit %d%n", run, sent, acknowledged, found, lost, duplicated,
          inFlightKept, exitCode);
      System.out.printf("  %-24s %.0f accepts/s, ack latency p50 %.2f ms, p99 %.2f ms%n", "", perSecond,
          p50Micros / 1000.0, p99Micros / 1000.0);
    }
  }

  private static Result run(Path dataDir, int killAfter) throws Exception {
    Set<String> sent = new HashSet<>();
    Map<String, Long> latencies = new HashMap<>();
    long lastAckMicros = 0;
    int exit;
    try (ChildJvm child = ChildJvm.start(JournalSoak.class, "child", dataDir.toString(),
        String.valueOf(COUNT), String.valueOf(SENDERS), String.valueOf(IN_FLIGHT))) {
      for (String line = child.readLine(); line != null; line = child.readLine()) {
        String[] words = line.split(" ");
        if (words[0].equals("sent")) {
          sent.add(words[1]);
        } else if (words[0].equals("ack")) {
          if (latencies.put(words[1], Long.parseLong(words[2])) != null) {
            throw new IllegalStateException("acknowledged twice: " + words[1]);
          }
          lastAckMicros = Long.parseLong(words[3]);
          if (latencies.size() == killAfter) {
            child.kill();
          }
        }
      }
      exit = child.waitFor();
    }
    int[] check = check(dataDir, latencies.keySet(), sent);
    List<Long> sorted = new ArrayList<>(latencies.values());
    sorted.sort(null);
    return new Result(sent.size(), latencies.size(), check[0], latencies.size() - check[0], check[1], check[2], exit,
        latencies.size() / (lastAckMicros / 1e6), percentile(sorted, 0.50), percentile(sorted, 0.99));
  }

  /** Found, duplicated, and kept without an acknowledgement (in flight at the kill: allowed either way). */
  private static int[] check(Path dataDir, Set<String> acknowledged, Set<String> sent) throws Exception {
    // Opening through the journal replays the WAL the killed child left, as the next engine start would.
    Journal.open(dataDir, Records.settings()).close();
    int found = 0;
    int duplicated = 0;
    int kept = 0;
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Journal.FILE_NAME));
         PreparedStatement records = connection.prepareStatement("SELECT COUNT(*) FROM processes WHERE id = ?");
         PreparedStatement transitions = connection.prepareStatement(
             "SELECT state FROM transitions WHERE id = ? ORDER BY seq")) {
      for (String id : sent) {
        records.setString(1, id);
        int rows;
        try (ResultSet result = records.executeQuery()) {
          result.next();
          rows = result.getInt(1);
        }
        List<String> states = new ArrayList<>();
        transitions.setString(1, id);
        try (ResultSet result = transitions.executeQuery()) {
          while (result.next()) {
            states.add(result.getString(1));
          }
        }
        boolean inOrder = !states.isEmpty() && LIFECYCLE.subList(0, Math.min(states.size(), 3)).equals(states);
        if (acknowledged.contains(id)) {
          found += rows >= 1 ? 1 : 0;
          duplicated += rows > 1 || (rows == 1 && !inOrder) ? 1 : 0;
        } else if (rows > 0) {
          kept++;
        }
      }
    }
    return new int[] {found, duplicated, kept};
  }

  private static long percentile(List<Long> sorted, double fraction) {
    return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(fraction * sorted.size())));
  }

  // ---- the child JVM --------------------------------------------------------------------------

  private static void child(Path dataDir, int count, int senders, int inFlight) throws Exception {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    Vertx vertx = Vertx.vertx();
    JsonObject config = ConfigLoader.withOverrides(new JsonObject().put("dataDir", dataDir.toString()).put("node", "soak"));
    vertx.deployVerticle(new JournalVerticle(), new DeploymentOptions().setConfig(config)).await();
    CountDownLatch finished = new CountDownLatch(senders);
    long start = System.nanoTime();
    for (int s = 0; s < senders; s++) {
      vertx.deployVerticle(new Sender(s, count / senders, inFlight, out, finished, start)).await();
    }
    finished.await();
    vertx.close().await();
  }

  /** Sends its share of accepts with a window in flight, like the supervisor answering many clients. */
  private static final class Sender extends VerticleBase {

    private final int index;
    private final int total;
    private final int window;
    private final PrintStream out;
    private final CountDownLatch finished;
    private final long start;
    private int next;
    private int answered;

    Sender(int index, int total, int window, PrintStream out, CountDownLatch finished, long start) {
      this.index = index;
      this.total = total;
      this.window = window;
      this.out = out;
      this.finished = finished;
      this.start = start;
    }

    @Override
    public Future<?> start() {
      for (int i = 0; i < window; i++) {
        sendNext();
      }
      return Future.succeededFuture();
    }

    private void sendNext() {
      if (next == total) {
        return;
      }
      String id = "p-" + index + "-" + next++;
      JsonObject record = new JsonObject().put("id", id).put("node", "soak").put("owner", "soak-" + index)
          .put("command", "echo " + id).put("argv", new JsonArray().add("/usr/bin/echo").add(id)).put("cwd", ".")
          .put("state", "queued").put("background", false).put("createdAt", Timestamps.format(Instant.now()))
          .put("label", "soak");
      line("sent " + id);
      long sentAt = System.nanoTime();
      vertx.eventBus().<JsonObject>request(Addresses.JOURNAL_ACCEPT,
              new JsonObject().put("record", record).put("plan", plan("echo " + id)))
          .onSuccess(answer -> {
            long now = System.nanoTime();
            line("ack " + id + " " + (now - sentAt) / 1000 + " " + (now - start) / 1000);
            publish(record.put("state", "running").put("pid", 1000 + next));
            publish(record.copy().put("state", "succeeded").put("reason", "exit").put("exitCode", 0)
                .put("endedAt", Timestamps.format(Instant.now())));
            if (++answered == total) {
              finished.countDown();
            }
            sendNext();
          })
          .onFailure(failure -> line("failed " + id + " " + failure.getMessage()));
    }

    private void publish(JsonObject record) {
      vertx.eventBus().publish(Addresses.EVENT_PROCESS, new JsonObject().put("type", "process").put("record", record));
    }

    private void line(String text) {
      synchronized (out) {
        out.println(text);
        out.flush();
      }
    }
  }
}
