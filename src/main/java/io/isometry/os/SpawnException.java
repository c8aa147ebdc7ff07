package io.isometry.os;

import java.io.IOException;

/** The operating system refused to start a child (no such file, not executable, out of processes...). */
public final class SpawnException extends IOException {

  public SpawnException(String message) {
    super(message);
  }
}
