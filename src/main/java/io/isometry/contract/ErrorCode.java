package io.isometry.contract;

import java.util.Locale;

/** The {@code error} codes of the contract, each with the HTTP status it maps to. */
public enum ErrorCode {
  INVALID_REQUEST(400),
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  SECURITY_VIOLATION(403),
  INVALID_STATE(409),
  PAYLOAD_TOO_LARGE(413),
  QUEUE_FULL(429),
  RATE_LIMITED(429),
  /** A process's pending input is at its bound: it has not read what it was sent yet. */
  STDIN_FULL(429),
  INTERNAL_ERROR(500),
  UNAVAILABLE(503);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ErrorCode fromWire(String wire) {
    for (ErrorCode code : values()) {
      if (code.wire().equals(wire)) {
        return code;
      }
    }
    return INTERNAL_ERROR;
  }
}
