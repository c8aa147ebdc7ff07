package io.isometry.contract;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * What a client writes to a process's stdin: {@code data} (text, sent as UTF-8), {@code eof}
 * ({@code true}: the end of input, after {@code data} when both are given), or both; besides them only
 * the process {@code id}.
 */
public record StdinRequest(byte[] data, boolean eof) {

  private static final Set<String> KNOWN = Set.of(Fields.ID, Fields.DATA, Fields.EOF);

  public static StdinRequest fromJson(JsonObject body) {
    for (String field : body.fieldNames()) {
      if (!KNOWN.contains(field)) {
        throw EngineError.invalid("unknown field '" + field + "'");
      }
    }
    Object data = body.getValue(Fields.DATA);
    Object eof = body.getValue(Fields.EOF);
    if (data != null && !(data instanceof String)) {
      throw EngineError.invalid("'data' must be a string");
    }
    if (eof != null && !(eof instanceof Boolean)) {
      throw EngineError.invalid("'eof' must be true or false");
    }
    if (data == null && !Boolean.TRUE.equals(eof)) {
      throw EngineError.invalid("give 'data' (text for the process's stdin), 'eof': true, or both");
    }
    return new StdinRequest(data == null ? new byte[0] : ((String) data).getBytes(StandardCharsets.UTF_8),
        Boolean.TRUE.equals(eof));
  }
}
