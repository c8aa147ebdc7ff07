package io.isometry.testing;

import io.isometry.client.IsometryClient;
import io.isometry.client.OutputEvent;
import io.isometry.client.ProcessSnapshot;
import io.isometry.contract.ProcessState;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Every process and output event the engine publishes, kept per process id from the moment it is
 * created, so that a test can wait for a state it may have missed by the time it knows the id.
 */
public final class EventLog {

  private final Map<String, List<ProcessSnapshot>> records = new ConcurrentHashMap<>();
  private final Map<String, List<OutputEvent>> outputs = new ConcurrentHashMap<>();
  private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
  /** Processes in the order the engine published them running (its start order). */
  private final List<String> started = new CopyOnWriteArrayList<>();

  private record Waiter(String id, Predicate<ProcessSnapshot> condition, CompletableFuture<ProcessSnapshot> done) {
  }

  private EventLog() {
  }

  /** A log that listens from now on (the future completes when its consumers are registered). */
  public static Future<EventLog> attach(IsometryClient client) {
    EventLog log = new EventLog();
    return Future.all(
            client.onProcess(log::onProcess).completion(),
            client.onOutput(event -> log.outputs.computeIfAbsent(event.id(), id -> new CopyOnWriteArrayList<>()).add(event))
                .completion())
        .map(done -> log);
  }

  /** A log of lifecycle events only, for tests that count output themselves instead of keeping it. */
  public static Future<EventLog> attachLifecycle(IsometryClient client) {
    EventLog log = new EventLog();
    return client.onProcess(log::onProcess).completion().map(done -> log);
  }

  private void onProcess(ProcessSnapshot snapshot) {
    if (snapshot.state() == ProcessState.RUNNING && !started.contains(snapshot.id())) {
      started.add(snapshot.id());
    }
    records.computeIfAbsent(snapshot.id(), id -> new CopyOnWriteArrayList<>()).add(snapshot);
    for (Waiter waiter : waiters) {
      if (waiter.id.equals(snapshot.id()) && waiter.condition.test(snapshot)) {
        waiter.done.complete(snapshot);
        waiters.remove(waiter);
      }
    }
  }

  /**
   * The processes in the order they were published running: the order the engine started them, which
   * their {@code startedAt} stamps need not show when two start within the same millisecond.
   */
  public List<String> startOrder() {
    return List.copyOf(started);
  }

  /** Waits (blocking the test thread) for the first published record of {@code id} that matches. */
  public ProcessSnapshot await(String id, Predicate<ProcessSnapshot> condition, long timeoutMs) throws Exception {
    CompletableFuture<ProcessSnapshot> done = new CompletableFuture<>();
    Waiter waiter = new Waiter(id, condition, done);
    waiters.add(waiter);
    for (ProcessSnapshot seen : records.getOrDefault(id, List.of())) {
      if (condition.test(seen)) {
        waiters.remove(waiter);
        return seen;
      }
    }
    return done.get(timeoutMs, TimeUnit.MILLISECONDS);
  }

  public ProcessSnapshot awaitTerminal(String id, long timeoutMs) throws Exception {
    return await(id, ProcessSnapshot::isTerminal, timeoutMs);
  }

  /** The states of {@code id} in the order they were published, repeats folded. */
  public List<String> states(String id) {
    List<String> states = new ArrayList<>();
    for (ProcessSnapshot snapshot : records.getOrDefault(id, List.of())) {
      String state = snapshot.state().wire();
      if (states.isEmpty() || !states.get(states.size() - 1).equals(state)) {
        states.add(state);
      }
    }
    return states;
  }

  public List<ProcessSnapshot> records(String id) {
    return List.copyOf(records.getOrDefault(id, List.of()));
  }

  public List<OutputEvent> output(String id, String stream) {
    return outputs.getOrDefault(id, List.of()).stream().filter(event -> event.stream().equals(stream)).toList();
  }

  public String text(String id, String stream) {
    StringBuilder text = new StringBuilder();
    output(id, stream).forEach(event -> text.append(event.data()));
    return text.toString();
  }
}
