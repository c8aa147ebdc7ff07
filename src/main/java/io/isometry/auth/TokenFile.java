package io.isometry.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The token the engine makes for itself when none is configured, kept in {@code dataDir/token} so
 * that it survives restarts (bookmarks and scripts keep working). The file is readable by its owner
 * only (0600) from the moment it exists, and it appears whole or not at all: written to a private
 * temporary file first, then linked into place, which fails if another engine got there first.
 */
public final class TokenFile {

  /** The file's name in the data dir; the command-line client reads it too. */
  public static final String NAME = "token";
  private static final int TOKEN_BYTES = 32;

  private TokenFile() {
  }

  /** The token of {@code dataDir}, made now if there is none yet. Blocking: file I/O. */
  public static String readOrCreate(Path dataDir) throws IOException {
    Path file = dataDir.resolve(NAME);
    if (Files.exists(file)) {
      return read(file);
    }
    Files.createDirectories(dataDir);
    Path temporary = Files.createTempFile(dataDir, ".token-", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(temporary, newToken() + "\n", StandardCharsets.UTF_8);
      Files.createLink(file, temporary);
    } catch (FileAlreadyExistsException anotherEngineWasFaster) {
      // Its token is as good as ours: use it.
    } finally {
      Files.deleteIfExists(temporary);
    }
    return read(file);
  }

  /** The token kept in {@code file}. Blocking: file I/O. */
  public static String read(Path file) throws IOException {
    String token = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (token.isEmpty()) {
      throw new IOException(file + " is empty");
    }
    return token;
  }

  private static String newToken() {
    byte[] random = new byte[TOKEN_BYTES];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
