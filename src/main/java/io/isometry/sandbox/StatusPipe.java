package io.isometry.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads a sandbox's status pipe: its first line when it is made, the rest once it has ended. */
public final class StatusPipe {

  /** Far more than bubblewrap writes; a bound, so that a broken helper cannot fill the heap. */
  private static final int MAX_BYTES = 16 * 1024;

  private StatusPipe() {
  }

  /** Blocks until a whole line (or the end of the pipe) has come. */
  public static String firstLine(InputStream status) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    int next;
    while (line.size() < MAX_BYTES && (next = status.read()) >= 0) {
      line.write(next);
      if (next == '\n') {
        break;
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  /** Everything left up to the end of the pipe (bounded), then closes it. */
  public static String rest(InputStream status) throws IOException {
    try (status) {
      return new String(status.readNBytes(MAX_BYTES), StandardCharsets.UTF_8);
    }
  }
}
