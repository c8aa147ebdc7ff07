package io.isometry.http;

import io.isometry.auth.Principal;
import io.isometry.contract.ClientIds;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One connected WebSocket: its connection's id, the {@code clientId} its processes belong to (the
 * connection's own, or one derived from its principal and the session it gave, which every socket
 * of that session shares), the principal it authenticated as (none yet: it receives nothing), the processes whose output it wants, its batch
 * when it asked for batches, and its {@link FeedChannel}. Used only on the feed's context, so it
 * needs no locking.
 */
final class FeedClient {

  /** WebSocket close code 1008, "policy violation": the client did not authenticate. */
  static final short UNAUTHENTICATED = 1008;
  /** The subscription to the output of every process the client may see. */
  static final String ALL_OUTPUT = "*";
  /** A batch frame is {@code {"type":"batch","events":[...]}}, each element the frame it would have had alone. */
  private static final String BATCH_OPENING = "{\"type\":\"batch\",\"events\":[";
  private static final String BATCH_CLOSING = "]}";
  /**
   * How many output subscriptions a socket keeps; past it the oldest go first. A long session
   * that runs many processes must not grow the set for ever, and old processes have long finished.
   */
  static final int MAX_SUBSCRIPTIONS = 1024;

  /** What a session may be: it becomes part of a client id. */
  static final Pattern SESSION = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private final String connection = "ws-" + UUID.randomUUID();
  private String clientId = connection;
  private final FeedChannel channel;
  /** Frames waiting for the next batch, when the client asked for batches; null otherwise. */
  private StringBuilder batch;
  private final Set<String> outputSubscriptions = new LinkedHashSet<>();
  private Principal principal;
  private boolean allOutput;
  private final EarlyOutput earlyOutput = new EarlyOutput();
  /** A run's early output, for right after its answer (which is sent in the same turn of the event loop). */
  private final List<String> afterAnswer = new ArrayList<>();

  FeedClient(FeedChannel channel) {
    this.channel = channel;
  }

  /** This socket's own id, unique among the feed's sockets. */
  String connection() {
    return connection;
  }

  /** The client its processes belong to: the connection's id, or its principal and session's. */
  String id() {
    return clientId;
  }

  /** Whether it gave a session (its processes then outlive it for the reconnect grace). */
  boolean hasSession() {
    return !clientId.equals(connection);
  }

  /** The principal it authenticated as; null until it has. */
  Principal principal() {
    return principal;
  }

  boolean authenticated() {
    return principal != null;
  }

  void authenticate(Principal who) {
    this.principal = who;
  }

  /**
   * Authenticates with a session ({@link #SESSION}, checked by the caller): the client id is the
   * principal's and the session's, so another principal can never take the processes of a session.
   */
  void authenticate(Principal who, String session) {
    this.principal = who;
    this.clientId = ClientIds.ofSession(who.name(), session);
  }

  boolean wantsOutputOf(String processId) {
    return allOutput || outputSubscriptions.contains(processId);
  }

  /** Subscribes to the output of {@code processIds}; {@link #ALL_OUTPUT} stands for every process. */
  void subscribe(Collection<String> processIds) {
    for (String processId : processIds) {
      if (ALL_OUTPUT.equals(processId)) {
        allOutput = true;
      } else {
        outputSubscriptions.remove(processId);
        outputSubscriptions.add(processId);
      }
    }
    Iterator<String> oldestFirst = outputSubscriptions.iterator();
    while (outputSubscriptions.size() > MAX_SUBSCRIPTIONS) {
      oldestFirst.next();
      oldestFirst.remove();
    }
  }

  /** The client asked for a run: its number, for {@link #runAnswered}. */
  long runAsked() {
    return earlyOutput.asked();
  }

  /**
   * Output of a process the client does not follow, owned by {@code owner}: held when it may belong to
   * a run of the client's that the engine has not answered yet ({@link EarlyOutput}).
   */
  void offerUnfollowedOutput(String processId, String owner, SharedFrame frame) {
    if (earlyOutput.waiting() && principal.name().equals(owner)) {
      earlyOutput.offer(processId, frame.text());
    }
  }

  /**
   * The engine answered run {@code run}: the client follows the process ({@code processId}; null when
   * the run was refused) from now on, and gets the output it printed before the answer, in order (in
   * one batch, when the client takes batches), right after the answer ({@link #answerSent}): a client
   * learns the process's id from the answer, and could not place output that came before it.
   */
  void runAnswered(long run, String processId) {
    List<String> early = earlyOutput.answered(run, processId);
    if (processId == null) {
      return;
    }
    subscribe(List.of(processId));
    afterAnswer.addAll(early);
  }

  /** The answer to a client's message has gone out: what must follow it goes now. */
  void answerSent() {
    if (afterAnswer.isEmpty()) {
      return;
    }
    if (batch != null) {
      send(BATCH_OPENING + String.join(",", afterAnswer) + BATCH_CLOSING);
    } else {
      afterAnswer.forEach(this::send);
    }
    afterAnswer.clear();
  }

  /** From now on, events wait for {@link #flushBatch} and go out together, in one frame. */
  void batchEvents() {
    if (batch == null) {
      batch = new StringBuilder();
    }
  }

  boolean batched() {
    return batch != null;
  }

  /**
   * Hands an event to the client: written to its channel for the next {@link #flush}, or added to its
   * batch for the next {@link #flushBatch} when it asked for batches. Answers false when the client
   * takes nothing more (it is closing, or has just been dropped for falling behind).
   */
  boolean deliver(SharedFrame frame) {
    if (batch != null) {
      batch.append(batch.length() == 0 ? BATCH_OPENING : ",").append(frame.text());
      return true;
    }
    return channel.write(frame);
  }

  /** Flushes the events written since the last flush, if any. */
  void flush() {
    channel.flush();
  }

  /** Sends the batch that has built up, if any: {@code {"type":"batch","events":[...]}}, in order. */
  void flushBatch() {
    if (batch != null && batch.length() > 0) {
      String frame = batch.append(BATCH_CLOSING).toString();
      batch.setLength(0);
      send(frame);
    }
  }

  /** Sends one text message at once, with whatever events wait for a flush before it. */
  void send(String message) {
    channel.send(message);
  }

  /** Sends one last frame (why), then closes: for a client that did not authenticate. */
  void refuse(String frame) {
    channel.send(frame);
    channel.close(UNAUTHENTICATED, "unauthenticated");
  }

  void ping() {
    channel.ping();
  }

  /** Closes the connection with {@code code}, saying why. */
  void close(int code, String reason) {
    channel.close((short) code, reason);
  }

  /** The server is shutting the connection down: nothing more is written after its close frame. */
  void stopWriting() {
    channel.stopWriting();
  }
}
