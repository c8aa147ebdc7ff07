package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a workspace file whose contents a program takes as code or as names (awk -f, sed -f,
 * md5sum -c), so that the policy judges them as it judges them on the command line. Only a
 * regular file of at most {@link #MAX_BYTES} in UTF-8 is read; anything else is refused: what the
 * policy cannot read, it does not vouch for. The path has been judged inside the workspace first.
 */
final class FileContents {

  /** Far above any script a person writes, far below what would slow validation down. */
  static final int MAX_BYTES = 256 * 1024;
  static final Refusal UNREADABLE = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.HIGH,
      "the policy judges what this file holds and cannot read it (missing, not a regular file, larger than "
          + MAX_BYTES / 1024 + " KiB or not UTF-8)");

  private FileContents() {
  }

  /** The text of {@code file}, or null when it cannot be read as described. */
  static String read(Path file) {
    try {
      // A FIFO would block the validator, a device would never end: regular files only.
      if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
        return null;
      }
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length > MAX_BYTES) {
        return null;
      }
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (IOException e) {
      return null; // CharacterCodingException included: not UTF-8
    }
  }
}
