package io.isometry.auth;

import io.isometry.config.EngineConfig;
import io.isometry.contract.Role;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The tokens of one engine: those of {@code auth.tokens}, or, when there are none, the engine's own
 * token (see {@link TokenFile}) for the principal {@value #LOCAL_PRINCIPAL} with the admin role.
 *
 * @param registry what authenticates requests
 * @param generatedToken the engine's own token when it made (or found) one; empty when tokens are
 *     configured. It is printed once at start, in the console URL, and nowhere else.
 */
public record Credentials(TokenRegistry registry, Optional<String> generatedToken) {

  /** The principal of the engine's own token: the person who started it. */
  public static final String LOCAL_PRINCIPAL = "admin";

  /** Blocking (it may read or write the token file). */
  public static Credentials load(EngineConfig config) throws IOException {
    List<EngineConfig.Token> configured = config.auth().tokens();
    if (!configured.isEmpty()) {
      return new Credentials(TokenRegistry.of(configured), Optional.empty());
    }
    String token = TokenFile.readOrCreate(config.dataDir());
    return new Credentials(TokenRegistry.of(List.of(new EngineConfig.Token(token, LOCAL_PRINCIPAL, Role.ADMIN))),
        Optional.of(token));
  }
}
