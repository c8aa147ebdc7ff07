package io.isometry.supervisor;

import io.isometry.config.EngineConfig;
import io.isometry.os.CgroupHierarchies;
import io.isometry.os.CgroupV1;
import io.isometry.os.CgroupV2;
import io.isometry.os.Cgroups;
import io.isometry.os.HybridCgroups;
import io.isometry.os.Identity;
import io.isometry.os.SpawnerThread;
import io.isometry.sandbox.Confinement;
import io.isometry.sandbox.SandboxProbe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this machine lets the engine enforce, found once at start and stated plainly: the memory and
 * process limits (cgroup v1, else cgroup v2, else an rlimit set before exec by util-linux
 * {@code prlimit}, else only the monitor's sampling), which hierarchy serves the tree kill, freezing
 * and placement (on a hybrid machine, v1 for the limits and the unified hierarchy for the rest), and
 * who children run as (an unprivileged user with no_new_privs when the engine is root). Never a
 * silent pretence: {@link #describe()} says what is in force and why.
 */
final class Enforcement {

  private static final Logger LOG = LoggerFactory.getLogger(Enforcement.class);
  private static final List<String> PRLIMIT = List.of("/usr/bin/prlimit", "/bin/prlimit");

  /** The memory/process-limit mechanism in force. */
  enum Mode {
    CGROUP_V1("cgroup-v1"), CGROUP_V2("cgroup-v2"), RLIMIT("rlimit"), SAMPLED("sampled");

    final String wire;

    Mode(String wire) {
      this.wire = wire;
    }
  }

  final Mode mode;
  final Cgroups cgroups;
  final String prlimit;
  final Identity runAs;
  final boolean root;
  final SpawnerThread spawner;
  final Confinement confinement;
  private final CgroupHierarchies hierarchies;
  private final String why;

  private Enforcement(Mode mode, Cgroups cgroups, String prlimit, Host host, String why) {
    this.mode = mode;
    this.cgroups = cgroups;
    this.prlimit = prlimit;
    this.runAs = host.runAs;
    this.root = host.root;
    this.hierarchies = host.hierarchies;
    this.spawner = host.spawner;
    this.confinement = host.confinement;
    this.why = why;
  }

  /** What every mode shares: who children run as, the thread that spawns them, the sandbox. */
  private record Host(Identity runAs, boolean root, CgroupHierarchies hierarchies, SpawnerThread spawner,
                      Confinement confinement) {
  }

  /**
   * Finds the strongest enforcement allowed (or the one the config forces) and the sandbox children
   * run in. Blocking.
   *
   * @param scope the name of this engine's cgroup parent, so that engines never see each other's jobs
   */
  static Enforcement detect(EngineConfig config, String scope) throws IOException {
    boolean root = Identity.engineIsRoot();
    Identity runAs = Identity.ofChildren(config.runAs());
    if (runAs != null && !SpawnerThread.canSwitchIdentity()) {
      throw new IOException("cannot run children as '" + config.runAs() + "' on this architecture; set runAs to root");
    }
    SpawnerThread spawner = new SpawnerThread(runAs);
    Confinement confinement;
    try {
      confinement = SandboxProbe.detect(config, spawner, runAs);
    } catch (IOException e) {
      spawner.close();
      throw e;
    }
    Host host = new Host(runAs, root, CgroupHierarchies.ofThisProcess(), spawner, confinement);
    EngineConfig.EnforcementChoice wanted = config.limits().enforcement();
    boolean byCgroup = wanted == EngineConfig.EnforcementChoice.AUTO || wanted == EngineConfig.EnforcementChoice.CGROUP;
    Optional<CgroupV1> v1 = byCgroup ? CgroupV1.open(host.hierarchies, scope, config.limits().cpuCores()) : Optional.empty();
    String v2Why = null;
    CgroupV2 v2 = null;
    if (!byCgroup) {
      v2Why = "forced by limits.enforcement";
    } else if (!confinement.confined()) {
      v2Why = "a cgroup v2 takes whole processes only: a child is placed there while bubblewrap holds its sandbox"
          + " before the command runs, and children are not confined here";
    } else {
      try {
        v2 = CgroupV2.open(host.hierarchies, scope, config.limits().cpuCores());
      } catch (IOException e) {
        v2Why = e.getMessage();
      }
    }
    String prlimit = PRLIMIT.stream().filter(path -> Files.isExecutable(Path.of(path))).findFirst().orElse(null);
    if (v1.isPresent()) {
      String limits = "the engine may create cgroup v1 " + v1.get().inUse() + " cgroups under its own";
      return v2 == null
          ? new Enforcement(Mode.CGROUP_V1, v1.get(), prlimit, host, limits + "; cgroup v2 is not used: " + v2Why)
          : new Enforcement(Mode.CGROUP_V1, new HybridCgroups(v1.get(), v2), prlimit, host, limits
              + ", and cgroup v2 cgroups under its own (" + v2.scope() + ") for placement, the tree kill and freezing");
    }
    if (v2 != null && v2.controllers().get("v2").contains("memory")) {
      return new Enforcement(Mode.CGROUP_V2, v2, prlimit, host,
          "the engine may create cgroup v2 " + v2.controllers().get("v2") + " cgroups under its own (" + v2.scope() + ")");
    }
    if (v2 != null) {
      v2.removeScope();
      v2Why = "the engine's cgroup v2 offers no memory controller";
    }
    if (wanted == EngineConfig.EnforcementChoice.CGROUP) {
      spawner.close();
      confinement.close();
      throw new IOException("limits.enforcement is 'cgroup' but this engine may not create cgroup v1 memory cgroups,"
          + " nor cgroup v2 ones: " + v2Why);
    }
    if (prlimit != null && wanted != EngineConfig.EnforcementChoice.SAMPLED) {
      return new Enforcement(Mode.RLIMIT, null, prlimit, host,
          wanted == EngineConfig.EnforcementChoice.RLIMIT ? "forced by limits.enforcement"
              : "no writable cgroup v1 memory controller, and no cgroup v2 (" + v2Why
              + "); limits are set with prlimit before exec");
    }
    if (wanted == EngineConfig.EnforcementChoice.RLIMIT) {
      spawner.close();
      confinement.close();
      throw new IOException("limits.enforcement is 'rlimit' but util-linux prlimit is not installed");
    }
    return new Enforcement(Mode.SAMPLED, null, null, host,
        wanted == EngineConfig.EnforcementChoice.SAMPLED ? "forced by limits.enforcement"
            : "no writable cgroup and no prlimit: the monitor's samples are the only limit");
  }

  /**
   * For {@code /capabilities} and the start-up log line: which hierarchy (or mechanism) serves each
   * limit and each operation on a tree.
   */
  JsonObject describe() {
    Map<String, String> serves = cgroups == null ? Map.of() : cgroups.serves();
    Map<String, List<String>> inUse = cgroups == null ? Map.of() : cgroups.controllers();
    return new JsonObject()
        .put("enforcement", new JsonObject()
            .put("memory", mode.wire)
            .put("processes", serves.getOrDefault("processes", mode == Mode.SAMPLED ? "none" : "rlimit"))
            .put("cpu", serves.getOrDefault("cpu", "none"))
            .put("cpuCores", cgroups != null && cgroups.cpuQuotaMicros() > 0
                ? (double) cgroups.cpuQuotaMicros() / CgroupV1.CPU_PERIOD_MICROS : null)
            .put("treeKill", serves.containsKey("treeKill") ? serves.get("treeKill") + " and process group" : "process group")
            .put("freeze", serves.getOrDefault("freeze", "SIGSTOP and SIGCONT to the process group"))
            .put("placement", serves.getOrDefault("placement", mode == Mode.RLIMIT ? "prlimit before exec" : "none"))
            .put("sampled", true)
            .put("why", why))
        .put("cgroups", new JsonObject()
            .put("v1", new JsonArray(hierarchies.v1().keySet().stream().sorted().toList()))
            .put("v1InUse", new JsonArray(inUse.getOrDefault("v1", List.of())))
            .put("v2", hierarchies.v2().isPresent())
            .put("v2InUse", inUse.containsKey("v2") ? new JsonArray(inUse.get("v2")) : null))
        .put("root", root)
        .put("runAs", runAs == null ? null : runAs.name())
        .put("sandbox", confinement.describe())
        .put("isolation", (confinement.confined() ? "every child in its own sandbox (bubblewrap); " : "no sandbox; ")
            + (runAs == null
            ? (root ? "children run as root (runAs is root)" : "children run as the engine's own user")
            : "children run as " + runAs.name() + " with no_new_privs, in their own session and process group"));
  }

  /**
   * Removes this engine's cgroup parents when nothing is left in them, and lets the sandbox's network
   * namespaces go. Blocking; once the spawner thread has stopped.
   */
  void close() {
    if (cgroups != null) {
      cgroups.removeScope();
    }
    confinement.close();
  }

  void log() {
    LOG.info("Enforcement: memory by {}, tree kill by {}, children run as {} ({})", mode.wire,
        describe().getJsonObject("enforcement").getString("treeKill"),
        runAs == null ? "the engine's user" : runAs.name() + " with no_new_privs", why);
    if (confinement.confined()) {
      LOG.info("Sandbox: bubblewrap {}, namespaces {}, network {} ({})", confinement.sandbox().version(),
          confinement.sandbox().namespaces(), confinement.describe().getString("network"), confinement.why());
    } else if (confinement.mode() == EngineConfig.SandboxMode.OFF) {
      LOG.warn("Sandbox: off (sandbox.mode): children are not confined; only the validator stands between them and the host");
    } else {
      LOG.warn("Sandbox: unavailable, children are not confined: {}", confinement.why());
    }
  }
}
