package io.isometry.journal;

import java.nio.charset.StandardCharsets;

/** The last bytes of a text, at most a bound in UTF-8, cut at a character boundary. */
record Utf8Tail(String text, boolean truncated) {

  static Utf8Tail of(String text, int maxBytes) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= maxBytes) {
      return new Utf8Tail(text, false);
    }
    int from = bytes.length - maxBytes;
    // Continuation bytes (10xxxxxx) belong to a character that began before the cut: skip them.
    while (from < bytes.length && (bytes[from] & 0xC0) == 0x80) {
      from++;
    }
    return new Utf8Tail(new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8), true);
  }
}
