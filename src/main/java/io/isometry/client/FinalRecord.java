package io.isometry.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.Map;

/**
 * Waits for the terminal record of one process whose id is known only once its submit is answered.
 * The events are listened to before the submit goes out, so a short command's end may arrive before
 * its id: terminal records seen until then are kept, and looked up when the id comes. Events and the
 * answer may come on different threads (a host calls from its own), hence the lock.
 */
final class FinalRecord {

  private final Promise<ProcessSnapshot> promise = Promise.promise();
  private final Map<String, ProcessSnapshot> endedBeforeTheAnswer = new HashMap<>();
  private String id;

  /** A record from the process events. */
  synchronized void offer(ProcessSnapshot record) {
    if (!record.isTerminal()) {
      return;
    }
    if (id == null) {
      endedBeforeTheAnswer.put(record.id(), record);
    } else if (id.equals(record.id())) {
      promise.tryComplete(record);
    }
  }

  /** The submit's answer: from now on only this process's end counts. */
  synchronized Future<ProcessSnapshot> awaitEndOf(ProcessSnapshot accepted) {
    id = accepted.id();
    ProcessSnapshot ended = accepted.isTerminal() ? accepted : endedBeforeTheAnswer.get(id);
    endedBeforeTheAnswer.clear();
    if (ended != null) {
      promise.tryComplete(ended);
    }
    return promise.future();
  }
}
