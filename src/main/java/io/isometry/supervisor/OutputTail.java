package io.isometry.supervisor;

import java.nio.charset.StandardCharsets;

/**
 * The last {@code capacity} bytes a stream wrote, for readers who come late, and the count of all
 * of them. Grows as output arrives (most processes write little), never beyond its capacity.
 * Used on the supervisor's context only.
 */
final class OutputTail {

  private static final int INITIAL = 4096;
  private final int capacity;
  private byte[] ring = new byte[0];
  private int start;
  private int size;
  private long total;
  private boolean released;
  private boolean truncatedBeforeRelease;

  OutputTail(int capacity) {
    this.capacity = capacity;
  }

  void append(byte[] bytes) {
    total += bytes.length;
    if (capacity == 0) {
      return;
    }
    int from = Math.max(0, bytes.length - capacity);
    int count = bytes.length - from;
    ensureRoom(Math.min(capacity, size + count));
    int write = (start + size) % ring.length;
    int first = Math.min(count, ring.length - write);
    System.arraycopy(bytes, from, ring, write, first);
    System.arraycopy(bytes, from + first, ring, 0, count - first);
    int overflow = size + count - ring.length;
    if (overflow > 0) {
      start = (start + overflow) % ring.length;
      size = ring.length;
    } else {
      size += count;
    }
  }

  /** The bytes it holds on the heap. */
  int heapBytes() {
    return ring.length;
  }

  /** Lets its bytes go (a finished record's, when all finished output is over its bound): the journal has them. */
  void release() {
    truncatedBeforeRelease = truncated();
    ring = new byte[0];
    start = 0;
    size = 0;
    released = true;
  }

  /** True once {@link #release()}d: its text is the journal's to answer. */
  boolean released() {
    return released;
  }

  /** Every byte written so far. */
  long total() {
    return total;
  }

  /** True when earlier bytes have been dropped. */
  boolean truncated() {
    return released ? truncatedBeforeRelease : total > size;
  }

  /** The offset of the first retained byte in the whole stream. */
  long retainedOffset() {
    return total - size;
  }

  /**
   * The retained bytes as text. A cut through a multi-byte character at the start is skipped, so
   * the text never begins with a replacement character that the process did not write.
   */
  String text() {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = ring[(start + i) % ring.length];
    }
    int skip = 0;
    if (truncated()) {
      while (skip < bytes.length && skip < 3 && (bytes[skip] & 0xC0) == 0x80) {
        skip++;
      }
    }
    return new String(bytes, skip, bytes.length - skip, StandardCharsets.UTF_8);
  }

  private void ensureRoom(int needed) {
    if (needed <= ring.length) {
      return;
    }
    int length = Math.min(capacity, Math.max(needed, Math.max(INITIAL, ring.length * 2)));
    byte[] grown = new byte[length];
    for (int i = 0; i < size; i++) {
      grown[i] = ring[(start + i) % ring.length];
    }
    ring = grown;
    start = 0;
  }
}
