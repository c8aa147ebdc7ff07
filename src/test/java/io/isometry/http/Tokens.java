package io.isometry.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The tokens of the tests' engines: one per role, and a second operator to test ownership. */
final class Tokens {

  static final String ADMIN = "admin-token-0123456789";
  static final String ALICE = "alice-token-0123456789";
  static final String BOB = "bob-token-012345678901";
  static final String VIEWER = "viewer-token-012345678";

  private Tokens() {
  }

  /** The {@code auth} section with these tokens. */
  static JsonObject auth() {
    return new JsonObject().put("tokens", new JsonArray()
        .add(token(ADMIN, "root", "admin"))
        .add(token(ALICE, "alice", "operator"))
        .add(token(BOB, "bob", "operator"))
        .add(token(VIEWER, "vera", "viewer")));
  }

  static JsonObject token(String token, String principal, String role) {
    return new JsonObject().put("token", token).put("principal", principal).put("role", role);
  }
}
