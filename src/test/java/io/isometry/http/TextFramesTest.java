package io.isometry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The feed's ready-made frames, read back by Netty's own client-side decoder. */
class TextFramesTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 127, 65_535, 65_536, 70_000})
  void aMessageWithinTheFrameSizeIsOneFinalTextFrame(int length) {
    String text = "x".repeat(length);

    List<WebSocketFrame> frames = decode(TextFrames.encode(text, 65_536));

    assertThat(frames).hasSize(length > 65_536 ? 2 : 1);
    assertThat(frames.get(0)).isInstanceOf(TextWebSocketFrame.class);
    assertThat(frames.get(frames.size() - 1).isFinalFragment()).isTrue();
    assertThat(reassemble(frames)).isEqualTo(text);
    frames.forEach(WebSocketFrame::release);
  }

  @Test
  void aLongerMessageIsFragmentedAndACutMayFallInsideACharacter() {
    // "é" is two bytes and "€" three: with 7-byte frames the cuts fall inside characters.
    String text = "{\"data\":\"é€é€é€é€ abc €€€\"}";

    List<WebSocketFrame> frames = decode(TextFrames.encode(text, 7));

    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    assertThat(frames).hasSize((bytes + 6) / 7);
    assertThat(frames.get(0)).isInstanceOf(TextWebSocketFrame.class);
    assertThat(frames.subList(1, frames.size())).allSatisfy(frame ->
        assertThat(frame).isInstanceOf(ContinuationWebSocketFrame.class));
    assertThat(frames.subList(0, frames.size() - 1)).noneMatch(WebSocketFrame::isFinalFragment);
    assertThat(frames.get(frames.size() - 1).isFinalFragment()).isTrue();
    assertThat(reassemble(frames)).isEqualTo(text);
    frames.forEach(WebSocketFrame::release);
  }

  @Test
  void aFrameMustHoldSomething() {
    assertThatThrownBy(() -> TextFrames.encode("x", 0)).isInstanceOf(IllegalArgumentException.class);
  }

  /** What a client reads: server frames are unmasked, and no extension is in use. */
  private static List<WebSocketFrame> decode(ByteBuf wire) {
    EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));
    client.writeInbound(wire);
    List<WebSocketFrame> frames = new ArrayList<>();
    for (Object frame; (frame = client.readInbound()) != null; ) {
      frames.add((WebSocketFrame) frame);
    }
    client.finishAndReleaseAll();
    return frames;
  }

  private static String reassemble(List<WebSocketFrame> frames) {
    byte[] all = new byte[frames.stream().mapToInt(frame -> frame.content().readableBytes()).sum()];
    int at = 0;
    for (WebSocketFrame frame : frames) {
      int size = frame.content().readableBytes();
      frame.content().getBytes(frame.content().readerIndex(), all, at, size);
      at += size;
    }
    return new String(all, StandardCharsets.UTF_8);
  }
}
