package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Class 4 of issue 11, the judged half: a file whose contents a program takes as code or names
 * ({@code sed -f}, {@code awk -f/-E}, {@code md5sum -c} and the other sums) is refused whenever one
 * of its lines names a path outside the workspace (dots, absolute, home, encoded, through a link) or
 * runs code, and allowed when every line is benign, however the option is spelled and wherever the
 * file stands ({@code --} included). {@link NameListOptionsPropertiesTest} has the refused half.
 */
class FileContentsPropertiesTest {

  private static final String HASH = "0123456789abcdef0123456789abcdef";
  private static ClassFourWorkspace workspace;

  @BeforeContainer
  static void setUp() throws IOException {
    workspace = ClassFourWorkspace.create();
  }

  @AfterContainer
  static void tearDown() throws IOException {
    workspace.delete();
  }

  @Property(tries = 800)
  void aChecksumListIsJudgedNameByName(@ForAll("benignNames") List<String> names, @ForAll("outsideNames") String bad,
                                       @ForAll("lineFormats") List<Integer> formats, @ForAll boolean planted,
                                       @ForAll("checksumPrograms") String program, @ForAll("checkSpellings") int spelling) {
    List<String> listed = new ArrayList<>(names);
    if (planted) {
      listed.add(formats.get(0) % (listed.size() + 1), bad);
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < listed.size(); i++) {
      text.append(checksumLine(listed.get(i), formats.get(i % formats.size()))).append('\n');
    }
    String list = workspace.write("sums", text.toString());
    List<String> argv = new ArrayList<>(List.of(program));
    argv.addAll(switch (spelling) {
      case 0 -> List.of("-c", list);
      case 1 -> List.of("--check", list);
      case 2 -> List.of("--ch", list);
      case 3 -> List.of(list, "-c");
      case 4 -> List.of("-wc", list);
      case 5 -> List.of("-cw", "--", list);
      case 6 -> List.of("--quiet", "-c", "--", list);
      default -> List.of("-c", "--strict", list);
    });
    assertJudged(argv, planted, bad);
  }

  @Property(tries = 800)
  void aSedScriptFileIsJudgedCommandByCommand(@ForAll("sedCommands") List<String> commands,
                                             @ForAll("sedAttacks") String attack, @ForAll boolean planted,
                                             @ForAll("positions") int position, @ForAll("sedSpellings") int spelling) {
    List<String> script = new ArrayList<>(commands);
    if (planted) {
      script.add(position % (script.size() + 1), attack);
    }
    String file = workspace.write("script", String.join("\n", script) + "\n");
    List<String> argv = new ArrayList<>(List.of("sed"));
    argv.addAll(switch (spelling) {
      case 0 -> List.of("-f", file, "notes.txt");
      case 1 -> List.of("-f" + file, "notes.txt");
      case 2 -> List.of("--file=" + file, "notes.txt");
      case 3 -> List.of("--file", file, "notes.txt");
      case 4 -> List.of("--fi=" + file, "notes.txt");
      case 5 -> List.of("-nf", file, "notes.txt");
      case 6 -> List.of("-nsf" + file, "--", "notes.txt");
      case 7 -> List.of("notes.txt", "-f", file);
      default -> List.of("-e", "p", "-f", file, "notes.txt");
    });
    assertJudged(argv, planted, attack);
  }

  @Property(tries = 800)
  void anAwkProgramFileIsJudgedAsIfInline(@ForAll("awkStatements") List<String> statements,
                                         @ForAll("awkAttacks") String attack, @ForAll boolean planted,
                                         @ForAll("positions") int position, @ForAll("awkSpellings") int spelling) {
    List<String> program = new ArrayList<>(statements);
    if (planted) {
      program.add(position % (program.size() + 1), attack);
    }
    String file = workspace.write("program", "{\n" + String.join("\n", program) + "\n}\n");
    List<String> argv = new ArrayList<>(List.of("awk"));
    argv.addAll(switch (spelling) {
      case 0 -> List.of("-f", file, "notes.txt");
      case 1 -> List.of("-f" + file, "notes.txt");
      case 2 -> List.of("--file=" + file, "notes.txt");
      case 3 -> List.of("--file", file, "notes.txt");
      case 4 -> List.of("-E", file, "notes.txt");
      case 5 -> List.of("--exec=" + file, "notes.txt");
      case 6 -> List.of("-F,", "-f", file, "--", "notes.txt");
      case 7 -> List.of("-Pf" + file, "notes.txt");
      default -> List.of("-v", "n=1", "-f", file, "notes.txt");
    });
    assertJudged(argv, planted, attack);
  }

  private static void assertJudged(List<String> argv, boolean planted, String attack) {
    ValidationResult result = workspace.validate(argv);
    if (planted) {
      assertThat(result.allowed()).as("%s with %s", argv, attack).isFalse();
    } else {
      assertThat(result.allowed()).as("%s: %s", argv, result.violations()).isTrue();
    }
  }

  private static String checksumLine(String name, int format) {
    return switch (format) {
      case 0 -> HASH + "  " + name;
      case 1 -> HASH + " *" + name;
      default -> "MD5 (" + name + ") = " + HASH;
    };
  }

  @Provide
  Arbitrary<String> checksumPrograms() {
    return Arbitraries.of("md5sum", "sha256sum", "sha1sum", "sha512sum", "b2sum");
  }

  @Provide
  Arbitrary<Integer> checkSpellings() {
    return Arbitraries.integers().between(0, 7);
  }

  @Provide
  Arbitrary<Integer> sedSpellings() {
    return Arbitraries.integers().between(0, 8);
  }

  @Provide
  Arbitrary<Integer> awkSpellings() {
    return Arbitraries.integers().between(0, 8);
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 10);
  }

  @Provide
  Arbitrary<List<Integer>> lineFormats() {
    return Arbitraries.integers().between(0, 2).list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<String>> benignNames() {
    return Arbitraries.of("notes.txt", "./a.txt", "src/main/x.py", "src/../data.csv", "missing.txt", "src/main/",
        "my file.txt", "donn\u00e9es.csv").list().ofMinSize(0).ofMaxSize(5);
  }

  /** Names outside the workspace, spelled every way a path can leave it. */
  @Provide
  Arbitrary<String> outsideNames() {
    Arbitrary<String> tails = Arbitraries.strings().withChars("abcxyz").ofMinLength(1).ofMaxLength(6);
    return Combinators.combine(Arbitraries.of("/etc/", "../", "../../", "src/../../", "escape/", "etc-link/", "~/",
        "%2e%2e/", "/proc/self/", "./../", "src/main/../../../"), tails).as((way, tail) -> way + tail);
  }

  @Provide
  Arbitrary<List<String>> sedCommands() {
    return Arbitraries.of("s/a/b/", "s/x/y/g", "/^$/d", "p", "1d", "y/abc/xyz/", "$d", "s|/etc|/opt|", "2,4p",
        "/start/,/end/d", "s/a/b/w out.txt", "w copy.txt", "r notes.txt").list().ofMinSize(0).ofMaxSize(5);
  }

  /** Commands that run programs, or read or write outside the workspace or under .git. */
  @Provide
  Arbitrary<String> sedAttacks() {
    return Combinators.combine(Arbitraries.of("e id", "1e id", "s/a/id/e", "w /tmp/x", "r /etc/passwd",
        "s/a/b/w ../x", "W .git/config", "R escape/secret", "w .git/hooks/pre-commit", "$e sh", "/x/e echo",
        "r etc-link/shadow"), Arbitraries.of("", "1", "$", "/a/")).as((command, address) ->
        command.matches("^[0-9$/].*") ? command : address + command);
  }

  @Provide
  Arbitrary<List<String>> awkStatements() {
    return Arbitraries.of("print $1", "sum += $2", "n++", "x = \"a | b\"", "if ($3 > 10) print $0",
        "count[$1]++", "print \"a\" > \"out.txt\"", "print ARGV[1]", "y = $2 / 2", "getline line < \"notes.txt\"",
        "s = \"system(x)\"").list().ofMinSize(0).ofMaxSize(5);
  }

  @Provide
  Arbitrary<String> awkAttacks() {
    return Arbitraries.of("system(\"id\")", "print | \"sh\"", "\"id\" | getline x", "print > \"/etc/cron.d/x\"",
        "getline x < \"/etc/shadow\"", "print > \"../x\"", "print > \".git/config\"", "ARGV[1] = \"/etc/passwd\"",
        "ARGC = 3", "f = \"/tmp/x\"; print > f", "print > \"escape/x\"", "getline < \"etc-link/passwd\"",
        "delete ARGV", "ENVIRON[\"PATH\"] = \"x\"", "printf \"x\" |& \"cat\"");
  }
}
