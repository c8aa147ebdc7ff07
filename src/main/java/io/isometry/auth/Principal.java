package io.isometry.auth;

import io.isometry.contract.Role;

/**
 * Who a request comes from, as its token says: the name the engine records as the owner of what it
 * submits, and its role. The rules here mirror what the supervisor enforces, so that the bridges can
 * refuse early and filter what they relay without asking it.
 */
public record Principal(String name, Role role) {

  /** Viewers and admins see every process; an operator only its own. */
  public boolean sees(String owner) {
    return role != Role.OPERATOR || name.equals(owner);
  }

  /** Operators and admins may submit and control processes; viewers only read and watch. */
  public boolean mayControl() {
    return role != Role.VIEWER;
  }
}
