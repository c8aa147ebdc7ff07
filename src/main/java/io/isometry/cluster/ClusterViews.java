package io.isometry.cluster;

import static io.isometry.contract.Requests.answering;

import io.isometry.contract.Addresses;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The views that answer for the whole cluster: the process list, the stats, the history, the
 * list of nodes, and a returning session's processes. Each asks every member at once and waits at most {@code cluster.viewTimeoutMs} for
 * each; a node that does not answer is named in {@code unreachable}, never silently left out. An
 * error a node answers (a bad {@code limit}) is the answer: every node would say the same.
 */
final class ClusterViews {

  /** The supervisor's default page of the list, and the journal's of the history, when none is asked. */
  private static final int LIST_DEFAULT_LIMIT = 100;
  private static final int HISTORY_DEFAULT_LIMIT = 50;
  private static final List<String> TOTALS = List.of("running", "background", "suspended", "queued", "completed");
  /** Newest first, as each node answers: by creation, then by id (which sorts by creation too). */
  private static final Comparator<JsonObject> NEWEST_FIRST = Comparator
      .comparing((JsonObject record) -> String.valueOf(record.getValue(Fields.CREATED_AT)))
      .thenComparing(record -> String.valueOf(record.getValue(Fields.ID))).reversed();

  /** Every member's answer, in member order, and the members that gave none. */
  private record Gathered(Map<String, JsonObject> answers, List<String> unreachable) {

    JsonArray unreachableJson() {
      return new JsonArray(new ArrayList<>(unreachable));
    }
  }

  private final EventBus bus;
  private final Membership membership;
  private final NodeRequests nodes;
  private final long timeoutMs;

  ClusterViews(EventBus bus, Membership membership, long timeoutMs) {
    this.bus = bus;
    this.membership = membership;
    this.nodes = new NodeRequests(bus);
    this.timeoutMs = timeoutMs;
  }

  List<MessageConsumer<Object>> register() {
    return List.of(
        bus.localConsumer(Addresses.LIST, answering((body, message) -> merged(Addresses.LIST, body, message, LIST_DEFAULT_LIMIT))),
        bus.localConsumer(Addresses.HISTORY, answering((body, message) ->
            merged(Addresses.HISTORY, body, message, HISTORY_DEFAULT_LIMIT))),
        bus.localConsumer(Addresses.STATS, answering((body, message) -> stats(body, message.headers()))),
        bus.localConsumer(Addresses.CLUSTER, answering((body, message) -> nodes(message.headers()))),
        bus.localConsumer(Addresses.CLIENT_ATTACH, answering((body, message) -> attached(body, message.headers()))));
  }

  /** The nodes' {@code items}, newest first, cut to the page the caller asked for. */
  private Future<JsonObject> merged(String address, JsonObject body, Message<?> message, int defaultLimit) {
    int limit = body.getValue(Fields.LIMIT) instanceof Number number ? number.intValue() : defaultLimit;
    return gather(address, body, message.headers()).map(gathered -> {
      List<JsonObject> items = new ArrayList<>();
      gathered.answers().values().forEach(answer -> answer.getJsonArray(Fields.ITEMS, new JsonArray())
          .forEach(item -> items.add((JsonObject) item)));
      items.sort(NEWEST_FIRST);
      return new JsonObject().put(Fields.ITEMS, new JsonArray(new ArrayList<>(items.subList(0, Math.min(limit, items.size())))))
          .put(Fields.UNREACHABLE, gathered.unreachableJson());
    });
  }

  /**
   * The cluster's counts, summed; {@code limits} are this node's; {@code nodes} has each node's own
   * stats (with its {@code node} and {@code limits}).
   */
  /**
   * A session came back: every node stops its grace for that session's foreground processes and
   * names them. A node that does not answer keeps its grace running (it ends them after it).
   */
  private Future<JsonObject> attached(JsonObject body, MultiMap headers) {
    return gather(Addresses.CLIENT_ATTACH, body, headers).map(gathered -> {
      JsonArray processes = new JsonArray();
      gathered.answers().values().forEach(answer -> answer.getJsonArray(Fields.PROCESSES, new JsonArray())
          .forEach(processes::add));
      return new JsonObject().put(Fields.PROCESSES, processes);
    });
  }

  private Future<JsonObject> stats(JsonObject body, MultiMap headers) {
    return gather(Addresses.STATS, body, headers).map(gathered -> {
      JsonObject totals = new JsonObject();
      TOTALS.forEach(key -> totals.put(key, 0));
      JsonArray perNode = new JsonArray();
      gathered.answers().forEach((node, stats) -> {
        TOTALS.forEach(key -> totals.put(key, totals.getInteger(key) + stats.getInteger(key, 0)));
        perNode.add(stats);
      });
      JsonObject local = gathered.answers().get(membership.local());
      return totals.put("limits", local == null ? null : local.getJsonObject("limits"))
          .put(Fields.NODE, membership.local())
          .put("nodes", perNode).put(Fields.UNREACHABLE, gathered.unreachableJson());
    });
  }

  /** {@code GET /cluster}: each member, when it joined, its load and what it enforces. */
  private Future<JsonObject> nodes(MultiMap headers) {
    Future<Gathered> stats = gather(Addresses.STATS, new JsonObject(), headers);
    Future<Gathered> capabilities = gather(Addresses.CAPABILITIES, new JsonObject(), headers);
    return Future.all(stats, capabilities).map(both -> {
      JsonArray list = new JsonArray();
      List<String> unreachable = new ArrayList<>(stats.result().unreachable());
      for (Membership.Node node : membership.nodes()) {
        JsonObject nodeStats = stats.result().answers().get(node.name());
        JsonObject nodeCapabilities = capabilities.result().answers().get(node.name());
        if (nodeStats == null || nodeCapabilities == null) {
          if (!unreachable.contains(node.name())) {
            unreachable.add(node.name());
          }
          continue;
        }
        JsonObject limits = nodeStats.getJsonObject("limits", new JsonObject());
        JsonObject what = nodeCapabilities.copy();
        what.remove("principal");
        list.add(new JsonObject().put(Fields.NODE, node.name()).put("local", node.name().equals(membership.local()))
            .put("joinedAt", node.joinedAt())
            .put("load", new JsonObject().put("running", nodeStats.getInteger("running"))
                .put("suspended", nodeStats.getInteger("suspended")).put("queued", nodeStats.getInteger("queued"))
                .put("maxConcurrent", limits.getInteger("maxConcurrent"))
                .put("queueCapacity", limits.getInteger("queueCapacity")))
            .put("capabilities", what));
      }
      return new JsonObject().put("nodes", list).put(Fields.UNREACHABLE, new JsonArray(unreachable));
    });
  }

  /** Asks every member; fails only with an error a node answered that is not its being out of reach. */
  private Future<Gathered> gather(String address, JsonObject body, MultiMap headers) {
    List<String> members = membership.nodes().stream().map(Membership.Node::name).toList();
    List<Future<JsonObject>> asked = members.stream()
        .map(node -> nodes.ask(node, address, body, headers, timeoutMs)).toList();
    return Future.join(asked).transform(done -> {
      Map<String, JsonObject> answers = new LinkedHashMap<>();
      List<String> unreachable = new ArrayList<>();
      for (int i = 0; i < members.size(); i++) {
        Future<JsonObject> answer = asked.get(i);
        if (answer.succeeded()) {
          answers.put(members.get(i), answer.result());
        } else if (EngineError.from(answer.cause()).code() == ErrorCode.UNAVAILABLE) {
          unreachable.add(members.get(i));
        } else {
          return Future.failedFuture(answer.cause());
        }
      }
      return Future.succeededFuture(new Gathered(answers, unreachable));
    });
  }
}
