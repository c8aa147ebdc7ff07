package io.isometry.contract;

import java.util.Locale;

/** What a principal may do: read and watch, also run and control its own processes, or everything. */
public enum Role {
  VIEWER, OPERATOR, ADMIN;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role of a wire name; null for a name that is not a role. */
  public static Role fromWire(String wire) {
    for (Role role : values()) {
      if (role.wire().equals(wire)) {
        return role;
      }
    }
    return null;
  }
}
