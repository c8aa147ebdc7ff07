package io.isometry.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the engine's configuration in three layers: the embedded defaults (the jar's copy of
 * {@code conf/isometry.json}), then an optional file, then {@code ISOMETRY_*} environment variables
 * ({@code ISOMETRY_SUPERVISOR_MAXCONCURRENT=8} sets {@code supervisor.maxConcurrent}). A key that
 * the defaults do not have is refused, so a typo never silently means "use the default".
 */
public final class ConfigLoader {

  /** Environment variables with this prefix override configuration keys. */
  public static final String ENV_PREFIX = "ISOMETRY_";
  /**
   * Variables with the prefix that are not keys: the server's home, the CLI's URL and token, the
   * scripts' JVM options. They are someone else's, not typos to warn about.
   */
  private static final Set<String> NOT_KEYS = Set.of("ISOMETRY_HOME", "ISOMETRY_URL", "ISOMETRY_TOKEN",
      "ISOMETRY_JAVA_OPTS", "ISOMETRY_CLI_JAVA_OPTS");
  private static final String DEFAULTS = "/io/isometry/config/isometry.json";
  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  private ConfigLoader() {
  }

  /** The embedded defaults. */
  public static JsonObject defaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new IllegalStateException("the jar has no " + DEFAULTS);
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Defaults, then {@code file} (may be null), then the environment. */
  public static JsonObject load(Path file, Map<String, String> environment) {
    JsonObject config = defaults();
    if (file != null) {
      JsonObject content = readFile(file);
      PrivateFile.requireForTokens(file, content);
      overlay(config, content, "");
    }
    applyEnvironment(config, environment);
    return config;
  }

  /**
   * Defaults with {@code overrides} laid over them, checked the same way as a file, then this
   * process's {@code ISOMETRY_*} variables: what a host's code sets, its operator can still change,
   * as a {@code --conf} file's keys are.
   */
  public static JsonObject withOverrides(JsonObject overrides) {
    return withOverrides(overrides, System.getenv());
  }

  /** Defaults, then {@code overrides}, then the {@code ISOMETRY_*} variables of {@code environment}. */
  public static JsonObject withOverrides(JsonObject overrides, Map<String, String> environment) {
    JsonObject config = defaults();
    overlay(config, overrides, "");
    applyEnvironment(config, environment);
    return config;
  }

  private static JsonObject readFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "cannot read the file (" + e.getMessage() + ")");
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      throw new ConfigException(file.toString(), "not a JSON object (" + e.getMessage() + ")");
    }
  }

  /** Lays {@code override} over {@code base} key by key; both have the shape of the defaults. */
  static void overlay(JsonObject base, JsonObject override, String prefix) {
    for (Map.Entry<String, Object> entry : override) {
      String key = prefix + entry.getKey();
      if (!base.containsKey(entry.getKey())) {
        throw new ConfigException(key, "unknown key");
      }
      Object current = base.getValue(entry.getKey());
      if (current instanceof JsonObject section) {
        if (!(entry.getValue() instanceof JsonObject nested)) {
          throw new ConfigException(key, "must be an object");
        }
        overlay(section, nested, key + ".");
      } else {
        base.put(entry.getKey(), entry.getValue());
      }
    }
  }

  private static void applyEnvironment(JsonObject config, Map<String, String> environment) {
    // Sorted, so that the outcome never depends on the order the platform lists variables in.
    for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
      String name = variable.getKey();
      if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length() && !NOT_KEYS.contains(name)) {
        applyVariable(config, name, variable.getValue());
      }
    }
  }

  private static void applyVariable(JsonObject config, String name, String value) {
    String[] segments = name.substring(ENV_PREFIX.length()).split("_");
    JsonObject section = config;
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < segments.length; i++) {
      String field = findKey(section, segments[i]);
      if (field == null) {
        LOG.warn("Ignoring environment variable {}: no configuration key matches it", name);
        return;
      }
      key.append(key.length() == 0 ? "" : ".").append(field);
      Object current = section.getValue(field);
      boolean last = i == segments.length - 1;
      if (current instanceof JsonObject nested && !last) {
        section = nested;
      } else if (!(current instanceof JsonObject) && last) {
        section.put(field, convert(name, key.toString(), current, value));
        return;
      } else {
        LOG.warn("Ignoring environment variable {}: no configuration key matches it", name);
        return;
      }
    }
  }

  private static String findKey(JsonObject section, String segment) {
    for (String field : section.fieldNames()) {
      if (field.toLowerCase(Locale.ROOT).equals(segment.toLowerCase(Locale.ROOT))) {
        return field;
      }
    }
    return null;
  }

  private static Object convert(String variable, String key, Object current, String text) {
    String where = key + " (from " + variable + ")";
    if (current instanceof Double || current instanceof Float) {
      try {
        return Double.parseDouble(text.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(where, "must be a number, got '" + text + "'");
      }
    }
    if (current instanceof Number) {
      try {
        return Long.parseLong(text.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(where, "must be an integer, got '" + text + "'");
      }
    }
    if (current instanceof Boolean) {
      if (!text.equals("true") && !text.equals("false")) {
        throw new ConfigException(where, "must be true or false, got '" + text + "'");
      }
      return Boolean.parseBoolean(text);
    }
    if (current instanceof JsonArray) {
      if (text.trim().startsWith("[")) {
        try {
          return new JsonArray(text);
        } catch (DecodeException e) {
          throw new ConfigException(where, "must be a JSON array or a comma-separated list");
        }
      }
      JsonArray list = new JsonArray();
      for (String item : text.split(",")) {
        if (!item.isBlank()) {
          list.add(item.trim());
        }
      }
      return list;
    }
    return text;
  }
}
