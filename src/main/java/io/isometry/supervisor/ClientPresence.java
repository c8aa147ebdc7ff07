package io.isometry.supervisor;

import io.isometry.contract.ClientIds;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which clients (the connections processes belong to) are still there, on the supervisor's context.
 * A client that can come back (a WebSocket that gave a session: its id is the same on every socket
 * of that principal and session) is attached once per socket; when its last socket closes it is gone
 * only after the reconnect grace, unless a socket attaches again meanwhile. Any other client is gone
 * as its connection closes. A gone client's foreground processes are cancelled, also those whose
 * submit was still on its way (hence the set of recently gone ones).
 */
final class ClientPresence {

  private static final int GONE_CLIENTS_KEPT = 1024;

  private final Timers timers;
  private final long graceMs;
  private final Consumer<String> gone;
  /** Sockets open per client that can come back. */
  private final Map<String, Integer> sockets = new HashMap<>();
  /** Clients whose last socket closed, and the timer that ends their grace. */
  private final Map<String, Long> graceTimers = new HashMap<>();
  /** Clients that went lately, for requests of theirs still on the way (the oldest are forgotten). */
  private final Set<String> goneClients = Collections.newSetFromMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > GONE_CLIENTS_KEPT;
    }
  });

  /** @param gone what becomes of a client that is gone: its foreground processes are cancelled */
  ClientPresence(Timers timers, long graceMs, Consumer<String> gone) {
    this.timers = timers;
    this.graceMs = graceMs;
    this.gone = gone;
  }

  /** A socket of a client that can come back has authenticated: its grace, if it was in one, is over. */
  void attached(String clientId) {
    sockets.merge(clientId, 1, Integer::sum);
    Long timer = graceTimers.remove(clientId);
    if (timer != null) {
      timers.cancel(timer);
    }
    goneClients.remove(clientId);
  }

  /**
   * A connection closed: its client is gone now, or (the last socket of one that can come back) after
   * the grace. A session's socket this supervisor never counted (in a cluster: this node joined after
   * it attached, or did not answer the attach in time) is given the grace too, not taken for gone.
   */
  void closed(String clientId) {
    Integer open = sockets.get(clientId);
    if (open == null && !ClientIds.canComeBack(clientId)) {
      leave(clientId);
      return;
    }
    if (open != null && open > 1) {
      sockets.put(clientId, open - 1);
      return;
    }
    sockets.remove(clientId);
    if (graceTimers.containsKey(clientId)) {
      return;
    }
    if (graceMs <= 0) {
      leave(clientId);
      return;
    }
    graceTimers.put(clientId, timers.schedule(graceMs, () -> {
      graceTimers.remove(clientId);
      leave(clientId);
    }));
  }

  /** Whether the client has gone (past its grace): a process of its that arrives now goes too. */
  boolean isGone(String clientId) {
    return goneClients.contains(clientId);
  }

  private void leave(String clientId) {
    goneClients.add(clientId);
    gone.accept(clientId);
  }
}
