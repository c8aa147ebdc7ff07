package io.isometry.contract;

/**
 * Every event-bus address of the engine, in one place. Bodies are JSON objects (the shapes of
 * docs/contract.md), so any event-bus client in any language can speak them. Requests that fail are
 * answered with {@code message.fail(httpStatus, errorJson)} where {@code errorJson} is the
 * contract's error object ({@code {"error": code, "message": ...}}), see {@link EngineError}.
 *
 * <p>Request messages carry the caller's headers, set by whoever speaks for the client (the
 * bridges, the Java client): {@link #HEADER_OWNER} and {@link #HEADER_ROLE}, and, for a process
 * that belongs to a connection, {@link #HEADER_CLIENT}.
 */
public final class Addresses {

  /** Header: the principal a request is made for. Required on requests that read or change process state. */
  public static final String HEADER_OWNER = "owner";
  /** Header: the connection a submitted process belongs to; it is cancelled when that connection goes. */
  public static final String HEADER_CLIENT = "clientId";
  /**
   * Header: the principal's role, {@code viewer}, {@code operator} or {@code admin}. Required (absent,
   * the request is refused, see {@link Caller}); bridges always set it, overwriting whatever a client
   * sent, and an embedding host's client sends the one the host chose.
   */
  public static final String HEADER_ROLE = "role";
  /** Header on {@link #JOURNAL_RECOVER}: the sender will publish {@link #SUPERVISOR_STOPPED} when it stops. */
  public static final String HEADER_STOP_NOTICE = "stopNotice";

  // ---- public requests (clients send, the named verticle answers) -------------------------

  /** Clients send a submit body; the supervisor answers with the new record (queued or running). */
  public static final String SUBMIT = "isometry.process.submit";
  /** Clients send {@code {id}}; the supervisor answers with the record as it stands. */
  public static final String CANCEL = "isometry.process.cancel";
  /** Clients send {@code {id}}; the supervisor stops the process tree (SIGSTOP) and answers the record. */
  public static final String SUSPEND = "isometry.process.suspend";
  /** Clients send {@code {id}}; the supervisor continues the process tree (SIGCONT) and answers the record. */
  public static final String RESUME = "isometry.process.resume";
  /** Clients send {@code {id}}; the supervisor moves the process to the background and answers the record. */
  public static final String BACKGROUND = "isometry.process.background";
  /**
   * Clients send {@code {id, data?, eof?}}; the supervisor queues {@code data} (UTF-8) for the process's
   * stdin, then ends it with {@code eof: true}, and answers the record. 409 {@code invalid_state} when
   * the process has no stdin or is not running, 429 {@code stdin_full} when too much waits unread.
   */
  public static final String STDIN = "isometry.process.stdin";
  /** Clients send {@code {id, cols, rows}}; the supervisor resizes the process's terminal and answers the record. */
  public static final String RESIZE = "isometry.process.resize";
  /** Clients send {@code {id}}; the supervisor answers with the record. */
  public static final String GET = "isometry.process.get";
  /** Clients send {@code {state?, limit?}}; the supervisor answers {@code {items:[record]}}, newest first. */
  public static final String LIST = "isometry.process.list";
  /** Clients send {@code {id, stream}}; the supervisor answers {@code {id, stream, offset, data}}: the retained tail. */
  public static final String OUTPUT = "isometry.process.output";
  /** Clients send {@code {}}; the supervisor answers the stats object. */
  public static final String STATS = "isometry.stats.get";
  /** Clients send {@code {}}; the supervisor answers what this machine enforces (see {@code /capabilities}). */
  public static final String CAPABILITIES = "isometry.capabilities.get";
  /** Clients and the supervisor send a submit body; a validator answers {@code {allowed, violations, plan}}. */
  public static final String VALIDATE = "isometry.validation.validate";

  // ---- internal requests -------------------------------------------------------------------

  /** The HTTP bridge sends {@code {clientId}} when a connection closes; the supervisor cancels its foreground processes. */
  public static final String CLIENT_GONE = "isometry.internal.client-gone";
  /**
   * The HTTP bridge sends {@code {clientId}} when a WebSocket that gave a session authenticates; the
   * supervisor answers {@code {processes:[ids]}}, that client's live foreground processes. Until every
   * socket so attached has closed (and the reconnect grace has passed), {@link #CLIENT_GONE} for that
   * client does not end its processes.
   */
  public static final String CLIENT_ATTACH = "isometry.internal.client-attach";
  /**
   * The supervisor sends {@code {record, plan, dispatched}} for every accepted request before it
   * answers the client, and before it starts it; the journal answers {@code {}} once the record (and
   * the plan it will run, and whether it starts at once) is durable.
   */
  public static final String JOURNAL_ACCEPT = "isometry.internal.journal.accept";
  /**
   * The supervisor sends {@code {id}} when a queued record is to start, and spawns it only once the
   * journal has answered {@code {}}: the mark is committed, and recovery never starts that record
   * again. 404 {@code not_found} when the journal never recorded its accept, 503 when it cannot write.
   * A record that starts at once carries the mark in its accept ({@code dispatched: true}).
   */
  public static final String JOURNAL_DISPATCH = "isometry.internal.journal.dispatch";
  /**
   * The supervisor sends {@code {owner, idempotencyKey}} for a keyed submit it does not hold in
   * memory; the journal answers the record of that owner's first request with that key within 24 h
   * (kept with its accept, so across restarts), or fails 404 {@code not_found}.
   */
  public static final String JOURNAL_BY_KEY = "isometry.internal.journal.by-key";
  /**
   * The journal publishes {@code {status: "degraded", reason}} when it cannot write (a full disk: what
   * it could not write is kept and retried), and {@code {status: "up"}} once it writes again; the
   * supervisor refuses new submits (503) in between.
   */
  public static final String JOURNAL_HEALTH = "isometry.internal.journal.health";
  /** The HTTP bridge sends {@code {}} for {@code /health}; the journal answers as on {@link #JOURNAL_HEALTH}. */
  public static final String HEALTH = "isometry.internal.health";
  /**
   * The supervisor sends {@code {id, stdout, stderr}} (the retained output, as text) when a process
   * has ended; the journal keeps it for {@code /output} after a restart. No answer.
   */
  public static final String JOURNAL_OUTPUT = "isometry.internal.journal.output";
  /**
   * The supervisor sends {@code {}} once at start; the journal answers {@code {live:[{record, plan,
   * dispatched}]}}: the records that were queued, running or suspended when the engine last stopped,
   * oldest first; {@code dispatched} when their start had been decided (they may have run).
   */
  public static final String JOURNAL_RECOVER = "isometry.internal.journal.recover";
  /**
   * The supervisor publishes {@code {}} once it has stopped and published every {@code lost} record;
   * the journal, stopping at the same time, waits for it so that those records are kept too, when
   * the supervisor announced it with the header {@link #HEADER_STOP_NOTICE} on its recover request.
   */
  public static final String SUPERVISOR_STOPPED = "isometry.internal.supervisor-stopped";
  /** Anyone sends {@code {id}}; the journal answers the last record it holds, or fails 404. */
  public static final String JOURNAL_GET = "isometry.internal.journal.get";
  /** Anyone sends {@code {id, stream}}; the journal answers {@code {id, stream, data}} or fails 404. */
  public static final String JOURNAL_OUTPUT_GET = "isometry.internal.journal.output-get";
  /** The cleanup verticle sends {@code {olderThanMs}}; the journal deletes older finished records, answers {@code {deleted}}. */
  public static final String JOURNAL_EVICT = "isometry.internal.journal.evict";
  /** Clients send {@code {q?, limit?}} (with owner/role headers); the journal answers {@code {items:[record]}}, newest first. */
  public static final String HISTORY = "isometry.history.search";
  /**
   * Clients send {@code {limit?}} (with owner/role headers); the journal answers
   * {@code {items:[{owner, request, violations, at}]}}: the refused requests it keeps, newest first.
   */
  public static final String REJECTIONS = "isometry.rejections";
  /** The monitor sends {@code {id, usage}} after each sample; the supervisor keeps it in the record. */
  public static final String USAGE_REPORT = "isometry.internal.usage";
  /** The monitor sends {@code {id, rssBytes}} when a tree's sampled memory is over its limit; the supervisor kills it. */
  public static final String LIMIT_EXCEEDED = "isometry.internal.limit-exceeded";
  /**
   * The cleanup verticle sends {@code {}} at start; the supervisor answers {@code {usesCgroups, hierarchies}}:
   * whether it enforces limits with cgroups, and in which hierarchies ({@code v1}, {@code v2}), where the
   * sweep then looks for orphans.
   */
  public static final String USES_CGROUPS = "isometry.internal.uses-cgroups";
  /** The cleanup verticle sends {@code {}}; the supervisor answers {@code {cgroups:[names]}}: the cgroup jobs live processes hold. */
  public static final String LIVE_CGROUPS = "isometry.internal.live-cgroups";
  /** The cleanup verticle sends {@code {olderThanMs}}; the supervisor evicts finished records and answers {@code {evicted}}. */
  public static final String EVICT = "isometry.internal.evict";

  // ---- public events (the supervisor publishes, anyone listens) ---------------------------

  /** {@code {type:"process", record}} on every lifecycle change, with the whole record. */
  public static final String EVENT_PROCESS = "isometry.events.process";
  /** {@code {type:"output", id, stream, offset, bytes, data}} for every chunk a process writes. */
  public static final String EVENT_OUTPUT = "isometry.events.output";
  /** {@code {type:"stats", stats}} every monitor interval and on change. */
  public static final String EVENT_STATS = "isometry.events.stats";
  /** {@code {type:"orphan", reason:"orphan", cgroup, pids}} for processes the sweep found with no live record, and killed. */
  public static final String EVENT_ORPHAN = "isometry.events.orphan";
  /** {@code {type:"usage", id, usage}} for every sample of a live process tree. */
  public static final String EVENT_USAGE = "isometry.events.usage";
  /** {@code {type:"rejected", owner, request, violations, at}} for every refused request (audit). */
  public static final String EVENT_REJECTED = "isometry.events.rejected";

  // ---- the cluster (docs/cluster.md) -----------------------------------------------------------

  /**
   * Node-scoped addresses start with this, then the node's name: {@code isometry.node.<node>.process.cancel}
   * is {@link #CANCEL} answered by that node's supervisor. Every node answers the public request
   * addresses itself (local consumers) and sends each request on to the node it is about.
   */
  public static final String NODE_PREFIX = "isometry.node.";
  /** Clients send {@code {}}; any node answers {@code {nodes:[{node, local, joinedAt, load, capabilities}], unreachable}}. */
  public static final String CLUSTER = "isometry.cluster.get";

  /** {@code address} as answered by {@code node} alone: {@code isometry.process.get} on node b is {@code isometry.node.b.process.get}. */
  public static String onNode(String node, String address) {
    return NODE_PREFIX + node + "." + address.substring("isometry.".length());
  }

  private Addresses() {
  }
}
