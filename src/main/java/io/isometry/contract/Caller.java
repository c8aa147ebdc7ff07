package io.isometry.contract;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

/**
 * Who a request comes from, as the headers say ({@link Addresses#HEADER_OWNER},
 * {@link Addresses#HEADER_ROLE}): the bridges stamp the principal they authenticated, and an
 * embedding host's client the principal the host chose ({@link #trustedHost}). Fail-closed: a
 * request that says no owner or no role is refused, never taken for an admin.
 */
public record Caller(String principal, Role role) {

  /**
   * An embedding host's own principal: it may see and control everything (admin), and what it
   * submits is recorded as {@code principal}'s.
   */
  public static Caller trustedHost(String principal) {
    return new Caller(principal, Role.ADMIN);
  }

  public static Caller of(Message<?> message) {
    // Two of either (in any spelling of the name) is a bridge bug or an attack: never pick one.
    if (message.headers().getAll(Addresses.HEADER_OWNER).size() > 1
        || message.headers().getAll(Addresses.HEADER_ROLE).size() > 1) {
      throw new EngineError(ErrorCode.FORBIDDEN, "conflicting owner or role headers");
    }
    String owner = message.headers().get(Addresses.HEADER_OWNER);
    String role = message.headers().get(Addresses.HEADER_ROLE);
    if (owner == null || owner.isEmpty() || role == null) {
      throw new EngineError(ErrorCode.FORBIDDEN,
          "the request says no owner or no role; an embedding host speaks through IsometryClient.trusted");
    }
    Role parsed = Role.fromWire(role);
    if (parsed == null) {
      throw new EngineError(ErrorCode.FORBIDDEN, "unknown role '" + role + "'");
    }
    return new Caller(owner, parsed);
  }

  /** The headers of a request made for this caller. */
  public DeliveryOptions headers() {
    return new DeliveryOptions()
        .addHeader(Addresses.HEADER_OWNER, principal)
        .addHeader(Addresses.HEADER_ROLE, role.wire());
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
