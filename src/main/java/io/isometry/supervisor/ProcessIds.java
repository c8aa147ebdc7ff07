package io.isometry.supervisor;

import java.security.SecureRandom;

/**
 * Process ids in the ULID form ({@code p-} then 26 Crockford base-32 characters: 48 bits of
 * milliseconds, 80 bits that count up within a millisecond from a random start), so that ids sort
 * by creation as strings. Used on the supervisor's context only.
 */
final class ProcessIds {

  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private final SecureRandom random = new SecureRandom();
  private long lastMillis = -1;
  private long high;
  private long low;

  String next(long nowMillis) {
    long millis = Math.max(nowMillis, lastMillis);
    if (millis == lastMillis) {
      low++;
      if (low == 0) {
        high = (high + 1) & 0xFFFFL;
      }
    } else {
      lastMillis = millis;
      high = random.nextInt(1 << 15);
      low = random.nextLong();
    }
    char[] text = new char[26];
    encode(millis, 48, text, 0, 10);
    // 80 counter bits (16 of high, 64 of low) in 16 characters: the top 20 bits, then the other 60.
    long top = (high << 4) | (low >>> 60);
    encode(top, 20, text, 10, 4);
    encode(low & 0x0FFFFFFFFFFFFFFFL, 60, text, 14, 12);
    return "p-" + new String(text);
  }

  private static void encode(long value, int bits, char[] into, int at, int chars) {
    for (int i = chars - 1; i >= 0; i--) {
      into[at + i] = ALPHABET[(int) (value & 31)];
      value >>>= 5;
    }
  }
}
