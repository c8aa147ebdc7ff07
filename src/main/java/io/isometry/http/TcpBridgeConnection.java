package io.isometry.http;

import io.isometry.auth.Principal;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of the TCP bridge. Frames in: {@code send} (to a public request address, with
 * {@code replyAddress} to get the answer), {@code register} / {@code unregister} (an event address),
 * {@code ping}; {@code publish} is refused. Frames out: {@code message} (an event, or the answer sent
 * to the frame's {@code replyAddress}), {@code err}, {@code pong} — the shapes of Vert.x's TCP bridge,
 * so its clients work unchanged; a refusal by the bridge itself also carries the contract's
 * {@code error} code.
 *
 * <p>The connection is closed, after an {@code err} frame saying why, when a frame announces more than
 * the bound (before any of it is read), when a {@code send} or {@code register} frame has no valid
 * token, when a frame is not a JSON object, and when no valid token has come within the grace period.
 * A client that does not read the events it registered for is closed too, instead of buffered for.
 * All of it runs on the HTTP verticle's event loop: nothing here is shared between threads.
 */
final class TcpBridgeConnection {

  private static final Logger LOG = LoggerFactory.getLogger(TcpBridgeConnection.class);

  private static final String TYPE = "type";
  private static final String ADDRESS = "address";
  private static final String REPLY_ADDRESS = "replyAddress";
  private static final String HEADERS = "headers";
  private static final String BODY = "body";

  private final NetSocket socket;
  private final Vertx vertx;
  private final BridgeAccess access;
  private final LengthPrefixedFrames frames;
  private final Map<String, MessageConsumer<Object>> consumers = new HashMap<>();
  private final long deadline;
  private boolean authenticated;
  private boolean closing;

  private TcpBridgeConnection(Vertx vertx, NetSocket socket, BridgeAccess access, int maxFrameBytes,
                              long authGraceMs) {
    this.vertx = vertx;
    this.socket = socket;
    this.access = access;
    this.frames = new LengthPrefixedFrames(maxFrameBytes, this::frame, announced -> refuse(
        new EngineError(ErrorCode.PAYLOAD_TOO_LARGE, "a frame may be at most " + maxFrameBytes
            + " bytes; this one announced " + announced), null));
    this.deadline = vertx.setTimer(authGraceMs, timer -> {
      if (!authenticated) {
        refuse(new EngineError(ErrorCode.UNAUTHORIZED, "no frame with a valid token within " + authGraceMs + " ms"),
            null);
      }
    });
    socket.handler(frames);
    socket.exceptionHandler(failure -> {
      LOG.debug("TCP bridge connection from {} failed", socket.remoteAddress(), failure);
      close();
    });
    socket.closeHandler(closed -> forget());
  }

  /** Serves the bridge's protocol on a newly accepted socket. */
  static void open(Vertx vertx, NetSocket socket, BridgeAccess access, int maxFrameBytes, long authGraceMs) {
    new TcpBridgeConnection(vertx, socket, access, maxFrameBytes, authGraceMs);
  }

  private void frame(Buffer bytes) {
    JsonObject frame;
    try {
      frame = ClientJson.object(bytes.toString(StandardCharsets.UTF_8), "a frame");
    } catch (EngineError invalid) {
      refuse(invalid, null);
      return;
    }
    String address = BridgeAccess.address(frame);
    switch (String.valueOf(frame.getValue(TYPE))) {
      case "ping" -> write(new JsonObject().put(TYPE, "pong"));
      case "send" -> speaker(frame).ifPresent(who -> send(frame, address, who));
      case "register" -> speaker(frame).ifPresent(who -> register(address, who));
      case "unregister" -> unregister(address);
      case "publish" -> deny(new EngineError(ErrorCode.FORBIDDEN, "publish is not allowed: requests are request/reply"),
          frame);
      default -> deny(new EngineError(ErrorCode.INVALID_REQUEST,
          "type must be send, register, unregister or ping"), frame);
    }
  }

  /** The principal of the frame's token; without a valid one, the connection is refused. */
  private Optional<Principal> speaker(JsonObject frame) {
    Optional<Principal> principal = access.authenticate(frame);
    if (principal.isEmpty()) {
      refuse(new EngineError(ErrorCode.UNAUTHORIZED,
          "send and register frames carry a valid token: \"headers\": {\"token\": ...}"), frame);
    } else if (!authenticated) {
      authenticated = true;
      vertx.cancelTimer(deadline);
    }
    return principal;
  }

  private void send(JsonObject frame, String address, Principal principal) {
    if (!BridgeAccess.REQUEST_ADDRESSES.contains(address)) {
      deny(new EngineError(ErrorCode.FORBIDDEN, "not a public request address: " + address), frame);
      return;
    }
    if (!access.admitSend(frame, principal)) {
      deny(new EngineError(ErrorCode.RATE_LIMITED, "too many submits; try again later"), frame);
      return;
    }
    DeliveryOptions delivery = new DeliveryOptions();
    frame.getJsonObject(HEADERS).forEach(header -> delivery.addHeader(header.getKey(), String.valueOf(header.getValue())));
    Object body = frame.getValue(BODY);
    String replyAddress = frame.getString(REPLY_ADDRESS);
    if (replyAddress == null) {
      vertx.eventBus().send(address, body, delivery);
    } else {
      vertx.eventBus().request(address, body, delivery).onComplete(answer -> answer(address, replyAddress, answer));
    }
  }

  /** The answer to a request, in Vert.x's shapes: a message to the reply address, or its failure. */
  private void answer(String address, String replyAddress, AsyncResult<Message<Object>> answer) {
    if (answer.succeeded()) {
      write(message(replyAddress, answer.result(), true));
    } else if (answer.cause() instanceof ReplyException failure) {
      write(new JsonObject().put(TYPE, "err").put(ADDRESS, replyAddress).put("sourceAddress", address)
          .put("failureCode", failure.failureCode()).put("failureType", failure.failureType().name())
          .put("message", failure.getMessage()));
    } else {
      LOG.warn("A request to {} from the TCP bridge failed", address, answer.cause());
      write(error(EngineError.from(answer.cause())).put(ADDRESS, replyAddress));
    }
  }

  private void register(String address, Principal principal) {
    if (!BridgeAccess.isEventAddress(address) || !BridgeAccess.mayRegister(address, principal, false)) {
      deny(new EngineError(ErrorCode.FORBIDDEN, principal.name() + " may not listen on " + address), null);
      return;
    }
    consumers.computeIfAbsent(address, listened -> vertx.eventBus().consumer(listened,
        event -> write(message(event.address(), event, event.isSend()))));
  }

  private void unregister(String address) {
    MessageConsumer<Object> consumer = consumers.remove(address);
    if (consumer == null) {
      deny(new EngineError(ErrorCode.NOT_FOUND, "not registered: " + address), null);
    } else {
      consumer.unregister();
    }
  }

  private static JsonObject message(String address, Message<Object> message, boolean send) {
    JsonObject headers = new JsonObject();
    message.headers().forEach(header -> headers.put(header.getKey(), header.getValue()));
    return new JsonObject().put(TYPE, "message").put(ADDRESS, address).put(HEADERS, headers)
        .put(BODY, message.body()).put("send", send);
  }

  /** Tells the client a frame was refused; the connection stays. */
  private void deny(EngineError error, JsonObject frame) {
    JsonObject answer = error(error);
    if (frame != null && frame.getValue(REPLY_ADDRESS) instanceof String replyAddress) {
      answer.put(ADDRESS, replyAddress);
    }
    write(answer);
  }

  /** Tells the client why, then closes the connection. */
  private void refuse(EngineError error, JsonObject frame) {
    LOG.debug("TCP bridge connection from {} refused: {}", socket.remoteAddress(), error.getMessage());
    deny(error, frame);
    close();
  }

  private static JsonObject error(EngineError error) {
    return new JsonObject().put(TYPE, "err").mergeIn(error.toJson());
  }

  private void write(JsonObject frame) {
    if (closing) {
      return;
    }
    if (socket.writeQueueFull()) {
      // A client that does not read what it asked for: closed, rather than buffered for without end.
      LOG.debug("TCP bridge connection from {} closed: it does not read", socket.remoteAddress());
      close();
      return;
    }
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    socket.write(Buffer.buffer(LengthPrefixedFrames.LENGTH_BYTES + json.length).appendInt(json.length).appendBytes(json));
  }

  private void close() {
    if (!closing) {
      closing = true;
      frames.stop();
      socket.close();
    }
  }

  private void forget() {
    closing = true;
    frames.stop();
    vertx.cancelTimer(deadline);
    consumers.values().forEach(MessageConsumer::unregister);
    consumers.clear();
  }
}
