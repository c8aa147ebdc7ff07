package io.isometry.journal;

import io.isometry.config.EngineConfig;
import io.isometry.contract.Timestamps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** Records, plans and settings for the journal's tests, in the shapes the supervisor sends. */
final class Records {

  static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private Records() {
  }

  static EngineConfig.JournalSettings settings(int outputRetainBytes) {
    return new EngineConfig.JournalSettings(EngineConfig.Synchronous.NORMAL, outputRetainBytes, 604_800_000L, 5_000L);
  }

  static EngineConfig.JournalSettings settings() {
    return settings(1 << 20);
  }

  /** A record created {@code second} seconds after {@link #EPOCH}. */
  static JsonObject record(String id, String owner, String command, String state, int second) {
    return new JsonObject()
        .put("id", id)
        .put("node", "test")
        .put("owner", owner)
        .put("command", command)
        .put("argv", new JsonArray().add("/usr/bin/" + command.split(" ")[0]))
        .put("cwd", ".")
        .put("state", state)
        .put("background", false)
        .put("pid", null)
        .put("reason", null)
        .put("createdAt", Timestamps.format(EPOCH.plusSeconds(second)))
        .put("endedAt", null)
        .put("output", new JsonObject().put("stdoutBytes", 0).put("stderrBytes", 0).put("truncated", false))
        .put("label", null);
  }

  /** The record ended {@code second} seconds after {@link #EPOCH}. */
  static JsonObject ended(JsonObject record, String state, String reason, int second) {
    return record.copy().put("state", state).put("reason", reason)
        .put("endedAt", Timestamps.format(EPOCH.plusSeconds(second)));
  }

  static JsonObject plan(String command) {
    return new JsonObject().put("argv", new JsonArray().add("/usr/bin/" + command.split(" ")[0]))
        .put("cwd", ".").put("env", new JsonObject().put("PATH", "/usr/bin"));
  }

  static RecordRow row(JsonObject record) {
    return RecordRow.from(record);
  }
}
