package io.isometry.monitor;

import io.isometry.contract.Fields;
import io.vertx.core.json.JsonObject;

/** One sample of a process tree: the sum over its processes. */
record TreeUsage(String id, double cpuPercent, long rssBytes, int threads, int processes) {

  JsonObject toJson(long peakRssBytes) {
    return new JsonObject()
        .put(Fields.CPU_PERCENT, Math.round(cpuPercent * 10) / 10.0)
        .put(Fields.RSS_BYTES, rssBytes)
        .put(Fields.PEAK_RSS_BYTES, peakRssBytes)
        .put(Fields.THREADS, threads)
        .put("processes", processes);
  }
}
