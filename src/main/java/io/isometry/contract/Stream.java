package io.isometry.contract;

import java.util.Locale;

/** A child's output stream, as the wire names it ({@code stdout}, {@code stderr}). */
public enum Stream {
  STDOUT, STDERR;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The stream a request names; {@code stdout} when it names none.
   *
   * @throws EngineError {@code invalid_request} for anything but {@code stdout} or {@code stderr}
   */
  public static Stream fromWire(Object wire) {
    if (wire == null) {
      return STDOUT;
    }
    for (Stream stream : values()) {
      if (stream.wire().equals(wire)) {
        return stream;
      }
    }
    throw new EngineError(ErrorCode.INVALID_REQUEST, "'" + Fields.STREAM + "' must be stdout or stderr");
  }
}
