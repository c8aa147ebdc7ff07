package io.isometry.bench;

import static io.isometry.testing.EngineRest.TERMINAL_STATES;
import io.isometry.cluster.ClusterRig;
import io.isometry.contract.Addresses;
import io.isometry.contract.Caller;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/bench-cluster}: two clustered engines in one JVM on loopback (a and b). The round
 * trip of {@code /bin/true} from a submit made on a to its terminal event heard on a, run on a and
 * run on b, alternately in one run; then the throughput of {@code true} submitted on a with no node
 * named (placement spreads it over both), beside the same with every process on a. The sandbox is
 * off unless {@code --sandbox}: its own spawn time (milliseconds, and noisy) would hide the
 * difference measured. Prints figures, asserts nothing: a benchmark, not a test.
 */
public final class ClusterBench {

  private static final int WARMUP = 600;
  private static final int RUNS = 600;
  private static final int THROUGHPUT_RUNS = 2000;
  private static final int IN_FLIGHT = 16;

  public static void main(String[] args) throws Exception {
    String sandbox = List.of(args).contains("--sandbox") ? "auto" : "off";
    Path root = Files.createTempDirectory("isometry-bench-cluster",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    JsonObject overrides = new JsonObject()
        .put("sandbox", new JsonObject().put("mode", sandbox))
        .put("supervisor", new JsonObject().put("maxConcurrent", 4).put("maxRunningPerOwner", 4)
            .put("queueCapacity", 1000).put("queuePerOwner", 1000))
        .put("cleanup", new JsonObject().put("retainFinishedMs", 0))
        .put("monitor", new JsonObject().put("intervalMs", 500));
    ClusterRig rig = new ClusterRig(2);
    ClusterRig.Node a = rig.start(root.resolve("a"), "a", 0, overrides);
    ClusterRig.Node b = rig.start(root.resolve("b"), "b", 1, overrides);
    try {
      Terminals terminals = new Terminals(a.vertx().eventBus());
      terminals.ready().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      double[][] latencies = alternate(a.vertx(), terminals);
      double onA = throughput(a.vertx(), terminals, "a");
      terminals.placedCounts();
      double placed = throughput(a.vertx(), terminals, null);
      System.out.printf("%nbench-cluster: /bin/true, sandbox %s, %d sequential runs per row after %d warm-up runs, "
          + "2 nodes in one JVM on loopback, %d cores%n", sandbox, RUNS, WARMUP, Runtime.getRuntime().availableProcessors());
      print("submit on a, runs on a (local)", latencies[0]);
      print("submit on a, runs on b (cross-node)", latencies[1]);
      System.out.printf("cross-node - local: median %+.3f ms, p90 %+.3f ms%n",
          percentile(latencies[1], 50) - percentile(latencies[0], 50), percentile(latencies[1], 90) - percentile(latencies[0], 90));
      System.out.printf("throughput, %d x true, %d in flight, maxConcurrent=4 per node: every one on a %.0f/s; "
          + "placed over a and b %.0f/s (%s)%n", THROUGHPUT_RUNS, IN_FLIGHT, onA, placed, terminals.placedCounts());
    } finally {
      b.vertx().close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      a.vertx().close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /** Every terminal event heard on a (a's feed of the whole cluster), by id, and where each ran. */
  private static final class Terminals {
    private final Map<String, Promise<Void>> waiting = new ConcurrentHashMap<>();
    private final Map<String, Integer> placed = new ConcurrentHashMap<>();
    private final Future<Void> ready;

    Terminals(EventBus bus) {
      ready = bus.<JsonObject>consumer(Addresses.EVENT_PROCESS, message -> {
        JsonObject record = message.body().getJsonObject("record");
        if (TERMINAL_STATES.contains(record.getString("state"))) {
          promise(record.getString("id")).tryComplete();
        }
      }).completion();
    }

    Future<Void> ready() {
      return ready;
    }

    Promise<Void> promise(String id) {
      return waiting.computeIfAbsent(id, key -> Promise.promise());
    }

    void ended(String id, String node) {
      waiting.remove(id);
      placed.merge(node, 1, Integer::sum);
    }

    String placedCounts() {
      String counts = placed.toString();
      placed.clear();
      return counts;
    }
  }

  /** Submit to terminal, local and cross-node in turn (so both see the same machine), on a's event loop. */
  private static double[][] alternate(Vertx vertx, Terminals terminals) throws Exception {
    double[][] samples = new double[2][RUNS];
    CompletableFuture<Void> done = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> next(vertx.eventBus(), terminals, -WARMUP * 2, samples, done));
    done.get(10, TimeUnit.MINUTES);
    terminals.placedCounts();
    return samples;
  }

  private static void next(EventBus bus, Terminals terminals, int run, double[][] samples, CompletableFuture<Void> done) {
    if (run == RUNS * 2) {
      done.complete(null);
      return;
    }
    String node = Math.floorMod(run, 2) == 0 ? "a" : "b";
    long start = System.nanoTime();
    submit(bus, terminals, node).onFailure(done::completeExceptionally).onSuccess(ended -> {
      if (run >= 0) {
        samples[Math.floorMod(run, 2)][run / 2] = (System.nanoTime() - start) / 1e6;
      }
      next(bus, terminals, run + 1, samples, done);
    });
  }

  /** Submits {@code true} (on {@code node}, or where placement puts it when null); completes at its terminal event. */
  private static Future<Void> submit(EventBus bus, Terminals terminals, String node) {
    JsonObject body = new JsonObject().put("command", "true");
    if (node != null) {
      body.put("node", node);
    }
    return bus.<JsonObject>request(Addresses.SUBMIT, body, Caller.trustedHost("host").headers())
        .compose(reply -> {
          String id = reply.body().getString("id");
          String ranOn = reply.body().getString("node");
          return terminals.promise(id).future().onComplete(ended -> terminals.ended(id, ranOn));
        });
  }

  private static double throughput(Vertx vertx, Terminals terminals, String node) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    long start = System.nanoTime();
    vertx.getOrCreateContext().runOnContext(v -> {
      int[] started = {0};
      int[] ended = {0};
      Runnable[] more = new Runnable[1];
      more[0] = () -> {
        while (started[0] < THROUGHPUT_RUNS && started[0] - ended[0] < IN_FLIGHT) {
          started[0]++;
          submit(vertx.eventBus(), terminals, node).onFailure(done::completeExceptionally).onSuccess(end -> {
            ended[0]++;
            if (ended[0] == THROUGHPUT_RUNS) {
              done.complete(null);
            } else {
              more[0].run();
            }
          });
        }
      };
      more[0].run();
    });
    done.get(10, TimeUnit.MINUTES);
    return THROUGHPUT_RUNS / ((System.nanoTime() - start) / 1e9);
  }

  private static void print(String label, double[] samples) {
    System.out.printf("%-40s median %7.3f ms  p90 %7.3f ms  p99 %7.3f ms%n", label, percentile(samples, 50),
        percentile(samples, 90), percentile(samples, 99));
  }

  private static double percentile(double[] samples, double percentile) {
    double[] sorted = samples.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(percentile / 100.0 * sorted.length) - 1)];
  }
}
