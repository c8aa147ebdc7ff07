package io.isometry.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Typed, range-checked reads from a configuration tree; every failure names the full key. */
final class ConfigReader {

  private final JsonObject json;
  private final String prefix;

  ConfigReader(JsonObject json, String prefix) {
    this.json = json;
    this.prefix = prefix;
  }

  ConfigReader section(String key) {
    Object value = json.getValue(key);
    if (!(value instanceof JsonObject section)) {
      throw new ConfigException(prefix + key, "must be an object");
    }
    return new ConfigReader(section, prefix + key + ".");
  }

  long integer(String key, long min, long max) {
    Object value = json.getValue(key);
    if (!(value instanceof Integer || value instanceof Long)) {
      throw new ConfigException(prefix + key, "must be an integer, got " + describe(value));
    }
    long number = ((Number) value).longValue();
    if (number < min || number > max) {
      throw new ConfigException(prefix + key, "must be between " + min + " and " + max + ", got " + number);
    }
    return number;
  }

  /** A number that may have a fraction (an integer is one too). */
  double decimal(String key, double min, double max) {
    Object value = json.getValue(key);
    if (!(value instanceof Number number) || Double.isNaN(number.doubleValue())) {
      throw new ConfigException(prefix + key, "must be a number, got " + describe(value));
    }
    double decimal = number.doubleValue();
    if (decimal < min || decimal > max) {
      throw new ConfigException(prefix + key, "must be between " + min + " and " + max + ", got " + decimal);
    }
    return decimal;
  }

  boolean bool(String key) {
    Object value = json.getValue(key);
    if (!(value instanceof Boolean flag)) {
      throw new ConfigException(prefix + key, "must be true or false, got " + describe(value));
    }
    return flag;
  }

  String string(String key) {
    Object value = json.getValue(key);
    if (!(value instanceof String text) || text.isBlank()) {
      throw new ConfigException(prefix + key, "must be a non-empty string, got " + describe(value));
    }
    return text;
  }

  String oneOf(String key, Set<String> choices) {
    String value = string(key);
    if (!choices.contains(value)) {
      throw new ConfigException(prefix + key, "must be one of " + choices + ", got '" + value + "'");
    }
    return value;
  }

  /**
   * A colon-separated list of absolute directories, like PATH. An empty or relative entry is
   * refused: to {@code execvp} and shells it means the current directory, wherever that is.
   */
  String searchPath(String key) {
    String value = string(key);
    String[] entries = value.split(":", -1);
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i];
      if (!entry.startsWith("/")) {
        throw new ConfigException(prefix + key, "entry " + (i + 1) + " of '" + value + "' is "
            + (entry.isEmpty() ? "empty" : "relative ('" + entry + "')")
            + ": every entry must be an absolute directory (an empty or relative one means the current directory)");
      }
      if (entry.indexOf('\0') >= 0) {
        throw new ConfigException(prefix + key, "entry " + (i + 1) + " has a NUL character");
      }
    }
    return value;
  }

  List<String> strings(String key) {
    Object value = json.getValue(key);
    if (!(value instanceof JsonArray array)) {
      throw new ConfigException(prefix + key, "must be an array of strings, got " + describe(value));
    }
    List<String> items = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String text) || text.isBlank()) {
        throw new ConfigException(prefix + key, "must be an array of non-empty strings, got " + describe(item));
      }
      items.add(text);
    }
    return List.copyOf(items);
  }

  private static String describe(Object value) {
    if (value == null) {
      return "nothing";
    }
    return value instanceof String ? "'" + value + "'" : String.valueOf(value);
  }
}
