package io.isometry.contract;

import java.util.Locale;

/** How bad a violation is. */
public enum Severity {
  LOW, MEDIUM, HIGH, CRITICAL;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
