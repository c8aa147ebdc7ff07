package io.isometry.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** One event's frames, shared by the sockets it goes to: each write owns a reference, nothing leaks. */
class SharedFrameTest {

  private final JsonObject event = new JsonObject().put("type", "output").put("data", "héllo\n");

  @Test
  void everySocketReadsTheSameBytesFromItsOwnPosition() {
    SharedFrame frame = new SharedFrame(event, 65_536);

    ByteBuf first = frame.retainedWire();
    ByteBuf second = frame.retainedWire();
    first.skipBytes(first.readableBytes());

    assertThat(second.readableBytes()).isEqualTo(2 + event.encode().getBytes(StandardCharsets.UTF_8).length);
    assertThat(second.getByte(second.readerIndex()) & 0xFF).as("a final text frame").isEqualTo(0x81);
    assertThat(second.isReadOnly()).as("no socket's handlers can change what the others send").isTrue();
    first.release();
    second.release();
    frame.release();
  }

  @Test
  void theBytesAreFreedOnceTheFanOutAndEveryWriteHaveReleasedThem() {
    SharedFrame frame = new SharedFrame(event, 65_536);
    ByteBuf first = frame.retainedWire();
    ByteBuf second = frame.retainedWire();

    frame.release();
    assertThat(first.refCnt()).as("the writes still hold it").isPositive();
    first.release();
    assertThat(second.refCnt()).isPositive();
    second.release();

    assertThat(second.refCnt()).isZero();
  }
}
