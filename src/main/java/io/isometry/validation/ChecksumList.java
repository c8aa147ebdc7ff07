package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a checksum list the way {@code md5sum -c} (and the other coreutils sums) does and hands
 * every file name in it to the sink: the GNU form ({@code HASH  name}, {@code HASH *name}) and the
 * BSD form ({@code SHA256 (name) = HASH}), each optionally escaped (a leading {@code \}: {@code \\}
 * and {@code \n} inside the name). A line in neither form is refused rather than guessed at: the
 * sum programs' own parser is more lenient than any imitation, and a name the policy misreads is a
 * file it never judged.
 *
 * <p>The BSD form is recognised only with an algorithm's own tag ({@code MD5}, {@code SHA256},
 * {@code BLAKE2b-256}, ...), never any capitalised word: the programs take the BSD form only after
 * their tag, and otherwise read {@code HASH (name) = x} as a hash and the file {@code (name) = x}
 * (the "reversed" form of {@code md5 -r}), which a looser pattern would have judged as {@code name}.
 */
final class ChecksumList {

  /** As many names as a command line may have words: each costs a file-system lookup. */
  static final int MAX_NAMES = 1024;
  private static final Refusal UNREADABLE_LINE = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.HIGH,
      "a line of this checksum list is in no form the policy reads, so it cannot tell which file it names");
  private static final Refusal TOO_MANY = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.MEDIUM,
      "this checksum list names more than " + MAX_NAMES + " files");
  private static final Pattern GNU = Pattern.compile("([0-9A-Fa-f]{8,}|[A-Za-z0-9+/]{8,}={0,2}) [ *](.+)");
  private static final Pattern BSD = Pattern.compile(
      "(?:MD5|SHA1|SHA224|SHA256|SHA384|SHA512|BLAKE2b(?:-[0-9]+)?|SM3) ?\\((.+)\\) ?= ?[A-Za-z0-9+/]+={0,2}");

  private ChecksumList() {
  }

  static void check(String contents, ScriptSink sink) {
    int names = 0;
    for (String raw : contents.split("\n", -1)) {
      String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
      if (line.isEmpty()) {
        continue;
      }
      boolean escaped = line.charAt(0) == '\\';
      String body = escaped ? line.substring(1) : line;
      String name = name(body);
      if (name == null) {
        sink.refuse(UNREADABLE_LINE, line.length() > 80 ? line.substring(0, 80) + "..." : line);
        continue;
      }
      if (++names > MAX_NAMES) {
        sink.refuse(TOO_MANY, String.valueOf(MAX_NAMES));
        return;
      }
      sink.file(escaped ? unescape(name) : name);
    }
  }

  private static String name(String line) {
    Matcher bsd = BSD.matcher(line);
    if (bsd.matches()) {
      return bsd.group(1);
    }
    Matcher gnu = GNU.matcher(line);
    return gnu.matches() ? gnu.group(2) : null;
  }

  /** {@code \\} and {@code \n}; any other backslash stays, and the path judge refuses it as disguised. */
  private static String unescape(String name) {
    return name.replace("\\\\", "\u0000").replace("\\n", "\n").replace("\u0000", "\\");
  }
}
