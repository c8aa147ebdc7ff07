package io.isometry.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The engine's configuration, typed and checked. Verticles receive the JSON form as their deploy
 * config and read it back with {@link #from(JsonObject)}, so a host application configures the
 * whole engine with one JSON object.
 */
public record EngineConfig(
    Http http,
    Path workspace,
    Path dataDir,
    Supervisor supervisor,
    Limits limits,
    Monitor monitor,
    Cleanup cleanup,
    Security security,
    String runAs,
    JsonObject json) {

  private static final long MIB = 1024L * 1024L;
  private static final long DAY_MS = 24L * 3600L * 1000L;

  public record Http(String host, int port, int maxBodyBytes) {
  }

  public record Supervisor(int maxConcurrent, int queueCapacity, long defaultTimeoutMs, long gracePeriodMs,
                           long autoBackgroundAfterMs, BackgroundPolicy backgroundPolicy,
                           long backgroundBudgetMs, int outputRetainBytes) {
  }

  /** {@code full}: background processes run to their timeout; {@code limited}: for a budget. */
  public enum BackgroundPolicy { FULL, LIMITED }

  /**
   * @param memoryBytes the most memory a process tree may use (a request may ask for less)
   * @param maxProcesses the most processes a tree may have at once (fork bombs)
   * @param enforcement how limits are enforced: {@code auto} (the strongest the machine gives),
   *     or one mode forced: {@code cgroup}, {@code rlimit}, {@code sampled}
   */
  public record Limits(long memoryBytes, long maxProcesses, Enforcement enforcement) {
  }

  /** How limits are enforced; {@code AUTO} picks the strongest this machine allows. */
  public enum Enforcement { AUTO, CGROUP, RLIMIT, SAMPLED }

  public record Monitor(long intervalMs) {
  }

  public record Cleanup(long intervalMs, long retainFinishedMs) {
  }

  public record Security(List<String> allowedCommands, String envPrefix, int maxCommandBytes) {
  }

  /** The embedded defaults. */
  public static EngineConfig defaults() {
    return from(ConfigLoader.defaults());
  }

  /**
   * Reads a complete configuration tree (as {@link ConfigLoader} builds it).
   *
   * @throws ConfigException naming the first key that is wrong
   */
  public static EngineConfig from(JsonObject json) {
    ConfigReader root = new ConfigReader(json, "");
    ConfigReader http = root.section("http");
    ConfigReader supervisor = root.section("supervisor");
    ConfigReader cleanup = root.section("cleanup");
    ConfigReader security = root.section("security");
    ConfigReader limits = root.section("limits");
    return new EngineConfig(
        new Http(http.string("host"), (int) http.integer("port", 0, 65535),
            (int) http.integer("maxBodyBytes", 1024, 64 * MIB)),
        Path.of(root.string("workspace")),
        Path.of(root.string("dataDir")),
        new Supervisor(
            (int) supervisor.integer("maxConcurrent", 1, 1024),
            (int) supervisor.integer("queueCapacity", 0, 100_000),
            supervisor.integer("defaultTimeoutMs", 1, 30 * DAY_MS),
            supervisor.integer("gracePeriodMs", 0, 3_600_000),
            supervisor.integer("autoBackgroundAfterMs", 1, 30 * DAY_MS),
            BackgroundPolicy.valueOf(supervisor.oneOf("backgroundPolicy", Set.of("full", "limited"))
                .toUpperCase(Locale.ROOT)),
            supervisor.integer("backgroundBudgetMs", 1, 30 * DAY_MS),
            (int) supervisor.integer("outputRetainBytes", 0, 256 * MIB)),
        new Limits(limits.integer("memoryBytes", MIB, 1024 * 1024 * MIB), limits.integer("maxProcesses", 1, 1_000_000),
            Enforcement.valueOf(limits.oneOf("enforcement", Set.of("auto", "cgroup", "rlimit", "sampled"))
                .toUpperCase(Locale.ROOT))),
        new Monitor(root.section("monitor").integer("intervalMs", 100, DAY_MS)),
        new Cleanup(cleanup.integer("intervalMs", 100, DAY_MS), cleanup.integer("retainFinishedMs", 0, 365 * DAY_MS)),
        new Security(security.strings("allowedCommands"), security.string("envPrefix"),
            (int) security.integer("maxCommandBytes", 16, MIB)),
        root.string("runAs"),
        json.copy());
  }
}
