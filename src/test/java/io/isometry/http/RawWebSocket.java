package io.isometry.http;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP and WebSocket spoken byte by byte over a plain socket, for what a library client hides or
 * refuses to send: a malformed request, the handshake's own answer, a receive buffer small enough
 * that the server's writes back up, and each frame as it is on the wire.
 */
final class RawWebSocket implements AutoCloseable {

  /** One frame: its opcode, whether it ends its message, and its payload. */
  record Frame(int opcode, boolean fin, byte[] payload) {
    static final int TEXT = 0x1;
    static final int CONTINUATION = 0x0;
    static final int CLOSE = 0x8;

    int closeCode() {
      return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }
  }

  private final Socket socket;
  private final DataInputStream in;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
  }

  /** Sends the request's head (no body) and returns the socket; the answer is read by the caller. */
  static RawWebSocket request(int port, int receiveBufferBytes, String head) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(receiveBufferBytes);
    socket.setSoTimeout(10_000);
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket.getOutputStream().write((head + "\r\n").getBytes(StandardCharsets.US_ASCII));
    return new RawWebSocket(socket);
  }

  /** A WebSocket handshake's request head for the feed, with {@code extraHeaders} (each ending in CRLF). */
  static String handshake(String extraHeaders) {
    return "GET " + ApiRouter.WEB_SOCKET_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + extraHeaders;
  }

  /** The answer's status line and headers, up to the blank line. */
  String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int ends = 0;
    while (ends < 4) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("the connection ended in the answer's head: " + head);
      }
      head.write(c);
      ends = (c == '\r' && ends % 2 == 0) || (c == '\n' && ends % 2 == 1) ? ends + 1 : 0;
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** The answer's body, of the length its head announced. */
  String readBody(String head) throws IOException {
    int length = 0;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    byte[] body = new byte[length];
    in.readFully(body);
    return new String(body, StandardCharsets.UTF_8);
  }

  Frame readFrame() throws IOException {
    int first = in.readUnsignedByte();
    int second = in.readUnsignedByte();
    long length = second & 0x7F;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[Math.toIntExact(length)];
    in.readFully(payload);
    return new Frame(first & 0x0F, (first & 0x80) != 0, payload);
  }

  /** Sends one text frame, masked (with a key of zeros) like every client frame. */
  void sendText(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x81);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length <= 0xFFFF) {
      frame.write(0x80 | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length & 0xFF);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >> shift) & 0xFF);
      }
    }
    frame.write(new byte[4]);
    frame.write(payload);
    socket.getOutputStream().write(frame.toByteArray());
  }

  /** Answers a close frame, as a client must: code 1000, masked (with a key of zeros) like every client frame. */
  void answerClose() throws IOException {
    socket.getOutputStream().write(new byte[] {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xE8});
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
