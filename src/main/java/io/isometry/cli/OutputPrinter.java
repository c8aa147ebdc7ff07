package io.isometry.cli;

import io.isometry.contract.Stream;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a process's output to the terminal, stdout to stdout and stderr to stderr, each byte once:
 * chunks are placed by their byte offset, so what was already printed from the retained output is
 * skipped when the same bytes arrive live.
 */
final class OutputPrinter {

  private static final long LAST_OUTPUT_WAIT_MS = 2000;

  private final PrintWriter out;
  private final PrintWriter err;
  private final long[] next = new long[Stream.values().length];
  /**
   * Frames that came before the retained output was printed (logs -f subscribes first, so that
   * nothing falls between the two): printed after it, each from where the retained text ended.
   * Null when there is no retained output to wait for.
   */
  private List<JsonObject> early;

  private OutputPrinter(PrintWriter out, PrintWriter err, boolean retainedFirst) {
    this.out = out;
    this.err = err;
    this.early = retainedFirst ? new ArrayList<>() : null;
  }

  /** A printer of live frames only. */
  static OutputPrinter live(PrintWriter out, PrintWriter err) {
    return new OutputPrinter(out, err, false);
  }

  /** A printer that first prints the retained output (of both streams), then the frames after it. */
  static OutputPrinter retainedFirst(PrintWriter out, PrintWriter err) {
    return new OutputPrinter(out, err, true);
  }

  /** Prints retained output, which starts at byte {@code offset} of its stream. */
  synchronized void printRetained(Stream stream, String text, long offset) {
    writer(stream).print(text);
    writer(stream).flush();
    next[index(stream)] = offset + text.getBytes(StandardCharsets.UTF_8).length;
  }

  /** From now until {@link #retainedPrinted()}, live frames wait: retained output is to be printed first. */
  synchronized void holdLive() {
    if (early == null) {
      early = new ArrayList<>();
    }
  }

  /**
   * Prints what of retained output (starting at byte {@code offset} of its stream) has not been
   * printed yet: after a dropped connection, what the process wrote meanwhile.
   */
  synchronized void catchUp(Stream stream, String text, long offset) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    long end = offset + bytes.length;
    long printed = next[index(stream)];
    if (end <= printed) {
      return;
    }
    // Past the engine's retention a gap may lie before offset: what is left is printed all the same.
    int from = (int) Math.max(0, printed - offset);
    writer(stream).print(new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8));
    writer(stream).flush();
    next[index(stream)] = end;
  }

  /** The retained output of both streams is printed: the frames that came meanwhile follow it. */
  synchronized void retainedPrinted() {
    List<JsonObject> waiting = early;
    early = null;
    if (waiting != null) {
      waiting.forEach(this::print);
    }
  }

  synchronized void print(JsonObject frame) {
    if (early != null) {
      early.add(frame);
      return;
    }
    Stream stream = Stream.fromWire(frame.getString("stream"));
    long offset = frame.getLong("offset");
    long end = offset + frame.getLong("bytes");
    long printed = next[index(stream)];
    if (end <= printed) {
      return;
    }
    String data = frame.getString("data");
    if (offset < printed) {
      byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
      data = new String(Arrays.copyOfRange(bytes, (int) (printed - offset), bytes.length), StandardCharsets.UTF_8);
    }
    writer(stream).print(data);
    writer(stream).flush();
    next[index(stream)] = end;
  }

  /**
   * Waits a little (at most {@link #LAST_OUTPUT_WAIT_MS}) until everything an ended process's record
   * counts has been printed: its end can overtake its last chunks on their way.
   */
  void awaitComplete(JsonObject record) throws InterruptedException {
    long deadline = System.currentTimeMillis() + LAST_OUTPUT_WAIT_MS;
    while (!complete(record) && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
  }

  /** Whether everything the record counts has been printed. */
  private synchronized boolean complete(JsonObject record) {
    JsonObject output = record.getJsonObject("output", new JsonObject());
    return next[0] >= output.getLong("stdoutBytes", 0L) && next[1] >= output.getLong("stderrBytes", 0L);
  }

  private PrintWriter writer(Stream stream) {
    return stream == Stream.STDERR ? err : out;
  }

  private static int index(Stream stream) {
    return stream.ordinal();
  }
}
