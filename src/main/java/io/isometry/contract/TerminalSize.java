package io.isometry.contract;

import io.vertx.core.json.JsonObject;

/** A terminal's window, {@code cols} × {@code rows}, each 1 to {@link #MAX}. */
public record TerminalSize(int cols, int rows) {

  public static final int MAX = 1000;
  public static final TerminalSize DEFAULT = new TerminalSize(80, 24);

  /** Reads {@code cols} and {@code rows}; each absent one is the default's when {@code defaults}, else required. */
  public static TerminalSize fromJson(JsonObject body, boolean defaults) {
    return new TerminalSize(dimension(body, Fields.COLS, defaults ? DEFAULT.cols : null),
        dimension(body, Fields.ROWS, defaults ? DEFAULT.rows : null));
  }

  private static int dimension(JsonObject body, String field, Integer fallback) {
    Object value = body.getValue(field);
    if (value == null && fallback != null) {
      return fallback;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1
        || ((Number) value).longValue() > MAX) {
      throw EngineError.invalid("'" + field + "' must be an integer from 1 to " + MAX);
    }
    return ((Number) value).intValue();
  }
}
