package io.isometry.contract;

/**
 * The ids of the clients processes belong to. Most are one connection's (a socket, a bridge). A
 * WebSocket that gave a session has the principal's and the session's instead, the same on every
 * socket of that session: such a client can come back, and its processes wait out the reconnect grace.
 */
public final class ClientIds {

  private static final String SESSION = "session:";

  private ClientIds() {
  }

  /** Neither a principal name nor a session holds a ':', so another principal can never take a session's id. */
  public static String ofSession(String principal, String session) {
    return SESSION + principal + ":" + session;
  }

  /** Whether the client may come back on another socket (its id names a session). */
  public static boolean canComeBack(String clientId) {
    return clientId.startsWith(SESSION);
  }
}
