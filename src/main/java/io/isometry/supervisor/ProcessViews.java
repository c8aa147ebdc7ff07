package io.isometry.supervisor;

import io.isometry.config.EngineConfig;
import io.isometry.contract.Caller;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.isometry.contract.ProcessState;
import io.isometry.contract.Stream;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Locale;

/**
 * The supervisor's answers to queries: records, lists, retained output and the load, each as the
 * caller may see it. Reads the actor's {@link ProcessTable} on the actor's context; changes nothing.
 */
final class ProcessViews {

  private static final int DEFAULT_LIST_LIMIT = 100;
  private static final int MAX_LIST_LIMIT = 1000;

  private final EngineConfig config;
  private final EngineConfig.SupervisorSettings settings;
  private final ProcessTable table;
  private final Clock clock;

  ProcessViews(EngineConfig config, ProcessTable table, Clock clock) {
    this.config = config;
    this.settings = config.supervisor();
    this.table = table;
    this.clock = clock;
  }

  JsonObject get(String id, Caller caller) {
    return table.visible(id, caller).toJson(clock.instant());
  }

  /** Records newest first, of one state or (null) all. */
  JsonObject list(ProcessState state, Integer limit, Caller caller) {
    int max = limit == null ? DEFAULT_LIST_LIMIT : limit;
    if (max < 1 || max > MAX_LIST_LIMIT) {
      throw new EngineError(ErrorCode.INVALID_REQUEST, "'limit' must be between 1 and " + MAX_LIST_LIMIT);
    }
    return new JsonObject().put(Fields.ITEMS, table.list(state, max, caller, clock.instant()));
  }

  /** The retained tail of one stream: where it starts in the whole stream, and its text. */
  JsonObject output(String id, Stream stream, Caller caller) {
    OutputTail tail = table.visible(id, caller).tail(stream);
    if (tail.released()) {
      // Let go for the bound on finished output: the journal answers for it (see SupervisorVerticle#output).
      throw new EngineError(ErrorCode.NOT_FOUND, "the output of '" + id + "' is no longer in memory");
    }
    return new JsonObject()
        .put(Fields.ID, id)
        .put(Fields.STREAM, stream.wire())
        .put(Fields.OFFSET, tail.retainedOffset())
        .put(Fields.TRUNCATED, tail.truncated())
        .put(Fields.DATA, tail.text());
  }

  JsonObject stats() {
    return table.counts()
        .put(Fields.NODE, config.node())
        .put("limits", new JsonObject()
            .put("maxConcurrent", settings.maxConcurrent())
            .put("queueCapacity", settings.queueCapacity())
            .put("maxRunningPerOwner", settings.maxRunningPerOwner())
            .put("queuePerOwner", settings.queuePerOwner())
            .put(Fields.MEMORY_BYTES, config.limits().memoryBytes())
            .put("defaultTimeoutMs", settings.defaultTimeoutMs())
            .put("backgroundPolicy", settings.backgroundPolicy().name().toLowerCase(Locale.ROOT)));
  }
}
