package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandParserTest {

  private final CommandParser parser = new CommandParser(8192, 1024);

  static Stream<Arguments> quoting() {
    return Stream.of(
        arguments("ls -la src", List.of("ls", "-la", "src")),
        arguments("  ls\t-la   src  ", List.of("ls", "-la", "src")),
        arguments("grep -F '$(id)' audit.log", List.of("grep", "-F", "$(id)", "audit.log")),
        arguments("echo '$HOME' '${x}' '`id`'", List.of("echo", "$HOME", "${x}", "`id`")),
        arguments("echo 'a;b|c>d&e(f)'", List.of("echo", "a;b|c>d&e(f)")),
        arguments("echo \"a;b|c>d&e(f)<g\"", List.of("echo", "a;b|c>d&e(f)<g")),
        arguments("echo 'a b' \"c d\"", List.of("echo", "a b", "c d")),
        arguments("echo ''", List.of("echo", "")),
        arguments("echo \"\" x ''", List.of("echo", "", "x", "")),
        arguments("echo a''b\"\"c", List.of("echo", "abc")),
        arguments("echo 'it'\\''s'", List.of("echo", "it's")),
        arguments("echo 'back\\slash'", List.of("echo", "back\\slash")),
        arguments("echo \"a\\\"b\"", List.of("echo", "a\"b")),
        arguments("echo \"a\\b\"", List.of("echo", "a\\b")),
        arguments("echo \"a\\\\b\"", List.of("echo", "a\\b")),
        arguments("echo \"\\$HOME\"", List.of("echo", "$HOME")),
        arguments("echo \"\\`\"", List.of("echo", "`")),
        arguments("echo \"a\\\nb\"", List.of("echo", "ab")),
        arguments("echo \"line1\nline2\"", List.of("echo", "line1\nline2")),
        arguments("echo 'line1\nline2'", List.of("echo", "line1\nline2")),
        arguments("echo a\\ b", List.of("echo", "a b")),
        arguments("echo \\; \\& \\| \\> \\( \\#", List.of("echo", ";", "&", "|", ">", "(", "#")),
        arguments("echo \\'", List.of("echo", "'")),
        arguments("echo \\$HOME \\`id\\`", List.of("echo", "$HOME", "`id`")),
        arguments("echo a\\\nb", List.of("echo", "ab")),
        arguments("echo trailing\\", List.of("echo", "trailing\\")),
        arguments("echo price$ \"$\" $ x", List.of("echo", "price$", "$", "$", "x")),
        arguments("grep 'a$' f", List.of("grep", "a$", "f")),
        arguments("echo a#b '#' \"#\"", List.of("echo", "a#b", "#", "#")),
        arguments("ls *.txt ~ [ab]?", List.of("ls", "*.txt", "~", "[ab]?")),
        arguments("echo h\u00e9llo \u65e5\u672c", List.of("echo", "h\u00e9llo", "\u65e5\u672c")));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("quoting")
  void splitsWordsAsShDoes(String command, List<String> argv) {
    ParsedCommand parsed = parser.parse(command);

    assertThat(parsed.violations()).isEmpty();
    assertThat(parsed.argv()).containsExactlyElementsOf(argv);
  }

  static Stream<Arguments> injections() {
    return Stream.of(
        arguments("ls -la /a; id", List.of(at(";", 9))),
        arguments("ls;id", List.of(at(";", 2))),
        arguments("ls & id", List.of(at("&", 3))),
        arguments("ls && id", List.of(at("&&", 3))),
        arguments("ls || id", List.of(at("||", 3))),
        arguments("ls | wc", List.of(at("|", 3))),
        arguments("ls > out", List.of(at(">", 3))),
        arguments("echo a>b", List.of(at(">", 6))),
        arguments("ls >> out", List.of(at(">>", 3))),
        arguments("cat < in", List.of(at("<", 4))),
        arguments("cat << EOF", List.of(at("<<", 4))),
        arguments("(ls)", List.of(at("(", 0), at(")", 3))),
        arguments("ls\nid", List.of(at("\n", 2))),
        arguments("ls; id | wc && x", List.of(at(";", 2), at("|", 7), at("&&", 12))),
        arguments("echo $(id)", List.of(at("$(", 5))),
        arguments("echo $((1+2))", List.of(at("$(", 5))),
        arguments("echo \"$(id)\"", List.of(at("$(", 6))),
        arguments("echo `id`", List.of(at("`", 5))),
        arguments("echo \"`id`\"", List.of(at("`", 6))),
        arguments("echo ${HOME}", List.of(at("${", 5))),
        arguments("echo $HOME", List.of(at("$HOME", 5))),
        arguments("echo \"x$USER_1y\"", List.of(at("$USER_1y", 7))),
        arguments("echo $1 $? $$ $@", List.of(at("$1", 5), at("$?", 8), at("$$", 11), at("$@", 14))),
        arguments("echo '$(id)' \"$(id)\"", List.of(at("$(", 14))));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("injections")
  void refusesOperatorsAndExpansionsWithTheirPositions(String command, List<JsonObject> expected) {
    List<Violation> violations = parser.parse(command).violations();

    assertThat(violations).extracting(Violation::type).containsOnly(ViolationType.COMMAND_INJECTION);
    assertThat(violations).extracting(Violation::severity).containsOnly(Severity.CRITICAL);
    assertThat(violations).extracting(Violation::detail).containsExactlyElementsOf(expected);
  }

  @Test
  void messageNamesTheOperatorAndItsPosition() {
    Violation violation = parser.parse("ls -la /a; id").violations().get(0);

    assertThat(violation.message()).isEqualTo("Shell operators are not allowed: ';' at position 9");
    assertThat(parser.parse("ls\nid").violations().get(0).message())
        .isEqualTo("Shell operators are not allowed: '\\n' at position 2");
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        arguments("echo 'abc", new JsonObject().put("quote", "'").put("position", 5)),
        arguments("echo \"abc", new JsonObject().put("quote", "\"").put("position", 5)),
        arguments("echo \"a\\\"", new JsonObject().put("quote", "\"").put("position", 5)),
        arguments("echo a\u0000b", new JsonObject().put("character", "U+0000").put("position", 6)),
        arguments("echo a\rb", new JsonObject().put("character", "U+000D").put("position", 6)),
        arguments("echo 'a\u001b[31m'", new JsonObject().put("character", "U+001B").put("position", 7)),
        arguments("echo a\u007f", new JsonObject().put("character", "U+007F").put("position", 6)),
        arguments("echo \\\u0000", new JsonObject().put("character", "U+0000").put("position", 6)),
        arguments("echo #x", new JsonObject().put("token", "#").put("position", 5)));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("malformed")
  void refusesMalformedInputAsInvalidRequest(String command, JsonObject detail) {
    List<Violation> violations = parser.parse(command).violations();

    assertThat(violations).extracting(Violation::type).containsExactly(ViolationType.INVALID_REQUEST);
    assertThat(violations.get(0).detail()).isEqualTo(detail);
  }

  @Test
  void reportsEveryKindOfProblemInOnePass() {
    List<Violation> violations = parser.parse("echo \u0000 $(id); \"unclosed").violations();

    assertThat(violations).extracting(Violation::type).containsExactly(
        ViolationType.INVALID_REQUEST, ViolationType.COMMAND_INJECTION, ViolationType.COMMAND_INJECTION,
        ViolationType.INVALID_REQUEST);
  }

  @Test
  void aSubstitutionInsideAnUnterminatedQuoteIsReportedToo() {
    assertThat(parser.parse("echo \"$(id)").violations()).extracting(Violation::type)
        .containsExactly(ViolationType.COMMAND_INJECTION, ViolationType.INVALID_REQUEST);
  }

  @Test
  void tabIsWhitespace() {
    assertThat(parser.parse("echo\ta").argv()).containsExactly("echo", "a");
  }

  @Test
  void aLineContinuationAloneLeavesNoWords() {
    ParsedCommand parsed = parser.parse("\\\n");

    assertThat(parsed.ok()).isTrue();
    assertThat(parsed.argv()).isEmpty();
  }

  @Test
  void refusesInputOverTheByteLimitCountingUtf8Bytes() {
    CommandParser small = new CommandParser(16, 1024);

    assertThat(small.parse("echo 12345678901").ok()).isTrue();
    assertThat(small.parse("echo 123456789012").violations()).singleElement().satisfies(violation -> {
      assertThat(violation.type()).isEqualTo(ViolationType.INVALID_REQUEST);
      assertThat(violation.detail()).isEqualTo(new JsonObject().put("maxBytes", 16).put("bytes", 17L));
    });
    assertThat(small.parse("\u00e9".repeat(8)).ok()).isTrue();
    assertThat(small.parse("\u00e9".repeat(9)).ok()).isFalse();
    assertThat(small.parse("\ud83d\ude00".repeat(4)).ok()).isTrue();
    assertThat(small.parse("\ud83d\ude00".repeat(4) + "x").ok()).isFalse();
  }

  @Test
  void boundsTheNumberOfViolationsOfAHostileInput() {
    assertThat(parser.parse(";".repeat(1000)).violations()).hasSize(CommandParser.MAX_VIOLATIONS);
  }

  @Test
  void checksArgvForControlCharactersButNotForShellSyntax() {
    assertThat(parser.check(List.of("echo", "a;b", "$(id)", "tab\there")).ok()).isTrue();

    List<Violation> violations = parser.check(List.of("echo", "ok", "a\nb", "\u0000")).violations();

    assertThat(violations).extracting(Violation::type).containsOnly(ViolationType.INVALID_REQUEST);
    assertThat(violations).extracting(Violation::detail).containsExactly(
        new JsonObject().put("character", "U+000A").put("argument", 2).put("position", 1),
        new JsonObject().put("character", "U+0000").put("argument", 3).put("position", 0));
  }

  @Test
  void checksArgvAgainstTheByteLimit() {
    CommandParser small = new CommandParser(16, 1024);

    assertThat(small.check(List.of("echo", "12345678901")).ok()).isTrue();
    assertThat(small.check(List.of("echo", "123456789012")).ok()).isFalse();
  }

  private static JsonObject at(String token, int position) {
    return new JsonObject().put("token", token).put("position", position);
  }
}
