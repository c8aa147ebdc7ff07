package io.isometry.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * The cold rows of {@code scripts/bench-lifecycle}: the server jar started with conf/jvm.options, as
 * {@code scripts/run} and the systemd unit start it, then the REST + WebSocket round trip of its first
 * {@code runs} commands (no warm-up: what the first user of a fresh engine sees), then the same after
 * {@value #WARMING_RUNS} more, in the same engine. The client is warmed first on an engine of its own,
 * thrown away: what is cold is the engine, not the bench's HTTP client.
 */
record ColdStart(double[] cold, double[] warm) {

  private static final int WARMING_RUNS = 4_000;
  private static final int IN_FLIGHT = 8;

  static ColdStart measure(Path jar, Path home, String sandboxMode, int runs) throws Exception {
    List<String> options = ServerJar.argumentFile(Path.of("conf/jvm.options"));
    try (ServerJar clientWarmUp = ServerJar.start(jar, home.resolve("client-warm-up"), options, sandboxMode, 3);
         RoundTripFeed feed = clientWarmUp.feed()) {
      feed.roundTrips(runs * 3);
    }
    try (ServerJar engine = ServerJar.start(jar, home.resolve("measured"), options, sandboxMode, 3);
         RoundTripFeed feed = engine.feed()) {
      double[] cold = feed.roundTrips(runs);
      feed.load(WARMING_RUNS, IN_FLIGHT);
      return new ColdStart(cold, feed.roundTrips(runs));
    }
  }
}
