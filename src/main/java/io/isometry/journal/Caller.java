package io.isometry.journal;

import io.isometry.contract.Addresses;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Role;
import io.vertx.core.eventbus.Message;

/**
 * Who reads the journal, from the headers the bridges set: operators see their own records;
 * viewers, admins and trusted in-process callers (no role header: the supervisor, a host app) see all.
 */
record Caller(String principal, Role role) {

  static Caller of(Message<?> message) {
    String owner = message.headers().get(Addresses.HEADER_OWNER);
    String role = message.headers().get(Addresses.HEADER_ROLE);
    Role parsed = role == null ? Role.ADMIN : Role.fromWire(role);
    if (parsed == null) {
      throw new EngineError(ErrorCode.FORBIDDEN, "unknown role '" + role + "'");
    }
    return new Caller(owner == null || owner.isEmpty() ? "anonymous" : owner, parsed);
  }

  /** The only owner whose records this caller sees, or null for all. */
  String ownerFilter() {
    return role == Role.OPERATOR ? principal : null;
  }

  boolean sees(String owner) {
    return role != Role.OPERATOR || principal.equals(owner);
  }
}
