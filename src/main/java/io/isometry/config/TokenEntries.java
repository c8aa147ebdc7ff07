package io.isometry.config;

import io.isometry.contract.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the configuration's bearer tokens strictly: an unknown key, a token short enough to guess,
 * the same token twice or a principal name that could not name a workspace stops the engine from
 * starting, naming the entry.
 */
final class TokenEntries {

  /** Tokens shorter than this are refused: they could be guessed. */
  static final int MIN_TOKEN_LENGTH = 16;
  private static final Set<String> TOKEN_KEYS = Set.of("token", "principal", "role");
  private static final Set<String> ROLES = Set.of(Role.VIEWER.wire(), Role.OPERATOR.wire(), Role.ADMIN.wire());

  private TokenEntries() {
  }

  /** {@code auth.tokens}: objects of {@code token}, {@code principal} and {@code role}, each token once. */
  static List<EngineConfig.Token> read(JsonObject json) {
    if (!(json.getValue("auth") instanceof JsonObject auth)) {
      throw new ConfigException("auth", "must be an object");
    }
    if (!(auth.getValue("tokens") instanceof JsonArray entries)) {
      throw new ConfigException("auth.tokens", "must be an array of objects of token, principal and role");
    }
    List<EngineConfig.Token> tokens = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      String key = "auth.tokens[" + i + "]";
      if (!(entries.getValue(i) instanceof JsonObject entry)) {
        throw new ConfigException(key, "must be an object of token, principal and role");
      }
      for (String field : entry.fieldNames()) {
        if (!TOKEN_KEYS.contains(field)) {
          throw new ConfigException(key + "." + field, "unknown key");
        }
      }
      ConfigReader reader = new ConfigReader(entry, key + ".");
      String token = reader.string("token");
      if (token.length() < MIN_TOKEN_LENGTH) {
        throw new ConfigException(key + ".token", "must be at least " + MIN_TOKEN_LENGTH + " characters");
      }
      if (!seen.add(token)) {
        throw new ConfigException(key + ".token", "is given twice");
      }
      Role role = Role.fromWire(reader.oneOf("role", ROLES));
      String principal = reader.string("principal");
      if (!EngineConfig.PRINCIPAL_NAME.matcher(principal).matches()) {
        throw new ConfigException(key + ".principal", "must be 1 to 64 letters, digits or _@.+- (not first), got '"
            + principal + "'");
      }
      tokens.add(new EngineConfig.Token(token, principal, role));
    }
    return List.copyOf(tokens);
  }
}
