package io.isometry.testing;

import io.isometry.contract.EngineError;
import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Blocks a test thread (never an event loop) on a future. */
public final class Await {

  private static final long TIMEOUT_MS = 20_000;

  private Await() {
  }

  public static <T> T result(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** The error a future failed with; fails the test if it succeeded. */
  public static EngineError failure(Future<?> future) throws Exception {
    try {
      Object value = result(future);
      throw new AssertionError("expected a failure, got " + value);
    } catch (EngineError error) {
      return error;
    }
  }
}
