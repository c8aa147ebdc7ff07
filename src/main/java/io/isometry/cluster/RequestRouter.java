package io.isometry.cluster;

import static io.isometry.contract.Requests.answering;

import io.isometry.contract.Addresses;
import io.isometry.contract.Caller;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Fields;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers the public requests that act on one process, or submit one, by sending them on to the
 * node concerned: the node a process id names ({@link ProcessNode}), the node a submit names, or the
 * one {@link LoadBoard} chooses. Its consumers are local, so each node answers its own clients (and
 * bridges) and never another node's.
 */
final class RequestRouter {

  /**
   * Requests about one process, by its {@code id}: the node the id names answers. A new kind of
   * request about a process (stdin, resize) routes the same way once it is added here.
   */
  static final List<String> BY_ID = List.of(Addresses.CANCEL, Addresses.SUSPEND, Addresses.RESUME,
      Addresses.BACKGROUND, Addresses.STDIN, Addresses.RESIZE, Addresses.GET, Addresses.OUTPUT);
  /** The longest a submit may take on another node: its validation (10 s) and the journal's commit. */
  private static final long SUBMIT_TIMEOUT_MS = 30_000;
  private static final long CONTROL_TIMEOUT_MS = 15_000;

  private final Vertx vertx;
  private final EventBus bus;
  private final Membership membership;
  private final LoadBoard load;
  private final NodeRequests nodes;

  RequestRouter(Vertx vertx, Membership membership, LoadBoard load) {
    this.vertx = vertx;
    EventBus bus = vertx.eventBus();
    this.bus = bus;
    this.membership = membership;
    this.load = load;
    this.nodes = new NodeRequests(bus);
  }

  List<MessageConsumer<Object>> register() {
    List<MessageConsumer<Object>> consumers = new ArrayList<>();
    for (String address : BY_ID) {
      consumers.add(bus.localConsumer(address, answering((body, message) -> byId(address, body, message))));
    }
    consumers.add(bus.localConsumer(Addresses.SUBMIT, answering(this::submit)));
    consumers.add(bus.localConsumer(Addresses.CAPABILITIES, answering((body, message) ->
        nodes.ask(membership.local(), Addresses.CAPABILITIES, body, message.headers(), CONTROL_TIMEOUT_MS))));
    return consumers;
  }

  private Future<JsonObject> byId(String address, JsonObject body, Message<?> message) {
    String id = body.getValue(Fields.ID) instanceof String text ? text : "";
    String node = ProcessNode.of(id, membership.local());
    if (!membership.has(node)) {
      // An id of a node that is not (or no longer) a member: nobody can act on it. Its record, if
      // the cluster declared it lost, is what the cluster knows of it.
      EngineError notFound = new EngineError(ErrorCode.NOT_FOUND, "no process '" + id + "': its node '" + node
          + "' is not in the cluster");
      if (!address.equals(Addresses.GET)) {
        return Future.failedFuture(notFound);
      }
      Caller caller = Caller.of(message);
      return DeclaredLost.among(vertx, List.of(id)).compose(declared -> {
        JsonObject record = declared.get(id);
        return record != null && caller.sees(record.getString(Fields.OWNER))
            ? Future.succeededFuture(record) : Future.failedFuture(notFound);
      });
    }
    return nodes.ask(node, address, body, message.headers(), CONTROL_TIMEOUT_MS);
  }

  /**
   * Where a keyed submit goes when it names no node: the node its owner and key hash to, among the
   * members by name. Each node remembers the keys of the processes it runs, so a retry of the same
   * request, made through any node, must reach the same one (while the members stay the same). The
   * key is the client's choice, so these spread over the nodes as keys do, not by load.
   */
  static String nodeForKey(List<String> members, String owner, String key) {
    List<String> sorted = members.stream().sorted().toList();
    return sorted.get(Math.floorMod((owner + "\n" + key).hashCode(), sorted.size()));
  }

  private Future<JsonObject> submit(JsonObject body, Message<?> message) {
    Object named = body.remove(Fields.NODE);
    List<String> members = membership.nodes().stream().map(Membership.Node::name).toList();
    String node;
    String owner = message.headers().get(Addresses.HEADER_OWNER);
    if (named == null && body.getValue(Fields.IDEMPOTENCY_KEY) instanceof String key && owner != null) {
      node = nodeForKey(members, owner, key);
    } else if (named == null) {
      node = load.choose(members, membership.local());
    } else if (named instanceof String name && membership.has(name)) {
      node = name;
    } else {
      throw EngineError.invalid("'node' must name a node of the cluster (GET /api/v1/cluster lists them), got "
          + named);
    }
    return nodes.ask(node, Addresses.SUBMIT, body, message.headers(), SUBMIT_TIMEOUT_MS);
  }
}
