package io.isometry.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The framing alone: lengths judged before bodies, however the bytes are cut on the way. */
class LengthPrefixedFramesTest {

  private static final int MAX = 64;

  private final List<String> frames = new ArrayList<>();
  private final List<Long> refused = new ArrayList<>();
  private final LengthPrefixedFrames parser = new LengthPrefixedFrames(MAX,
      frame -> frames.add(frame.toString(StandardCharsets.UTF_8)), refused::add);

  @Test
  void frames_come_out_whole_however_the_stream_is_cut() {
    List<String> sent = List.of("{}", "", "x".repeat(MAX), "{\"a\":1}", "é");
    Buffer stream = Buffer.buffer();
    sent.forEach(text -> {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      stream.appendInt(bytes.length).appendBytes(bytes);
    });
    Random random = new Random(11);
    for (int round = 0; round < 200; round++) {
      frames.clear();
      LengthPrefixedFrames fresh = new LengthPrefixedFrames(MAX,
          frame -> frames.add(frame.toString(StandardCharsets.UTF_8)), refused::add);
      int at = 0;
      while (at < stream.length()) {
        int end = Math.min(stream.length(), at + 1 + random.nextInt(9));
        fresh.handle(stream.getBuffer(at, end));
        at = end;
      }
      assertThat(frames).containsExactlyElementsOf(sent);
    }
    assertThat(refused).isEmpty();
  }

  @Test
  void a_length_over_the_bound_is_refused_at_once_and_nothing_after_it_is_read() {
    parser.handle(Buffer.buffer().appendInt(2).appendString("{}").appendInt(MAX + 1));
    parser.handle(Buffer.buffer().appendString("y".repeat(MAX + 1)).appendInt(2).appendString("{}"));

    assertThat(frames).containsExactly("{}");
    assertThat(refused).containsExactly((long) MAX + 1);
  }

  @Test
  void lengths_are_read_unsigned() {
    for (int announced : new int[] {Integer.MIN_VALUE, -1}) {
      List<Long> seen = new ArrayList<>();
      new LengthPrefixedFrames(MAX, frame -> frames.add("?"), seen::add).handle(Buffer.buffer().appendInt(announced));
      assertThat(seen).containsExactly(Integer.toUnsignedLong(announced));
    }
    assertThat(frames).isEmpty();
  }

  @Test
  void after_a_stop_nothing_more_comes_out() {
    parser.handle(Buffer.buffer().appendInt(2).appendString("{"));
    parser.stop();
    parser.handle(Buffer.buffer().appendString("}").appendInt(2).appendString("{}"));

    assertThat(frames).isEmpty();
    assertThat(refused).isEmpty();
  }
}
