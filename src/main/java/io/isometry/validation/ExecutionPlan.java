package io.isometry.validation;

import io.isometry.contract.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * What will run if a request is allowed: the argv with an absolute executable, the working
 * directory relative to the workspace ({@code "."} for the workspace itself), the complete
 * environment of the child (built from scratch, never inherited), and the workspace: the absolute
 * path of its owner's directory, the only host directory the child may write. A plan journaled by
 * an engine from before per-owner workspaces has none, and is not run.
 */
public record ExecutionPlan(List<String> argv, String cwd, Map<String, String> env, String workspace) {

  public JsonObject toJson() {
    return new JsonObject()
        .put(Fields.ARGV, new JsonArray(List.copyOf(argv)))
        .put(Fields.CWD, cwd)
        .put(Fields.ENV, new JsonObject(Map.copyOf(env)))
        .put(Fields.WORKSPACE, workspace);
  }

  public static ExecutionPlan fromJson(JsonObject json) {
    List<String> argv = json.getJsonArray(Fields.ARGV).stream().map(String.class::cast).toList();
    Map<String, String> env = new java.util.LinkedHashMap<>();
    json.getJsonObject(Fields.ENV).forEach(entry -> env.put(entry.getKey(), (String) entry.getValue()));
    return new ExecutionPlan(argv, json.getString(Fields.CWD), env, json.getString(Fields.WORKSPACE));
  }
}
