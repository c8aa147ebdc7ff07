package io.isometry.sandbox;

import io.isometry.config.EngineConfig.SandboxMode;
import io.isometry.config.EngineConfig.SandboxNetwork;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * The confinement in force, found at start and stated plainly: the sandbox every child runs in, or
 * none, and why. Never a silent pretence: {@link #describe()} is what {@code /capabilities} and the
 * start log say.
 *
 * @param mode the configured {@code sandbox.mode}
 * @param sandbox the sandbox in force, or null when children run unconfined
 */
public record Confinement(SandboxMode mode, Sandbox sandbox, String why) {

  public boolean confined() {
    return sandbox != null;
  }

  /** Lets go what the sandbox holds for the engine's life (the owners' network namespaces, its {@code /etc}). */
  public void close() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  /**
   * {@code {mode, enabled, tool, version, namespaces, network, loopback, why}}; {@code loopback} says
   * whose loopback a child shares with network {@code none}: its owner's other children's
   * ({@code owner}), or none ({@code process}).
   */
  public JsonObject describe() {
    JsonObject description = new JsonObject()
        .put("mode", mode.name().toLowerCase(Locale.ROOT))
        .put("enabled", confined());
    if (confined()) {
      description.put("tool", "bubblewrap")
          .put("path", sandbox.tool())
          .put("version", sandbox.version())
          .put("namespaces", new JsonArray(sandbox.namespaces()))
          .put("network", sandbox.network().name().toLowerCase(Locale.ROOT))
          .put("loopback", sandbox.network() == SandboxNetwork.HOST ? null
              : sandbox.networks() != null ? "owner" : "process");
    } else {
      description.put("tool", null).put("version", null).put("namespaces", new JsonArray()).put("network", "host")
          .put("loopback", null);
    }
    return description.put("why", why);
  }
}
