package io.isometry.validation;

import io.isometry.config.ConfigException;
import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import io.isometry.validation.OptionSpec.Arity;
import io.isometry.validation.ProgramSpec.PrimarySpec;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the security rules: the embedded defaults, then each operator file in order. Strict like
 * the configuration: an unknown key, a role that does not exist or a malformed option name stops
 * the start with a message naming the file and the key, so a typo never silently weakens the
 * policy. Lists (privileged programs, environment names, git keys) only grow with each file; a
 * program described in a later file replaces its earlier description as a whole.
 *
 * <p>Every object may carry a {@code "comment"}, which is ignored.
 */
final class SecurityRulesReader {

  /** Where the jar keeps its copy of {@code conf/security/argument-rules.json}. */
  static final String DEFAULTS = "/io/isometry/validation/argument-rules.json";

  private static final Set<String> TOP = Set.of("comment", "privilegedPrograms", "environment", "gitConfigKeys",
      "gitConfigAllowed", "programs");
  private static final Set<String> ENVIRONMENT = Set.of("comment", "refusedNames", "refusedPrefixes",
      "secretNameParts", "secretValues");
  private static final Set<String> PROGRAM = Set.of("comment", "sameAs", "refuse", "options", "operands", "pattern",
      "optionsAnywhere", "unknownOptions", "oldStyleFirstWord", "numericOptions", "plainText", "subcommands",
      "primaries", "lastOperand");
  private static final Set<String> OPTION = Set.of("comment", "value", "as", "refuse", "replacesPattern", "changes");
  private static final Set<String> PRIMARY = Set.of("comment", "args", "as", "refuse");
  private static final Set<String> REFUSAL = Set.of("reason", "type", "severity");

  private final Set<String> privileged = new LinkedHashSet<>();
  private final Map<String, JsonObject> programs = new LinkedHashMap<>();
  private final Map<String, String> programSources = new HashMap<>();
  private final Set<String> gitConfigKeys = new LinkedHashSet<>();
  private final Set<String> gitConfigAllowed = new LinkedHashSet<>();
  private final Set<String> refusedNames = new LinkedHashSet<>();
  private final Set<String> refusedPrefixes = new LinkedHashSet<>();
  private final Set<String> secretNameParts = new LinkedHashSet<>();
  private final Map<String, String> secretValues = new LinkedHashMap<>();

  private SecurityRulesReader() {
  }

  /** The embedded defaults, then {@code files} in order. Reads files: call it off the event loop. */
  static SecurityRules load(List<String> files) {
    SecurityRulesReader reader = new SecurityRulesReader();
    reader.add(embedded(), "embedded " + DEFAULTS);
    for (String file : files) {
      reader.add(readFile(Path.of(file)), file);
    }
    return reader.build();
  }

  /** The defaults and one more rules document, for tests. */
  static SecurityRules withExtra(JsonObject extra) {
    SecurityRulesReader reader = new SecurityRulesReader();
    reader.add(embedded(), "embedded " + DEFAULTS);
    reader.add(extra, "extra rules");
    return reader.build();
  }

  private static JsonObject embedded() {
    try (InputStream in = SecurityRulesReader.class.getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new IllegalStateException("the jar has no " + DEFAULTS);
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonObject readFile(Path file) {
    try {
      return new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "cannot read the security rules (" + e.getMessage() + ")");
    } catch (DecodeException e) {
      throw new ConfigException(file.toString(), "not a JSON object (" + e.getMessage() + ")");
    }
  }

  private void add(JsonObject document, String source) {
    known(document, TOP, source);
    privileged.addAll(strings(document, "privilegedPrograms", source));
    gitConfigKeys.addAll(strings(document, "gitConfigKeys", source).stream()
        .map(key -> key.toLowerCase(Locale.ROOT)).toList());
    gitConfigAllowed.addAll(strings(document, "gitConfigAllowed", source).stream()
        .map(key -> key.toLowerCase(Locale.ROOT)).toList());
    JsonObject environment = object(document, "environment", source);
    if (environment != null) {
      String where = source + ": environment";
      known(environment, ENVIRONMENT, where);
      refusedNames.addAll(strings(environment, "refusedNames", where));
      refusedPrefixes.addAll(strings(environment, "refusedPrefixes", where));
      secretNameParts.addAll(strings(environment, "secretNameParts", where).stream()
          .map(part -> part.toUpperCase(Locale.ROOT)).toList());
      JsonObject values = object(environment, "secretValues", where);
      if (values != null) {
        for (String kind : values.fieldNames()) {
          secretValues.put(kind, string(values, kind, where + ".secretValues"));
        }
      }
    }
    JsonObject described = object(document, "programs", source);
    if (described != null) {
      for (String name : described.fieldNames()) {
        JsonObject program = object(described, name, source + ": programs");
        programs.put(name, program);
        programSources.put(name, source + ": programs." + name);
      }
    }
  }

  private SecurityRules build() {
    Map<String, ProgramSpec> specs = new TreeMap<>();
    for (Map.Entry<String, JsonObject> entry : programs.entrySet()) {
      String name = entry.getKey();
      JsonObject json = entry.getValue();
      String sameAs = json.getString("sameAs");
      String where = programSources.get(name);
      if (sameAs != null) {
        if (json.size() != 1 && !(json.size() == 2 && json.containsKey("comment"))) {
          throw new ConfigException(where, "'sameAs' stands alone");
        }
        JsonObject target = programs.get(sameAs);
        if (target == null || target.containsKey("sameAs")) {
          throw new ConfigException(where, "'sameAs' must name a program described in full, got '" + sameAs + "'");
        }
        json = target;
        where = programSources.get(sameAs);
      }
      specs.put(name, program(name, json, where));
    }
    Map<String, Pattern> secrets = new LinkedHashMap<>();
    secretValues.forEach((kind, regex) -> secrets.put(kind, compile(regex, "environment.secretValues." + kind)));
    return new SecurityRules(Set.copyOf(privileged), Map.copyOf(specs),
        gitConfigKeys.stream().map(SecurityRulesReader::keyPattern).toList(),
        gitConfigAllowed.stream().map(SecurityRulesReader::keyPattern).toList(),
        Set.copyOf(refusedNames), List.copyOf(refusedPrefixes), List.copyOf(secretNameParts), Map.copyOf(secrets));
  }

  private ProgramSpec program(String name, JsonObject json, String where) {
    known(json, PROGRAM, where);
    Map<Character, OptionSpec> shortOptions = new HashMap<>();
    TreeMap<String, OptionSpec> longOptions = new TreeMap<>();
    JsonObject options = object(json, "options", where);
    if (options != null) {
      for (String key : options.fieldNames()) {
        if (key.equals("comment")) {
          continue;
        }
        String at = where + ".options." + key;
        OptionSpec option = option(key, options.getValue(key), at);
        for (String alias : key.split("\\|")) {
          if (alias.length() == 2 && alias.charAt(0) == '-' && alias.charAt(1) != '-') {
            shortOptions.put(alias.charAt(1), option);
          } else if (alias.length() > 2 && alias.startsWith("--")) {
            longOptions.put(alias.substring(2), option);
          } else {
            throw new ConfigException(at, "'" + alias + "' is neither -x nor --name");
          }
        }
      }
    }
    List<ArgumentRole> operands = new ArrayList<>();
    for (String role : strings(json, "operands", where)) {
      operands.add(role(role, where + ".operands"));
    }
    if (operands.isEmpty()) {
      operands.add(ArgumentRole.FILE); // fail closed: an operand nobody described is a file
    }
    String pattern = json.getString("pattern");
    String unknown = json.getString("unknownOptions", "refuse");
    if (!unknown.equals("refuse") && !unknown.equals("judge")) {
      throw new ConfigException(where + ".unknownOptions", "must be 'refuse' or 'judge', got '" + unknown + "'");
    }
    Map<String, ProgramSpec> subcommands = new HashMap<>();
    JsonObject subs = object(json, "subcommands", where);
    if (subs != null) {
      for (String key : subs.fieldNames()) {
        ProgramSpec sub = program(name + " " + key.split("\\|")[0], object(subs, key, where + ".subcommands"),
            where + ".subcommands." + key);
        for (String alias : key.split("\\|")) {
          subcommands.put(alias, sub);
        }
      }
    }
    Map<String, PrimarySpec> primaries = new HashMap<>();
    JsonObject prims = object(json, "primaries", where);
    if (prims != null) {
      for (String key : prims.fieldNames()) {
        PrimarySpec primary = primary(key, prims.getValue(key), where + ".primaries." + key);
        for (String alias : key.split("\\|")) {
          primaries.put(alias, primary);
        }
      }
    }
    return new ProgramSpec(name, Map.copyOf(shortOptions), java.util.Collections.unmodifiableNavigableMap(longOptions),
        List.copyOf(operands), json.containsKey("lastOperand") ? role(json.getString("lastOperand"), where + ".lastOperand") : null,
        pattern == null ? null : role(pattern, where + ".pattern"),
        bool(json, "optionsAnywhere", true, where), unknown.equals("refuse"),
        bool(json, "oldStyleFirstWord", false, where), bool(json, "numericOptions", false, where),
        bool(json, "plainText", false, where), refusal(json.getValue("refuse"), where + ".refuse"),
        Map.copyOf(subcommands), Map.copyOf(primaries));
  }

  /** {@code "flag"}, a role ({@code "text"}), a role with {@code ?} (optional value), or an object. */
  private static OptionSpec option(String name, Object value, String where) {
    if (value instanceof String text) {
      if (text.equals("flag")) {
        return new OptionSpec(name, Arity.NONE, ArgumentRole.TEXT, null, false, Map.of());
      }
      boolean optional = text.endsWith("?");
      ArgumentRole role = role(optional ? text.substring(0, text.length() - 1) : text, where);
      return new OptionSpec(name, optional ? Arity.OPTIONAL : Arity.REQUIRED, role, null, false, Map.of());
    }
    if (!(value instanceof JsonObject json)) {
      throw new ConfigException(where, "must be \"flag\", a role or an object");
    }
    known(json, OPTION, where);
    String arity = json.getString("value", "none");
    Arity parsed = switch (arity) {
      case "none" -> Arity.NONE;
      case "required" -> Arity.REQUIRED;
      case "optional" -> Arity.OPTIONAL;
      default -> throw new ConfigException(where + ".value", "must be none, required or optional, got '" + arity + "'");
    };
    ArgumentRole role = json.containsKey("as") ? role(json.getString("as"), where + ".as") : ArgumentRole.FILE;
    return new OptionSpec(name, parsed, role, refusal(json.getValue("refuse"), where + ".refuse"),
        bool(json, "replacesPattern", false, where), changes(json, where));
  }

  /** {@code {"file": "output"}}: what giving the option changes, from role to role. */
  private static Map<ArgumentRole, ArgumentRole> changes(JsonObject option, String where) {
    JsonObject changes = object(option, "changes", where);
    if (changes == null) {
      return Map.of();
    }
    Map<ArgumentRole, ArgumentRole> roles = new EnumMap<>(ArgumentRole.class);
    for (String from : changes.fieldNames()) {
      roles.put(role(from, where + ".changes"), role(string(changes, from, where + ".changes"), where + ".changes." + from));
    }
    return Map.copyOf(roles);
  }

  /** {@code "flag"} (no argument), a role (one argument), or {@code {args, as, refuse}}. */
  private static PrimarySpec primary(String name, Object value, String where) {
    if (value instanceof String text) {
      return text.equals("flag")
          ? new PrimarySpec(name, 0, ArgumentRole.TEXT, null)
          : new PrimarySpec(name, 1, role(text, where), null);
    }
    if (!(value instanceof JsonObject json)) {
      throw new ConfigException(where, "must be \"flag\", a role or an object");
    }
    known(json, PRIMARY, where);
    Object args = json.getValue("args", 0);
    if (!(args instanceof Integer count) || count < PrimarySpec.COMMAND || count > 4) {
      throw new ConfigException(where + ".args", "must be an integer from -1 (a command up to ; or +) to 4");
    }
    ArgumentRole role = json.containsKey("as") ? role(json.getString("as"), where + ".as") : ArgumentRole.FILE;
    return new PrimarySpec(name, count, role, refusal(json.getValue("refuse"), where + ".refuse"));
  }

  /** {@code "reason"} (an argument injection of high severity) or {@code {reason, type, severity}}. */
  private static Refusal refusal(Object value, String where) {
    if (value == null) {
      return null;
    }
    if (value instanceof String reason) {
      return new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.HIGH, reason);
    }
    if (!(value instanceof JsonObject json)) {
      throw new ConfigException(where, "must be a reason or {reason, type, severity}");
    }
    known(json, REFUSAL, where);
    String reason = string(json, "reason", where);
    String type = json.getString("type", "argument_injection");
    String severity = json.getString("severity", "high");
    try {
      return new Refusal(ViolationType.valueOf(type.toUpperCase(Locale.ROOT)),
          Severity.valueOf(severity.toUpperCase(Locale.ROOT)), reason);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where, "unknown violation type '" + type + "' or severity '" + severity + "'");
    }
  }

  private static ArgumentRole role(String name, String where) {
    ArgumentRole role = ArgumentRole.fromName(name);
    if (role == null) {
      throw new ConfigException(where, "unknown role '" + name + "'");
    }
    return role;
  }

  /** A git key pattern: lower case, {@code *} for one or more characters. */
  private static Pattern keyPattern(String key) {
    StringBuilder regex = new StringBuilder();
    for (String part : key.split("\\*", -1)) {
      if (regex.length() > 0) {
        regex.append(".+");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString());
  }

  private static Pattern compile(String regex, String where) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new ConfigException(where, "not a regular expression (" + e.getDescription() + ")");
    }
  }

  private static void known(JsonObject json, Set<String> keys, String where) {
    for (String key : json.fieldNames()) {
      if (!keys.contains(key)) {
        throw new ConfigException(where + "." + key, "unknown key");
      }
    }
  }

  private static JsonObject object(JsonObject json, String key, String where) {
    Object value = json.getValue(key);
    if (value != null && !(value instanceof JsonObject)) {
      throw new ConfigException(where + "." + key, "must be an object");
    }
    return (JsonObject) value;
  }

  private static List<String> strings(JsonObject json, String key, String where) {
    Object value = json.getValue(key);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new ConfigException(where + "." + key, "must be an array of strings");
    }
    List<String> items = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String text) || text.isBlank()) {
        throw new ConfigException(where + "." + key, "must be an array of non-empty strings");
      }
      items.add(text);
    }
    return items;
  }

  private static String string(JsonObject json, String key, String where) {
    Object value = json.getValue(key);
    if (!(value instanceof String text) || text.isBlank()) {
      throw new ConfigException(where + "." + key, "must be a non-empty string");
    }
    return text;
  }

  private static boolean bool(JsonObject json, String key, boolean otherwise, String where) {
    Object value = json.getValue(key, otherwise);
    if (!(value instanceof Boolean flag)) {
      throw new ConfigException(where + "." + key, "must be true or false");
    }
    return flag;
  }
}
