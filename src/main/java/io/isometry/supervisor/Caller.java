package io.isometry.supervisor;

import io.isometry.contract.Addresses;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.contract.Role;
import io.vertx.core.eventbus.Message;

/**
 * Who a request comes from, as the bridge that authenticated it says in the headers. No role
 * header means a trusted in-process caller (the embedding host's Java client): an admin.
 */
record Caller(String principal, Role role) {

  private static final String ANONYMOUS = "anonymous";

  static Caller of(Message<?> message) {
    String owner = message.headers().get(Addresses.HEADER_OWNER);
    String role = message.headers().get(Addresses.HEADER_ROLE);
    Role parsed = role == null ? Role.ADMIN : Role.fromWire(role);
    if (parsed == null) {
      throw new EngineError(ErrorCode.FORBIDDEN, "unknown role '" + role + "'");
    }
    return new Caller(owner == null || owner.isEmpty() ? ANONYMOUS : owner, parsed);
  }

  /** Viewers and admins see every record; operators their own. */
  boolean sees(ProcessRecord record) {
    return sees(record.owner);
  }

  boolean sees(String owner) {
    return role != Role.OPERATOR || principal.equals(owner);
  }

  /** Submitting and controlling need operator or admin. */
  void requireControl() {
    if (role == Role.VIEWER) {
      throw new EngineError(ErrorCode.FORBIDDEN, "the viewer role may not run or control processes");
    }
  }
}
