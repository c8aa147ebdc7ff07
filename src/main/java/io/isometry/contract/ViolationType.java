package io.isometry.contract;

import java.util.Locale;

/** The kinds of security violation a validator reports. */
public enum ViolationType {
  COMMAND_INJECTION, ARGUMENT_INJECTION, PATH_TRAVERSAL, UNAUTHORIZED_FILE_ACCESS,
  PRIVILEGE_ESCALATION, ENVIRONMENT_VIOLATION, COMMAND_NOT_ALLOWED, INVALID_REQUEST;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException for a kind this version does not know */
  public static ViolationType fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
