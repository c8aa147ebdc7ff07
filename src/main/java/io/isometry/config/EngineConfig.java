package io.isometry.config;

import io.isometry.contract.Role;
import io.isometry.contract.SubmitRequest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The engine's configuration, typed and checked. Verticles receive the JSON form as their deploy
 * config and read it back with {@link #from(JsonObject)}, so a host application configures the
 * whole engine with one JSON object.
 */
public record EngineConfig(
    Http http,
    Auth auth,
    Path workspace,
    Path dataDir,
    SupervisorSettings supervisor,
    Limits limits,
    Monitor monitor,
    Cleanup cleanup,
    JournalSettings journal,
    Security security,
    SandboxSettings sandbox,
    String runAs,
    String node,
    Cluster cluster,
    JsonObject json) {

  private static final long MIB = 1024L * 1024L;
  private static final long DAY_MS = 24L * 3600L * 1000L;

  /**
   * @param enabled false: no HTTP server, no bridges, no console and no token (an embedding host that
   *     speaks to the engine only through its client)
   * @param tcpBridgePort the TCP event-bus bridge's port (8077 by default, so clients can be told it once): 0
   *     takes a free one, -1 turns the bridge off
   * @param allowedOrigins origins besides the engine's own whose pages may call the API and open its
   *     sockets (CORS and the WebSocket Origin check); empty: same origin only, CORS off
   * @param submitRatePerSecond submits per second a principal may make over time (token bucket)
   * @param submitBurst submits a principal may make at once
   * @param idleTimeoutMs how long a connection may send and receive nothing before it is closed
   */
  public record Http(boolean enabled, String host, int port, int maxBodyBytes, int tcpBridgePort, List<String> allowedOrigins,
                     int submitRatePerSecond, int submitBurst, long idleTimeoutMs) {
  }

  /** @param tokens the bearer tokens; none: the engine makes one at first start (see docs/surface.md) */
  public record Auth(List<Token> tokens) {
  }

  /** A bearer token and who presents it. */
  public record Token(String token, String principal, Role role) {

    @Override
    public String toString() {
      // Never the token itself: a record's toString ends up in logs and failure messages.
      return "Token[principal=" + principal + ", role=" + role.wire() + "]";
    }
  }

  /**
   * What a principal's name must look like: it names the principal's workspace directory, so no
   * separator, no {@code .} or {@code ..}, nothing a shell or a glob would read twice.
   */
  public static final Pattern PRINCIPAL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_@.+-]{0,63}");


  /**
   * @param maxRunningPerOwner the most slots one owner holds at once; 0 in the file means
   *     {@code max(1, maxConcurrent - 1)}, so that one owner never takes every slot
   * @param queuePerOwner the most requests one owner may have waiting
   * @param outputRetainTotalBytes the most output all finished records together keep on the heap; the
   *     oldest tails leave first (the journal has them)
   * @param reconnectGraceMs how long the foreground processes of a WebSocket that gave a session outlive
   *     its last socket, for a socket of the same principal and session to take them back
   */
  public record SupervisorSettings(int maxConcurrent, int queueCapacity, long defaultTimeoutMs, long gracePeriodMs,
                           long autoBackgroundAfterMs, BackgroundPolicy backgroundPolicy,
                           long backgroundBudgetMs, int outputRetainBytes, int maxRunningPerOwner, int queuePerOwner,
                           long outputRetainTotalBytes, long reconnectGraceMs) {
  }

  /** {@code full}: background processes run to their timeout; {@code limited}: for a budget. */
  public enum BackgroundPolicy { FULL, LIMITED }

  /**
   * @param memoryBytes the most memory a process tree may use (a request may ask for less)
   * @param maxProcesses the most processes a tree may have at once (fork bombs)
   * @param enforcement how limits are enforced: {@code auto} (the strongest the machine gives),
   *     or one mode forced: {@code cgroup}, {@code rlimit}, {@code sampled}
   * @param cpuCores the CPU time a process tree may use, in cores (1.5: one and a half), through the
   *     cgroup cpu controller where the machine has one
   * @param maxTimeoutMs the longest timeout a request may ask for (one operator must not hold a
   *     slot for as long as it likes); {@code supervisor.defaultTimeoutMs} is at most this
   */
  public record Limits(long memoryBytes, long maxProcesses, EnforcementChoice enforcement, double cpuCores, long maxTimeoutMs) {
  }

  /**
   * The sandbox around every child (see docs/confinement.md).
   *
   * @param mode {@code auto}: used when the probe at start works, else children run unconfined with
   *     a warning; {@code required}: no start without it; {@code off}
   * @param network {@code none}: a private loopback only; {@code host}: the host's network
   * @param tmpBytes the size of the sandbox's private {@code /tmp}
   */
  public record SandboxSettings(SandboxMode mode, SandboxNetwork network, long tmpBytes) {
  }

  /** Whether children run in the sandbox. */
  public enum SandboxMode { AUTO, REQUIRED, OFF }

  /** The network a sandboxed child sees. */
  public enum SandboxNetwork { NONE, HOST }

  /** How limits are enforced; {@code AUTO} picks the strongest this machine allows. */
  public enum EnforcementChoice { AUTO, CGROUP, RLIMIT, SAMPLED }

  public record Monitor(long intervalMs) {
  }

  public record Cleanup(long intervalMs, long retainFinishedMs) {
  }

  /**
   * The journal's SQLite database in the data dir (see docs/journal.md).
   *
   * @param synchronous {@code normal}: every commit survives a crash or {@code kill -9} of the engine;
   *     {@code full}: also a power loss or an operating-system crash, for an fsync per commit
   * @param outputRetainBytes the tail of each output stream the journal keeps per process
   * @param retainFinishedMs how long finished records stay in the journal; the cleanup sweep evicts older ones
   * @param busyTimeoutMs how long a write waits when another connection (an operator's sqlite3) holds the lock
   */
  public record JournalSettings(Synchronous synchronous, int outputRetainBytes, long retainFinishedMs, long busyTimeoutMs) {
  }

  /** SQLite's {@code synchronous} setting for the journal. */
  public enum Synchronous { NORMAL, FULL }

  /**
   * @param argumentRuleFiles the operator's security rule files, read after the embedded
   *     {@code conf/security/argument-rules.json} in this order (see docs/security.md)
   * @param maxArguments the most words one command may have
   * @param searchPath where allowed commands are looked up, and the PATH children get: colon-separated
   *     absolute directories, the engine's own configuration rather than the PATH of whoever started it
   */
  public record Security(List<String> allowedCommands, String envPrefix, int maxCommandBytes,
                         List<String> argumentRuleFiles, int maxArguments, String searchPath) {
  }

  /**
   * The cluster this node joins (see docs/cluster.md); Hazelcast is configured from these keys alone.
   *
   * @param enabled off: a node of its own, no Hazelcast
   * @param name the cluster's name: nodes with another name never join this one
   * @param host the address Hazelcast and the clustered event bus bind to and announce
   * @param port Hazelcast's port (no auto-increment: a node is where the others' member lists say it is)
   * @param members the other nodes' {@code host:port} (TCP-IP join; multicast is off), may include this one
   * @param heartbeatMs how often a node tells the others it lives (whole seconds: Hazelcast counts in them)
   * @param maxNoHeartbeatMs how long a silent node stays a member before the others drop it (whole seconds)
   * @param viewTimeoutMs how long a cluster-wide view (list, stats, history) waits for each node
   */
  public record Cluster(boolean enabled, String name, String host, int port, List<String> members, long heartbeatMs,
                        long maxNoHeartbeatMs, long viewTimeoutMs) {
  }

  /**
   * What a node's name must look like: it is in addresses ({@code isometry.node.<node>.…}) and at the
   * end of process ids, so no separator a URL or a shell would read.
   */
  public static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  /** A {@code host:port} in {@code cluster.members}: one port, never a range. */
  private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9_.:\\[\\]-]+:[0-9]{1,5}");

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
    ConfigReader journal = root.section("journal");
    ConfigReader sandbox = root.section("sandbox");
    int maxConcurrent = (int) supervisor.integer("maxConcurrent", 1, 1024);
    long maxTimeoutMs = limits.integer("maxTimeoutMs", 1000, 365 * DAY_MS);
    long defaultTimeoutMs = supervisor.integer("defaultTimeoutMs", 1, 30 * DAY_MS);
    if (defaultTimeoutMs > maxTimeoutMs) {
      throw new ConfigException("supervisor.defaultTimeoutMs",
          "must not be over limits.maxTimeoutMs (" + maxTimeoutMs + "), got " + defaultTimeoutMs);
    }
    return new EngineConfig(
        new Http(http.bool("enabled"), http.string("host"), (int) http.integer("port", 0, 65535),
            (int) http.integer("maxBodyBytes", 1024, 64 * MIB), (int) http.integer("tcpBridgePort", -1, 65535),
            http.strings("allowedOrigins"), (int) http.integer("submitRatePerSecond", 1, 1_000_000),
            (int) http.integer("submitBurst", 1, 1_000_000), http.integer("idleTimeoutMs", 100, DAY_MS)),
        new Auth(TokenEntries.read(json)),
        Path.of(root.string("workspace")),
        Path.of(root.string("dataDir")),
        new SupervisorSettings(
            maxConcurrent,
            (int) supervisor.integer("queueCapacity", 0, 100_000),
            defaultTimeoutMs,
            supervisor.integer("gracePeriodMs", 0, 3_600_000),
            supervisor.integer("autoBackgroundAfterMs", 1, 30 * DAY_MS),
            BackgroundPolicy.valueOf(supervisor.oneOf("backgroundPolicy", Set.of("full", "limited"))
                .toUpperCase(Locale.ROOT)),
            supervisor.integer("backgroundBudgetMs", 1, 30 * DAY_MS),
            (int) supervisor.integer("outputRetainBytes", 0, 256 * MIB),
            maxRunningPerOwner(supervisor, maxConcurrent),
            (int) supervisor.integer("queuePerOwner", 0, 100_000),
            supervisor.integer("outputRetainTotalBytes", 0, 1024 * 1024 * MIB),
            supervisor.integer("reconnectGraceMs", 0, DAY_MS)),
        new Limits(limits.integer("memoryBytes", SubmitRequest.MIN_MEMORY_LIMIT_BYTES, 1024 * 1024 * MIB), limits.integer("maxProcesses", 1, 1_000_000),
            EnforcementChoice.valueOf(limits.oneOf("enforcement", Set.of("auto", "cgroup", "rlimit", "sampled"))
                .toUpperCase(Locale.ROOT)), limits.decimal("cpuCores", 0.01, 1024), maxTimeoutMs),
        new Monitor(root.section("monitor").integer("intervalMs", 100, DAY_MS)),
        new Cleanup(cleanup.integer("intervalMs", 100, DAY_MS), cleanup.integer("retainFinishedMs", 0, 365 * DAY_MS)),
        new JournalSettings(Synchronous.valueOf(journal.oneOf("synchronous", Set.of("normal", "full")).toUpperCase(Locale.ROOT)),
            (int) journal.integer("outputRetainBytes", 0, 256 * MIB), journal.integer("retainFinishedMs", 0, 3650 * DAY_MS),
            journal.integer("busyTimeoutMs", 0, 600_000)),
        new Security(security.strings("allowedCommands"), security.string("envPrefix"),
            (int) security.integer("maxCommandBytes", 16, MIB), security.strings("argumentRuleFiles"),
            (int) security.integer("maxArguments", 1, 65_536), security.searchPath("searchPath")),
        new SandboxSettings(
            SandboxMode.valueOf(sandbox.oneOf("mode", Set.of("auto", "required", "off")).toUpperCase(Locale.ROOT)),
            SandboxNetwork.valueOf(sandbox.oneOf("network", Set.of("none", "host")).toUpperCase(Locale.ROOT)),
            sandbox.integer("tmpBytes", MIB, 64 * 1024 * MIB)),
        root.string("runAs"),
        node(json),
        cluster(root.section("cluster")),
        json.copy());
  }

  /** {@code supervisor.maxRunningPerOwner}: 0 is one slot fewer than all of them (at least one); never more than all. */
  private static int maxRunningPerOwner(ConfigReader supervisor, int maxConcurrent) {
    int configured = (int) supervisor.integer("maxRunningPerOwner", 0, 1024);
    if (configured > maxConcurrent) {
      throw new ConfigException("supervisor.maxRunningPerOwner", "must be at most supervisor.maxConcurrent ("
          + maxConcurrent + "), got " + configured);
    }
    return configured == 0 ? Math.max(1, maxConcurrent - 1) : configured;
  }

  /** {@code node}: empty until the engine names it (see {@code NodeName}), else a valid name. */
  private static String node(JsonObject json) {
    if (!(json.getValue("node") instanceof String node)) {
      throw new ConfigException("node", "must be a string (empty: the host name, plus the cluster port when clustered)");
    }
    if (!node.isEmpty() && !NODE_NAME.matcher(node).matches()) {
      throw new ConfigException("node", "must be 1 to 64 letters, digits or _.- (not first), got '" + node + "'");
    }
    return node;
  }

  private static Cluster cluster(ConfigReader cluster) {
    List<String> members = cluster.strings("members");
    for (int i = 0; i < members.size(); i++) {
      if (!MEMBER.matcher(members.get(i)).matches()) {
        throw new ConfigException("cluster.members[" + i + "]", "must be host:port (one port, no range), got '"
            + members.get(i) + "'");
      }
    }
    return new Cluster(cluster.bool("enabled"), cluster.string("name"), cluster.string("host"),
        (int) cluster.integer("port", 1, 65535), members, cluster.integer("heartbeatMs", 1000, 60_000),
        cluster.integer("maxNoHeartbeatMs", 2000, 3_600_000), cluster.integer("viewTimeoutMs", 100, 60_000));
  }
}
