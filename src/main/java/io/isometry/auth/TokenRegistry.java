package io.isometry.auth;

import io.isometry.config.EngineConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * The bearer tokens the engine accepts. It keeps only their SHA-256 digests and compares a presented
 * token's digest with every one of them in constant time, so that neither a heap dump nor the time an
 * answer takes tells anything about a valid token.
 */
public final class TokenRegistry {

  private record Entry(byte[] digest, Principal principal) {
  }

  private final List<Entry> entries;

  private TokenRegistry(List<Entry> entries) {
    this.entries = entries;
  }

  public static TokenRegistry of(List<EngineConfig.Token> tokens) {
    return new TokenRegistry(tokens.stream()
        .map(token -> new Entry(digest(token.token()), new Principal(token.principal(), token.role())))
        .toList());
  }

  /** The principal a token stands for; empty for a missing or unknown token. */
  public Optional<Principal> authenticate(String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    byte[] presented = digest(token);
    Principal found = null;
    // Every entry is compared, also after a match, so the time taken does not say which one matched.
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(entry.digest, presented) && found == null) {
        found = entry.principal;
      }
    }
    return Optional.ofNullable(found);
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
