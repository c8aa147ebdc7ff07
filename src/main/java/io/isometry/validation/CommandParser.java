package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command string into argv with the quoting rules of POSIX sh, and refuses everything
 * else sh would do with it. Nothing is ever handed to a shell: a command either means exactly one
 * argv, or it is refused.
 *
 * <ul>
 *   <li>Single quotes keep every character literally; {@code ''} is an empty argument.</li>
 *   <li>Inside double quotes a backslash escapes only {@code $ ` " \} and newline, and
 *       {@code $} and backquote stay special.</li>
 *   <li>Outside quotes a backslash escapes the next character; backslash-newline joins lines.</li>
 *   <li>Unquoted operators ({@code ; & && || | > >> < << ( )} and newline) and expansions outside
 *       single quotes ({@code $(}, backquote, <code>${</code>, {@code $NAME}, {@code $1},
 *       {@code $?} ...) are {@code command_injection}; a {@code $} that sh would keep literally is
 *       kept.</li>
 *   <li>An unquoted {@code #} starting a word is refused: sh would drop the rest as a comment.</li>
 *   <li>A character that NFKC normalisation turns into one of those operators ({@code ；} for
 *       {@code ;}, {@code ＄} for {@code $}) counts as that operator wherever the operator would count
 *       ({@link LookAlikes}).</li>
 *   <li>NUL and other control characters (tab aside), and text that is not valid Unicode or not
 *       what a reader sees ({@link UnicodeText}) are {@code invalid_request}.</li>
 *   <li>Globs ({@code * ? [}) and {@code ~} are passed on literally: there is no shell to expand
 *       them, and the program receives exactly the text that was written.</li>
 * </ul>
 *
 * <p>Positions are indexes into the input string. Every problem is reported in one pass (up to
 * {@link #MAX_VIOLATIONS}, so that a hostile input cannot make the reply arbitrarily large).
 * Immutable and thread-safe.
 */
public final class CommandParser {

  /** The most violations one command can produce. */
  public static final int MAX_VIOLATIONS = 50;

  private final int maxCommandBytes;
  private final int maxArguments;

  /**
   * @param maxCommandBytes the longest command, in UTF-8 bytes
   * @param maxArguments the most words a command may have: each word may be a file to resolve, so
   *     this bounds the file-system work one request can cause
   */
  public CommandParser(int maxCommandBytes, int maxArguments) {
    this.maxCommandBytes = maxCommandBytes;
    this.maxArguments = maxArguments;
  }

  public ParsedCommand parse(String command) {
    long bytes = utf8Length(command);
    if (bytes > maxCommandBytes) {
      // Not parsed at all: the limit exists so that no work is spent on such input.
      return new ParsedCommand(List.of(), List.of(tooLong(bytes)));
    }
    return limitArguments(new Scan(command).run());
  }

  /** Past the limit of words the command is refused and nothing of it is judged further. */
  private ParsedCommand limitArguments(ParsedCommand parsed) {
    if (parsed.argv().size() <= maxArguments) {
      return parsed;
    }
    List<Violation> violations = new ArrayList<>(parsed.violations());
    violations.add(0, new Violation(ViolationType.INVALID_REQUEST, Severity.MEDIUM,
        "The command has more than " + maxArguments + " words",
        new JsonObject().put("maxArguments", maxArguments).put("arguments", parsed.argv().size())));
    return new ParsedCommand(List.of(), violations.subList(0, Math.min(violations.size(), MAX_VIOLATIONS)));
  }

  /**
   * Checks a command given as argv, which no quoting rules apply to: the same size limit (its
   * words joined by spaces) and no control characters in any word.
   */
  public ParsedCommand check(List<String> argv) {
    long bytes = argv.size() - 1L;
    for (String word : argv) {
      bytes += utf8Length(word);
    }
    if (bytes > maxCommandBytes) {
      return new ParsedCommand(List.of(), List.of(tooLong(bytes)));
    }
    if (argv.size() > maxArguments) {
      return limitArguments(new ParsedCommand(argv, List.of()));
    }
    List<Violation> violations = new ArrayList<>();
    for (int index = 0; index < argv.size() && violations.size() < MAX_VIOLATIONS; index++) {
      String word = argv.get(index);
      int at = ControlCharacters.firstForbidden(word);
      if (at >= 0) {
        String name = ControlCharacters.codePoint(word.charAt(at));
        violations.add(new Violation(ViolationType.INVALID_REQUEST, Severity.MEDIUM,
            "Control characters are not allowed: " + name + " in argument " + index + " at position " + at,
            new JsonObject().put("character", name).put("argument", index).put("position", at)));
      } else if ((at = UnicodeText.firstRefused(word)) >= 0) {
        String name = UnicodeText.codePoint(word.charAt(at));
        violations.add(new Violation(ViolationType.INVALID_REQUEST, Severity.MEDIUM,
            "Text that is not valid, visible Unicode is not allowed: " + name + " in argument " + index
                + " at position " + at,
            new JsonObject().put("character", name).put("argument", index).put("position", at)));
      }
    }
    return new ParsedCommand(argv, violations);
  }

  private Violation tooLong(long bytes) {
    return new Violation(ViolationType.INVALID_REQUEST, Severity.MEDIUM,
        "The command is longer than " + maxCommandBytes + " bytes",
        new JsonObject().put("maxBytes", maxCommandBytes).put("bytes", bytes));
  }

  private static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private enum Quoting { NONE, SINGLE, DOUBLE }

  /** One parse: all mutable state lives here, so the parser itself can be shared. */
  private static final class Scan {

    private final String input;
    private final List<String> argv = new ArrayList<>();
    private final List<Violation> violations = new ArrayList<>();
    private final StringBuilder word = new StringBuilder();
    private int pos;
    private Quoting quoting = Quoting.NONE;
    private int quoteStart;
    /** A word has begun, even if it is still empty: {@code ''} is an argument. */
    private boolean inWord;
    /** The previous character was an escaping backslash. */
    private boolean escaped;
    /**
     * Open parentheses of a {@code $(} already reported: its closing parenthesis belongs to it and
     * is not a second violation.
     */
    private int substitutionDepth;
    /** Between an opening backquote (already reported) and its closing one. */
    private boolean inBackquotes;

    Scan(String input) {
      this.input = input;
    }

    ParsedCommand run() {
      for (pos = 0; pos < input.length(); pos++) {
        char c = input.charAt(pos);
        if (c != '\n' && ControlCharacters.isForbidden(c)) {
          controlCharacter(c);
        } else if (c >= 0x80 && nonAscii(c)) {
          escaped = false;
        } else if (escaped) {
          escaped = false;
          if (c != '\n') { // backslash-newline is a line continuation: both vanish
            append(c);
          }
        } else {
          switch (quoting) {
            case NONE -> unquoted(c);
            case SINGLE -> singleQuoted(c);
            case DOUBLE -> doubleQuoted(c);
          }
        }
      }
      if (quoting != Quoting.NONE) {
        String quote = quoting == Quoting.SINGLE ? "'" : "\"";
        report(ViolationType.INVALID_REQUEST, Severity.MEDIUM,
            "Unterminated " + (quoting == Quoting.SINGLE ? "single" : "double") + " quote: the quote at position "
                + quoteStart + " is never closed",
            new JsonObject().put("quote", quote).put("position", quoteStart));
      }
      endWord();
      return new ParsedCommand(argv, violations);
    }

    private void unquoted(char c) {
      switch (c) {
        case ' ', '\t' -> endWord();
        case '\\' -> {
          if (pos + 1 < input.length()) {
            escaped = true;
          } else {
            append(c); // sh keeps a backslash that ends the input
          }
        }
        case '\'' -> openQuote(Quoting.SINGLE);
        case '"' -> openQuote(Quoting.DOUBLE);
        case '`' -> backquote();
        case '$' -> dollar();
        case '#' -> {
          if (!inWord) {
            report(ViolationType.INVALID_REQUEST, Severity.MEDIUM,
                "Comments are not allowed: '#' at position " + pos + " (quote it to pass it as an argument)",
                tokenAt("#", pos));
          }
          append(c);
        }
        case ';', '&', '|', '>', '<', '(', ')', '\n' -> operator(c);
        default -> append(c);
      }
    }

    private void singleQuoted(char c) {
      if (c == '\'') {
        quoting = Quoting.NONE;
      } else {
        append(c);
      }
    }

    private void doubleQuoted(char c) {
      switch (c) {
        case '"' -> quoting = Quoting.NONE;
        case '\\' -> {
          if (pos + 1 < input.length() && "$`\"\\\n".indexOf(input.charAt(pos + 1)) >= 0) {
            escaped = true;
          } else {
            append(c);
          }
        }
        case '`' -> backquote();
        case '$' -> dollar();
        default -> append(c);
      }
    }

    private void openQuote(Quoting kind) {
      quoting = kind;
      quoteStart = pos;
      inWord = true;
    }

    private void operator(char c) {
      endWord();
      if (substitutionDepth > 0 && (c == '(' || c == ')')) {
        substitutionDepth += c == '(' ? 1 : -1;
        return;
      }
      boolean doubled = "&|><".indexOf(c) >= 0 && pos + 1 < input.length() && input.charAt(pos + 1) == c;
      String token = doubled ? String.valueOf(c) + c : String.valueOf(c);
      report(ViolationType.COMMAND_INJECTION, Severity.CRITICAL,
          "Shell operators are not allowed: '" + printable(token) + "' at position " + pos, tokenAt(token, pos));
      pos += token.length() - 1;
    }

    private void backquote() {
      if (inBackquotes) {
        inBackquotes = false;
      } else {
        inBackquotes = true;
        substitution("`");
      }
    }

    /** A {@code $}: an expansion when sh would expand it, otherwise a literal dollar sign. */
    private void dollar() {
      char next = pos + 1 < input.length() ? input.charAt(pos + 1) : '\0';
      if (next == '(') {
        if (quoting == Quoting.NONE) {
          substitutionDepth++;
        }
        substitution("$(");
        pos++;
      } else if (next == '{') {
        expansion("${");
      } else if (isNameStart(next)) {
        int end = pos + 2;
        while (end < input.length() && isNamePart(input.charAt(end))) {
          end++;
        }
        expansion(input.substring(pos, end));
      } else if ((next >= '0' && next <= '9') || "@*#?$!-".indexOf(next) >= 0) {
        expansion("$" + next);
      } else {
        append('$');
      }
    }

    private void substitution(String token) {
      inWord = true;
      report(ViolationType.COMMAND_INJECTION, Severity.CRITICAL,
          "Command substitution is not allowed: '" + token + "' at position " + pos, tokenAt(token, pos));
    }

    private void expansion(String token) {
      inWord = true;
      report(ViolationType.COMMAND_INJECTION, Severity.CRITICAL,
          "Parameter expansion is not allowed: '" + token + "' at position " + pos, tokenAt(token, pos));
      pos += token.length() - 1;
    }

    /**
     * Judges a non-ASCII character: refused text, or a look-alike of an operator where that
     * operator would count. Answers true when it consumed the character (and its low surrogate).
     */
    private boolean nonAscii(char c) {
      int codePoint = c;
      boolean pair = Character.isHighSurrogate(c) && pos + 1 < input.length()
          && Character.isLowSurrogate(input.charAt(pos + 1));
      if (pair) {
        codePoint = Character.toCodePoint(c, input.charAt(pos + 1));
      }
      if (pair ? (codePoint & 0xFFFE) == 0xFFFE : UnicodeText.isRefused(c)) {
        String name = UnicodeText.codePoint(c);
        report(ViolationType.INVALID_REQUEST, Severity.MEDIUM,
            "Text that is not valid, visible Unicode is not allowed: " + name + " at position " + pos,
            new JsonObject().put("character", name).put("position", pos));
        pos += pair ? 1 : 0;
        return true;
      }
      char stands = quoting == Quoting.SINGLE ? 0 : LookAlikes.shellEquivalent(codePoint);
      // Inside double quotes only $ and the backquote keep a meaning, as the real characters do.
      if (stands != 0 && (quoting == Quoting.NONE || stands == '$' || stands == '`')) {
        String token = new String(Character.toChars(codePoint));
        inWord = true;
        report(ViolationType.COMMAND_INJECTION, Severity.CRITICAL,
            "Look-alikes of shell operators are not allowed: '" + token + "' stands for '" + printable(String.valueOf(stands))
                + "' at position " + pos,
            tokenAt(token, pos).put("lookAlikeOf", String.valueOf(stands)));
        pos += pair ? 1 : 0;
        return true;
      }
      if (pair) {
        append(c);
        append(input.charAt(++pos));
        return true;
      }
      return false;
    }

    private void controlCharacter(char c) {
      String name = ControlCharacters.codePoint(c);
      report(ViolationType.INVALID_REQUEST, Severity.MEDIUM,
          "Control characters are not allowed: " + name + " at position " + pos,
          new JsonObject().put("character", name).put("position", pos));
    }

    private void append(char c) {
      word.append(c);
      inWord = true;
    }

    private void endWord() {
      if (inWord) {
        argv.add(word.toString());
        word.setLength(0);
        inWord = false;
      }
    }

    private void report(ViolationType type, Severity severity, String message, JsonObject detail) {
      if (violations.size() < MAX_VIOLATIONS) {
        violations.add(new Violation(type, severity, message, detail));
      }
    }

    private static JsonObject tokenAt(String token, int position) {
      return new JsonObject().put("token", token).put("position", position);
    }

    private static String printable(String token) {
      return token.equals("\n") ? "\\n" : token;
    }

    private static boolean isNameStart(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isNamePart(char c) {
      return isNameStart(c) || (c >= '0' && c <= '9');
    }
  }
}
