package io.isometry.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A configuration file that holds tokens ({@code auth.tokens}) must be readable by its owner
 * alone, as ssh insists for a private key: anyone else who can read it can act as every principal
 * it names. The engine refuses to start otherwise, naming the file and the fix.
 */
final class PrivateFile {

  private static final Set<PosixFilePermission> OPEN_TO_OTHERS = Set.of(PosixFilePermission.GROUP_READ,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private PrivateFile() {
  }

  /** Refuses {@code file} when {@code content} has tokens and the file is open to group or others. */
  static void requireForTokens(Path file, JsonObject content) {
    JsonObject auth = content.getValue("auth") instanceof JsonObject json ? json : null;
    Object tokens = auth == null ? null : auth.getValue("tokens");
    if (!(tokens instanceof JsonArray list) || list.isEmpty()) {
      return;
    }
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException | IOException e) {
      throw new ConfigException(file.toString(), "holds tokens (auth.tokens) and its permissions cannot be read ("
          + e.getMessage() + ")");
    }
    for (PosixFilePermission open : OPEN_TO_OTHERS) {
      if (permissions.contains(open)) {
        throw new ConfigException(file.toString(), "holds tokens (auth.tokens) but is readable or writable by group "
            + "or others (" + PosixFilePermissions.toString(permissions)
            + "): run chmod 600 " + file);
      }
    }
  }
}
