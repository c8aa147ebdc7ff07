package io.isometry.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.isometry.contract.EngineError;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;

/**
 * A JSON object from a client (a REST body, a WebSocket message), read strictly: an object that gives
 * a key twice is refused. Readers differ on which of the two wins (the first, the last, an error), so
 * a proxy or an audit log in front of the engine could see one command and the engine run the other.
 */
final class ClientJson {

  /** Vert.x's own reading (which takes comments), and a key given twice is an error. */
  private static final JsonFactory STRICT = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).enable(JsonReadFeature.ALLOW_JAVA_COMMENTS).build();

  /** How Jackson's message for a key given twice begins. */
  private static final String DUPLICATE = "Duplicate field";

  private ClientJson() {
  }

  /** The object in {@code text}; {@code what} names it in errors ("the body", "the message"). */
  static JsonObject object(String text, String what) {
    Object value;
    // One strict reading: Vert.x's own decoding of what a parser gives, from a parser that refuses a key twice.
    try (JsonParser parser = STRICT.createParser(text)) {
      value = JacksonCodec.fromParser(parser, Object.class);
    } catch (DecodeException e) {
      throw EngineError.invalid(what + (e.getCause() instanceof JsonParseException refused
          && refused.getOriginalMessage().startsWith(DUPLICATE)
          ? " gives a key twice: " + refused.getOriginalMessage() : " is not valid JSON"));
    } catch (IOException unreadable) {
      throw EngineError.invalid(what + " is not valid JSON");
    }
    if (!(value instanceof JsonObject object)) {
      throw EngineError.invalid(what + " must be a JSON object");
    }
    return object;
  }
}
