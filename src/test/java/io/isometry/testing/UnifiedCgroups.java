package io.isometry.testing;

import io.isometry.contract.Addresses;
import io.isometry.contract.Caller;
import io.isometry.os.CgroupHierarchies;
import io.isometry.os.CgroupV1;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The kernel's view of an engine's cgroup v2 jobs, for tests that check what really happened. */
public final class UnifiedCgroups {

  private UnifiedCgroups() {
  }

  /** The engine's {@code /capabilities}, as a trusted host sees them. */
  public static JsonObject capabilities(Vertx vertx) throws Exception {
    return Await.result(vertx.eventBus().<JsonObject>request(Addresses.CAPABILITIES, new JsonObject(),
        Caller.trustedHost(EngineFixture.HOST).headers())).body();
  }

  /** True when the engine freezes trees with cgroup v2 ({@code enforcement.freeze}). */
  public static boolean freezes(JsonObject capabilities) {
    return capabilities.getJsonObject("enforcement").getString("freeze").startsWith("cgroup-v2");
  }

  /** The directory of job {@code job} of the engine configured by {@code config}. */
  public static Path job(JsonObject config, String job) throws IOException {
    return CgroupHierarchies.ofThisProcess().v2().orElseThrow()
        .resolve(CgroupV1.scopeFor(Path.of(config.getString("dataDir")))).resolve(job);
  }

  /** The pids in a cgroup ({@code cgroup.procs}). */
  public static List<Long> members(Path cgroup) throws IOException {
    return Files.readString(cgroup.resolve("cgroup.procs"), StandardCharsets.US_ASCII).lines()
        .filter(line -> !line.isBlank()).map(Long::parseLong).toList();
  }

  /** Waits up to two seconds for {@code frozen 0|1} in {@code cgroup.events}; answers whether it came. */
  public static boolean awaitFrozen(Path cgroup, boolean frozen) throws Exception {
    String wanted = "frozen " + (frozen ? 1 : 0);
    for (int i = 0; i < 200; i++) {
      if (Files.readString(cgroup.resolve("cgroup.events")).lines().anyMatch(wanted::equals)) {
        return true;
      }
      Thread.sleep(10);
    }
    return false;
  }

  /** The cgroup v2 path a process is in, from the host's side ({@code /proc/<pid>/cgroup}). */
  public static String of(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup")).stream()
        .filter(line -> line.startsWith("0::")).map(line -> line.substring(3)).findFirst().orElse(null);
  }
}
