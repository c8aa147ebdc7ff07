package io.isometry.supervisor;

/** Where UTF-8 text can be cut without splitting a character. */
final class Utf8 {

  private Utf8() {
  }

  /**
   * The length of the longest prefix of {@code bytes[0, length)} that does not end inside a
   * multi-byte character. Bytes that are not valid UTF-8 count as whole (they decode to U+FFFD
   * either way), so the result is never more than three bytes short of {@code length}.
   */
  static int completeLength(byte[] bytes, int length) {
    for (int back = 1; back <= Math.min(3, length); back++) {
      int b = bytes[length - back] & 0xFF;
      if ((b & 0xC0) == 0x80) {
        continue;
      }
      int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
      return needed > back ? length - back : length;
    }
    return length;
  }
}
