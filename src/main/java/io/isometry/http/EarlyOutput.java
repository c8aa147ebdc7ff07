package io.isometry.http;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Output that came before the answer to a run, for the socket that asked for the run. The engine
 * answers a run once its journal has the record, and a quick process may have printed by then; the
 * answer names the process, so until it comes the socket holds the output of its principal's
 * processes it does not follow. Each held frame remembers the newest run asked when it came: a
 * run's output comes after the run was asked, so once no run that old is unanswered the frame can
 * belong to none, and goes. Bounded in characters, as far as a client may fall behind anyway.
 */
final class EarlyOutput {

  /** The most held, in characters of frames. */
  static final int MAX_CHARS = FeedChannel.MAX_UNREAD_BYTES;

  private record Held(String processId, String frame, long newestRunAtArrival) {
  }

  private final NavigableSet<Long> unanswered = new TreeSet<>();
  private final List<Held> held = new ArrayList<>();
  private long lastRun;
  private long heldChars;

  /** A run was asked for: its number, for {@link #answered}. */
  long asked() {
    unanswered.add(++lastRun);
    return lastRun;
  }

  /** Whether a run is unanswered, so that output is worth offering. */
  boolean waiting() {
    return !unanswered.isEmpty();
  }

  /** Holds a frame of a process the socket does not follow, while a run is unanswered and there is room. */
  void offer(String processId, String frame) {
    if (waiting() && heldChars + frame.length() <= MAX_CHARS) {
      held.add(new Held(processId, frame, lastRun));
      heldChars += frame.length();
    }
  }

  /**
   * Run {@code run} was answered with {@code processId} (null: it was refused): the frames held for
   * that process, in order. What can belong to no unanswered run any more is let go.
   */
  List<String> answered(long run, String processId) {
    unanswered.remove(run);
    List<String> its = held.stream().filter(frame -> frame.processId().equals(processId)).map(Held::frame).toList();
    long oldestUnanswered = waiting() ? unanswered.first() : Long.MAX_VALUE;
    held.removeIf(frame -> frame.processId().equals(processId) || frame.newestRunAtArrival() < oldestUnanswered);
    heldChars = held.stream().mapToLong(frame -> frame.frame().length()).sum();
    return its;
  }
}
