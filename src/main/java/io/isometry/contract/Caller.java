package io.isometry.contract;

import io.vertx.core.eventbus.Message;

/**
 * Who a request comes from, as the bridge that authenticated it says in the headers
 * ({@link Addresses#HEADER_OWNER}, {@link Addresses#HEADER_ROLE}). No role header means a trusted
 * in-process caller (the embedding host's Java client, the supervisor): an admin.
 */
public record Caller(String principal, Role role) {

  private static final String ANONYMOUS = "anonymous";

  public static Caller of(Message<?> message) {
    // Two of either (in any spelling of the name) is a bridge bug or an attack: never pick one.
    if (message.headers().getAll(Addresses.HEADER_OWNER).size() > 1
        || message.headers().getAll(Addresses.HEADER_ROLE).size() > 1) {
      throw new EngineError(ErrorCode.FORBIDDEN, "conflicting owner or role headers");
    }
    String owner = message.headers().get(Addresses.HEADER_OWNER);
    String role = message.headers().get(Addresses.HEADER_ROLE);
    Role parsed = role == null ? Role.ADMIN : Role.fromWire(role);
    if (parsed == null) {
      throw new EngineError(ErrorCode.FORBIDDEN, "unknown role '" + role + "'");
    }
    return new Caller(owner == null || owner.isEmpty() ? ANONYMOUS : owner, parsed);
  }

  /** Viewers and admins see every record; operators their own. */
  public boolean sees(String owner) {
    return role != Role.OPERATOR || principal.equals(owner);
  }

  /** The only owner whose records this caller sees, or null for all. */
  public String ownerFilter() {
    return role == Role.OPERATOR ? principal : null;
  }

  /** Submitting and controlling need operator or admin. */
  public void requireControl() {
    if (role == Role.VIEWER) {
      throw new EngineError(ErrorCode.FORBIDDEN, "the viewer role may not run or control processes");
    }
  }
}
