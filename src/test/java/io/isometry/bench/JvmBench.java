package io.isometry.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  private static final int ROUND_TRIPS = 500;
  private static final int LOAD_RUNS = 10_000;
  private static final int IN_FLIGHT = 8;
  private static final long SETTLE_MS = 5_000;

  /** One way to start the JVM. */
  private record Options(String name, List<String> jvm) {
  }

  private record Figures(double startSeconds, long idleKib, double[] cold, double perSecond, double[] warm,
                         long afterKib) {
  }

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "target/isometry.jar").toAbsolutePath();
    Path root = Files.createTempDirectory("isometry-bench-jvm",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Path archive = root.resolve("isometry.jsa");
    List<String> chosen = ServerJar.argumentFile(Path.of("conf/jvm.options"));
    List<String> serial = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx128m", "-XX:MinHeapFreeRatio=10",
        "-XX:MaxHeapFreeRatio=30", "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=64m", "-Xss512k");
    List<Options> sets = List.of(
        new Options("JVM defaults (G1, heap up to 1/4 of RAM)", List.of()),
        new Options("G1, -Xmx128m, periodic uncommit", List.of("-Xms8m", "-Xmx128m",
            "-XX:G1PeriodicGCInterval=5000", "-XX:ReservedCodeCacheSize=64m", "-Xss512k")),
        new Options("SerialGC, -Xmx128m, shrinking heap", serial),
        new Options("the same + C1 only", with(serial, "-XX:TieredStopAtLevel=1")),
        new Options("conf/jvm.options (the same + C1 only, compiling early)", chosen),
        new Options("conf/jvm.options + AppCDS archive", with(chosen, "-XX:SharedArchiveFile=" + archive)));
    // The archive is what a first run leaves at its exit (JDK 17: -XX:ArchiveClassesAtExit).
    measure(jar, root.resolve("training"), new Options("training", with(chosen, "-XX:ArchiveClassesAtExit=" + archive)),
        1_000);
    Map<String, Figures> figures = new LinkedHashMap<>();
    for (Options options : sets) {
      figures.put(options.name(), measure(jar, root.resolve("run-" + figures.size()), options, LOAD_RUNS));
    }
    System.out.printf("%nbench-jvm: %s, sandbox off, %d cores; round trip = REST submit of /bin/true to its "
            + "terminal event on the WebSocket feed%n", jar.getFileName(), Runtime.getRuntime().availableProcessors());
    System.out.printf("%-52s %7s %9s %10s %10s %10s %8s %10s%n", "options", "start", "idle RSS",
        "cold p50", "warm p50", "cold/warm", "runs/s", "RSS after");
    for (Map.Entry<String, Figures> row : figures.entrySet()) {
      Figures f = row.getValue();
      System.out.printf("%-52s %6.2fs %7.0f MB %7.3f ms %7.3f ms %9.2fx %8.0f %7.0f MB%n", row.getKey(),
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
    try (ServerJar engine = ServerJar.start(jar, home, options.jvm(), "off", IN_FLIGHT)) {
      Thread.sleep(SETTLE_MS);
      long idle = engine.residentKib();
      double[] cold;
      double perSecond;
      double[] warm;
      try (RoundTripFeed feed = engine.feed()) {
        cold = feed.roundTrips(ROUND_TRIPS);
        perSecond = feed.load(loadRuns, IN_FLIGHT * 2);
        warm = feed.roundTrips(ROUND_TRIPS);
      }
      Thread.sleep(SETTLE_MS);
      return new Figures(engine.startSeconds(), idle, cold, perSecond, warm, engine.residentKib());
    }
  }

  static double percentile(double[] samples, int percent) {
    double[] sorted = samples.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
  }
}
