package io.isometry.bench;

import io.isometry.config.ConfigLoader;
import io.isometry.config.EngineConfig;
import io.isometry.contract.SubmitRequest;
import io.isometry.validation.ExecutionPlan;
import io.isometry.validation.SecurityPolicy;
import io.isometry.validation.ValidationResult;
import io.isometry.validation.Violation;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The security policy's latency (SampleTime, so JMH prints percentiles), on a real workspace with
 * the default configuration: typical notebook commands (allowed; each canonicalises its working
 * directory and the files it names, and stats its executable) and an 8 KB hostile command
 * (operators, traversals, refused options: refused with the full set of violations).
 * {@code scripts/bench-validation} runs it. Target: p99 at most 50 µs for the typical commands.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx512m"})
public class ValidationBench {

  /** Steps of {@link #baselineArithmetic}: about 20 µs on the 2-core machine the figures come from. */
  private static final int BASELINE_STEPS = 12_000;

  private Path temp;
  private SecurityPolicy policy;
  private SubmitRequest list;
  private SubmitRequest grep;
  private SubmitRequest pipeline;
  private SubmitRequest hostile;
  private ExecutionPlan grepPlan;

  @Setup
  public void setUp() throws IOException {
    temp = Files.createTempDirectory("isometry-bench");
    Path root = Files.createDirectories(temp.resolve("workspace"));
    Files.createDirectories(root.resolve("src/main"));
    Files.writeString(root.resolve("data.csv"), "a,1\nb,2\n");
    Files.createSymbolicLink(root.resolve("escape"), temp);
    policy = SecurityPolicy.create(EngineConfig.from(ConfigLoader.withOverrides(
        new JsonObject().put("workspace", root.toString()))));
    list = request(new JsonObject().put("command", "ls -la src"));
    grep = request(new JsonObject().put("command", "grep -rn 'TODO' src").put("cwd", "src"));
    pipeline = request(new JsonObject().put("command", "awk -F, '{ sum += $2 } END { print sum }' data.csv")
        .put("env", new JsonObject().put("ISOMETRY_MODE", "fast")));
    StringBuilder attack = new StringBuilder("tar -cIsh --to-comm=id -f host:x ");
    String[] pieces = {"../../etc/passwd ", "$(id) ", "; ", "%2e%2e%2f ", "escape/x ", "`id` ", "-P ", "/proc/self "};
    for (int i = 0; attack.length() < 8000; i++) {
      attack.append(pieces[i % pieces.length]);
    }
    hostile = request(new JsonObject().put("command", attack.substring(0, 8000)));
    if (!policy.validate(list).allowed() || !policy.validate(grep).allowed() || !policy.validate(pipeline).allowed()
        || policy.validate(hostile).allowed()) {
      throw new IllegalStateException("the benchmark's commands are not judged as expected");
    }
    grepPlan = policy.validate(grep).plan();
  }

  @TearDown
  public void tearDown() throws IOException {
    try (Stream<Path> paths = Files.walk(temp)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  @Benchmark
  public ValidationResult typicalLs() {
    return policy.validate(list);
  }

  @Benchmark
  public ValidationResult typicalGrep() {
    return policy.validate(grep);
  }

  @Benchmark
  public ValidationResult typicalAwkWithEnvironment() {
    return policy.validate(pipeline);
  }

  /** What the supervisor pays to judge a queued plan again as it leaves the queue. */
  @Benchmark
  public List<Violation> recheckGrepPlan() {
    return policy.recheck(grepPlan);
  }

  /**
   * No validation: arithmetic that takes about as long as a typical one (~20 µs here), touching
   * neither memory nor the kernel. Its p99 is what this machine's scheduling adds to any work of
   * that length (on a 2-core VM, about twice its p50): the baseline for the validator's tail.
   */
  @Benchmark
  public long baselineArithmetic() {
    long x = 0;
    for (int i = 0; i < BASELINE_STEPS; i++) {
      x += (x ^ i) * 31 + (i >>> 3);
    }
    return x;
  }

  @Benchmark
  public ValidationResult hostile8k() {
    return policy.validate(hostile);
  }

  private static SubmitRequest request(JsonObject body) {
    return SubmitRequest.fromJson(body);
  }
}
