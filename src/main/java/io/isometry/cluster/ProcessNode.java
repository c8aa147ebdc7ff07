package io.isometry.cluster;

/**
 * A clustered node's process ids end with its name, {@code p-<ULID>-<node>}, so any node routes a
 * request for a process to the node that runs it without asking anyone. A node alone makes plain
 * {@code p-<ULID>} ids, which are its own.
 */
public final class ProcessNode {

  /** {@code p-} and the 26 characters of a ULID. */
  private static final int PLAIN_LENGTH = 28;

  private ProcessNode() {
  }

  /** The id a node makes from a plain one: {@code node} null for a node that is not clustered. */
  public static String id(String plain, String node) {
    return node == null ? plain : plain + "-" + node;
  }

  /** The node {@code id} names, or {@code local} when it names none (a plain id, or not an id at all). */
  public static String of(String id, String local) {
    if (id.length() > PLAIN_LENGTH + 1 && id.startsWith("p-") && id.charAt(PLAIN_LENGTH) == '-') {
      return id.substring(PLAIN_LENGTH + 1);
    }
    return local;
  }
}
