package io.isometry.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A submit body, checked for shape: known fields only, each of its type, exactly one of
 * {@code command} and {@code argv}. Whether it is allowed to run is the validator's call; whether
 * its limits fit the server's is the supervisor's.
 */
public record SubmitRequest(
    String command,
    List<String> argv,
    String cwd,
    Map<String, String> env,
    Long timeoutMs,
    Long memoryLimitBytes,
    boolean background,
    String label,
    String idempotencyKey,
    boolean stdin,
    TerminalSize tty) {

  private static final Set<String> KNOWN = Set.of(Fields.COMMAND, Fields.ARGV, Fields.CWD, Fields.ENV,
      Fields.TIMEOUT_MS, Fields.MEMORY_LIMIT_BYTES, Fields.BACKGROUND, Fields.LABEL, Fields.IDEMPOTENCY_KEY,
      Fields.STDIN, Fields.TTY, Fields.COLS, Fields.ROWS);
  private static final int MAX_LABEL_LENGTH = 200;
  private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
  /** How long an idempotency key answers with its first request's record: 24 hours, across restarts. */
  public static final long IDEMPOTENCY_WINDOW_MS = 24L * 60 * 60 * 1000;
  /**
   * The smallest memory limit a request, or the engine's configuration ({@code limits.memoryBytes}),
   * may set. Unconfined, the engine's spawner thread stands in a tree's cgroup v1 while it starts the
   * tree's first process, and what it allocates there is charged to the tree: at a few pages the kernel refused
   * the spawn, the thread's way out, or the engine's own memory (the JVM died). 16 MiB leaves room for
   * all of that, and no real program runs in less.
   */
  public static final long MIN_MEMORY_LIMIT_BYTES = 16L * 1024 * 1024;

  /** The command as a person reads it: as submitted, or argv joined. */
  public String displayCommand() {
    return command != null ? command : String.join(" ", argv);
  }

  /**
   * Reads a submit body.
   *
   * @throws EngineError {@code invalid_request} naming the first field that is wrong
   */
  public static SubmitRequest fromJson(JsonObject body) {
    if (body == null) {
      throw EngineError.invalid("the body must be a JSON object");
    }
    for (String field : body.fieldNames()) {
      if (!KNOWN.contains(field)) {
        throw EngineError.invalid("unknown field '" + field + "'");
      }
    }
    String command = optionalString(body, Fields.COMMAND);
    List<String> argv = optionalArgv(body);
    if ((command == null) == (argv == null)) {
      throw EngineError.invalid("give exactly one of 'command' and 'argv'");
    }
    if (command != null && command.isBlank()) {
      throw EngineError.invalid("'command' is empty");
    }
    String label = optionalString(body, Fields.LABEL);
    if (label != null && label.length() > MAX_LABEL_LENGTH) {
      throw EngineError.invalid("'label' is longer than " + MAX_LABEL_LENGTH + " characters");
    }
    Object background = body.getValue(Fields.BACKGROUND);
    if (background != null && !(background instanceof Boolean)) {
      throw EngineError.invalid("'background' must be true or false");
    }
    boolean tty = optionalFlag(body, Fields.TTY);
    if (!tty && (body.getValue(Fields.COLS) != null || body.getValue(Fields.ROWS) != null)) {
      throw EngineError.invalid("'cols' and 'rows' are a terminal's: they need 'tty': true");
    }
    // A terminal is its process's stdin too: a tty without stdin would be a terminal nobody can type on.
    return new SubmitRequest(command, argv, optionalString(body, Fields.CWD), optionalEnv(body),
        optionalPositiveLong(body, Fields.TIMEOUT_MS), optionalMemoryLimit(body),
        Boolean.TRUE.equals(background), label, idempotencyKey(body), tty || optionalFlag(body, Fields.STDIN),
        tty ? TerminalSize.fromJson(body, true) : null);
  }

  private static boolean optionalFlag(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value != null && !(value instanceof Boolean)) {
      throw EngineError.invalid("'" + field + "' must be true or false");
    }
    return Boolean.TRUE.equals(value);
  }

  /** 1 to 255 visible ASCII characters (a UUID, a request id): it is echoed in logs and kept in the journal. */
  private static String idempotencyKey(JsonObject body) {
    String key = optionalString(body, Fields.IDEMPOTENCY_KEY);
    if (key != null && (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH
        || !key.chars().allMatch(c -> c > 0x20 && c < 0x7F))) {
      throw EngineError.invalid("'" + Fields.IDEMPOTENCY_KEY + "' must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH
          + " visible ASCII characters");
    }
    return key;
  }

  private static String optionalString(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw EngineError.invalid("'" + field + "' must be a string");
    }
    return (String) value;
  }

  private static List<String> optionalArgv(JsonObject body) {
    Object value = body.getValue(Fields.ARGV);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw EngineError.invalid("'argv' must be a non-empty array of strings");
    }
    List<String> argv = new ArrayList<>(array.size());
    for (Object element : array) {
      if (!(element instanceof String text)) {
        throw EngineError.invalid("'argv' must be a non-empty array of strings");
      }
      argv.add(text);
    }
    return Collections.unmodifiableList(argv);
  }

  private static Map<String, String> optionalEnv(JsonObject body) {
    Object value = body.getValue(Fields.ENV);
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof JsonObject object)) {
      throw EngineError.invalid("'env' must be an object of strings");
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : object) {
      if (!(entry.getValue() instanceof String text)) {
        throw EngineError.invalid("'env' must be an object of strings");
      }
      env.put(entry.getKey(), text);
    }
    return Collections.unmodifiableMap(env);
  }

  private static Long optionalPositiveLong(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() <= 0) {
      throw EngineError.invalid("'" + field + "' must be a positive integer");
    }
    return ((Number) value).longValue();
  }

  private static Long optionalMemoryLimit(JsonObject body) {
    Long bytes = optionalPositiveLong(body, Fields.MEMORY_LIMIT_BYTES);
    if (bytes != null && bytes < MIN_MEMORY_LIMIT_BYTES) {
      throw EngineError.invalid("'" + Fields.MEMORY_LIMIT_BYTES + "' must be at least " + MIN_MEMORY_LIMIT_BYTES + " (16 MiB)");
    }
    return bytes;
  }
}
