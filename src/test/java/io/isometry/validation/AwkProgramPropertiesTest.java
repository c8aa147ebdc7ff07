package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the awk reader, beyond the table of desynchronisations in {@link ScriptCheckTest}:
 * a program that runs a command is refused wherever the command stands among ordinary statements
 * (strings and regexes that hold {@code system(}, quotes and pipes around it, the traps after
 * {@code else} and a closing parenthesis before it); ordinary programs are accepted; and no stream
 * of awk tokens and stray characters makes the reader throw, or passes with a command in it.
 */
class AwkProgramPropertiesTest {

  /** Statements awk users write, some with the dangerous words inside string literals and regexes. */
  private static final List<String> ORDINARY = List.of("print $1", "sum += $2", "n++", "x = \"a | b\"",
      "msg = \"system(\\\"id\\\")\"", "if ($3 > 10) print $0", "if (x) print; else y = 1", "count[$1]++",
      "s = sprintf(\"%d|%s\", NR, $2)", "gsub(/\\|/, \",\")", "if ($0 ~ /getline|system/) n++", "print length($0) / 2",
      "x = (a + b) / 2", "split($0, parts, \"|\")", "t = \"say \\\"hi\\\"\"", "print \"a\" > \"/dev/stdout\"",
      "for (k in count) total += count[k]", "y = $2 / $3", "z = substr($1, 2) \"/\" $4");
  /** Ways to run a command, each a statement of its own. */
  private static final List<String> COMMANDS = List.of("system(\"id\")", "print | \"sh\"", "\"date\" | getline d",
      "print |& \"cat\"", "x = system(\"rm -rf x\")", "while ((\"ls\" | getline f) > 0) n++", "printf \"x\" | \"sh\"");
  /** Tokens and stray characters for the soup. */
  private static final List<String> SOUP = List.of("{", "}", "(", ")", ";", "\n", "/", "\"", "\\", "|", "|&", "getline",
      "system", "print", "else", "if", "x", "$1", "1", "0x1", "=", "+", "++", "<", ">", "~", "/re/", "\"str\"", "[", "]",
      "#", "@", "`", ",", "in", "a", "BEGIN", "END", " ", "'", "length", "**", "!");

  @Property(tries = 1000)
  void aCommandAmongOrdinaryStatementsIsRefused(@ForAll("statements") List<String> before,
                                                @ForAll("statements") List<String> after,
                                                @ForAll("commands") String command,
                                                @ForAll("blocks") String block) {
    List<String> statements = new ArrayList<>(before);
    statements.add(command);
    statements.addAll(after);
    String program = block.replace("%", String.join("; ", statements));
    assertThat(check(program).refused).as(program).isNotEmpty();
  }

  @Property(tries = 500)
  void ordinaryProgramsAreAccepted(@ForAll("statements") List<String> statements, @ForAll("blocks") String block) {
    String program = block.replace("%", String.join("; ", statements));
    assertThat(check(program).refused).as(program).isEmpty();
  }

  @Property(tries = 3000)
  void noSoupThrowsAndNoneWithACommandPasses(@ForAll("soup") String program) {
    Recorder recorder = check(program);
    if (!recorder.refused.isEmpty()) {
      return;
    }
    // Accepted: then the reader classified every token with certainty, and none of them runs a command.
    List<AwkLexer.Token> tokens;
    try {
      tokens = AwkLexer.tokens(program);
    } catch (AwkLexer.Unclear e) {
      throw new AssertionError("an unclassifiable program passed: " + program, e);
    }
    for (AwkLexer.Token token : tokens) {
      boolean runs = token.kind() == AwkLexer.Kind.BUILTIN && token.text().equals("system")
          || token.kind() == AwkLexer.Kind.OP && (token.text().equals("|") || token.text().equals("|&"));
      assertThat(runs).as("%s passed with %s", program, token.text()).isFalse();
    }
  }

  @Provide
  Arbitrary<List<String>> statements() {
    return Arbitraries.of(ORDINARY).list().ofMinSize(0).ofMaxSize(5);
  }

  @Provide
  Arbitrary<String> commands() {
    return Arbitraries.of(COMMANDS);
  }

  @Provide
  Arbitrary<String> blocks() {
    return Arbitraries.of("{ % }", "BEGIN { % }", "END { % }", "$1 == \"x\" { % }", "/a\\/b/ { % }",
        "NR > 1 { % }\nEND { print sum }", "function f(a) { return a }\n{ % }");
  }

  @Provide
  Arbitrary<String> soup() {
    return Combinators.combine(Arbitraries.of(SOUP).list().ofMinSize(1).ofMaxSize(30),
        Arbitraries.of(" ", "")).as((tokens, glue) -> String.join(glue, tokens));
  }

  private static Recorder check(String program) {
    Recorder recorder = new Recorder();
    AwkProgram.check(program, recorder);
    return recorder;
  }

  private static final class Recorder implements ScriptSink {
    final List<String> refused = new ArrayList<>();

    @Override
    public void refuse(Refusal refusal, String token) {
      refused.add(token);
    }

    @Override
    public void file(String path) {
      // read files are the PathRule's
    }

    @Override
    public void written(String path) {
      // written files are the WriteRule's; "/dev/stdout" is the program's own stream
    }
  }
}
