package io.isometry.contract;

import java.util.Locale;

/** How bad a violation is. */
public enum Severity {
  LOW, MEDIUM, HIGH, CRITICAL;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException for a severity this version does not know */
  public static Severity fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
