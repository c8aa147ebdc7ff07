package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.config.ConfigLoader;
import io.isometry.config.EngineConfig;
import io.isometry.contract.SubmitRequest;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Class 4 of issue 11 (names and code read from files), over generated command lines: an option
 * that makes a program read file names from a file is refused in every spelling getopt accepts
 * (long, abbreviated, {@code --opt=value}, separate value, short with attached or separate value,
 * clustered behind flags, tar's old-style letters, after operands), and a file whose contents are
 * judged ({@code sed -f}, {@code awk -f/-E}, {@code md5sum -c}) is refused whenever one of its
 * lines names a path outside the workspace or runs code, and allowed when every line is benign,
 * however the option is spelled and wherever the file stands ({@code --} included).
 */
class NamesFromFilesPropertiesTest {

  /** A program the rules do not describe: it may take more arguments from an @file. */
  private static final String UNDESCRIBED = "tac";
  private static final AtomicInteger FILES = new AtomicInteger();
  private static final String HASH = "0123456789abcdef0123456789abcdef";

  private static Path temp;
  private static Path root;
  private static SecurityPolicy policy;

  @BeforeContainer
  static void setUp() throws IOException {
    temp = Files.createTempDirectory("isometry-class4");
    root = Files.createDirectories(temp.resolve("ws"));
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.createDirectories(root.resolve("src/main"));
    Files.createDirectories(root.resolve(".git/hooks"));
    for (String file : List.of("notes.txt", "a.txt", "src/main/x.py", "data.csv")) {
      Files.writeString(root.resolve(file), "content\n");
    }
    Files.writeString(root.resolve("list.txt"), "notes.txt\n");
    Files.createSymbolicLink(root.resolve("escape"), outside);
    Files.createSymbolicLink(root.resolve("etc-link"), Path.of("/etc"));
    JsonArray allowed = ConfigLoader.defaults().getJsonObject("security").getJsonArray("allowedCommands").copy();
    List.of("sha1sum", "sha512sum", "b2sum", UNDESCRIBED).forEach(allowed::add);
    policy = SecurityPolicy.create(EngineConfig.from(ConfigLoader.withOverrides(new JsonObject()
        .put("workspace", root.toString())
        .put("security", new JsonObject().put("allowedCommands", allowed)))));
  }

  @AfterContainer
  static void tearDown() throws IOException {
    try (Stream<Path> paths = Files.walk(temp)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  // ---- options that read names from a file: refused, however they are written ----

  @Property(tries = 1500)
  void anOptionReadingNamesFromAFileIsRefusedInEverySpelling(@ForAll("namesFromFile") List<String> argv) {
    ValidationResult result = validate(argv);
    assertThat(result.allowed()).as(String.join(" ", argv)).isFalse();
    assertThat(result.violations()).as(String.join(" ", argv))
        .anyMatch(v -> v.type() == ViolationType.ARGUMENT_INJECTION);
  }

  /** A refused option of a program: its short letter (or 0), its long name and unique abbreviations, flags to cluster. */
  private record Refused(List<String> program, char shortName, String longName, List<String> abbreviations,
                         String flags, List<String> operands) {
  }

  private static final List<Refused> REFUSED = List.of(
      new Refused(List.of("wc"), (char) 0, "--files0-from", List.of("--files0", "--f"), "lwc", List.of("notes.txt")),
      new Refused(List.of("du"), (char) 0, "--files0-from", List.of("--files0-f", "--fi"), "sha", List.of("src")),
      new Refused(List.of("sort"), (char) 0, "--files0-from", List.of("--files0", "--fil"), "rnbf", List.of("a.txt")),
      new Refused(List.of("tar"), 'T', "--files-from", List.of("--files-f", "--files"), "cv", List.of("notes.txt")),
      new Refused(List.of("git", "add"), (char) 0, "--pathspec-from-file", List.of("--pathspec-fr", "--pathspec-from"),
          "nv", List.of("notes.txt")),
      new Refused(List.of("git", "checkout"), (char) 0, "--pathspec-from-file", List.of("--pathspec-from-f"), "q",
          List.of()),
      new Refused(List.of("git", "rm"), (char) 0, "--pathspec-from-file", List.of("--pathspec-fro"), "nq",
          List.of("a.txt")),
      new Refused(List.of("git", "reset"), (char) 0, "--pathspec-from-file", List.of("--pathspec-from-fi"), "q",
          List.of()),
      new Refused(List.of("git", "commit"), (char) 0, "--pathspec-from-file", List.of("--pathspec-f"), "q",
          List.of()),
      new Refused(List.of("git", "stash", "push"), (char) 0, "--pathspec-from-file", List.of("--pathspec-from-"), "q",
          List.of()),
      new Refused(List.of("awk"), 'i', "--include", List.of("--inc"), "", List.of("notes.txt")));

  @Provide
  Arbitrary<List<String>> namesFromFile() {
    Arbitrary<List<String>> options = Combinators.combine(Arbitraries.of(REFUSED),
        Arbitraries.of("list.txt", "/etc/passwd", "-", "escape/list", "../list", "src/main/x.py"),
        Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 20), Arbitraries.of(true, false))
        .as((refused, value, spelling, choice, operandsFirst) -> {
          List<String> argv = new ArrayList<>(refused.program());
          List<String> option = spell(refused, value, spelling, choice);
          if (refused.program().get(0).equals("tar")) {
            argv.addAll(List.of("-cf", "out.tar"));
          }
          if (refused.program().get(0).equals("awk")) {
            argv.addAll(List.of("-e", "{ print }"));
          }
          // GNU programs permute: an option after the operands counts as much as one before.
          boolean permutes = !refused.program().get(0).equals("git");
          if (operandsFirst && permutes) {
            argv.addAll(refused.operands());
            argv.addAll(option);
          } else {
            argv.addAll(option);
            argv.addAll(refused.operands());
          }
          return argv;
        });
    Arbitrary<List<String>> find = Combinators.combine(Arbitraries.of("list.txt", "/etc/passwd", "-"),
            Arbitraries.of(List.<String>of(), List.of("-H"), List.of("-P"), List.of("-D", "stat"), List.of("-O2")),
            Arbitraries.of(List.<String>of(), List.of("-print"), List.of("-name", "*.txt", "-print"),
                List.of("-maxdepth", "1")),
            Arbitraries.of(true, false))
        .as((value, leading, expression, before) -> {
          List<String> argv = new ArrayList<>(List.of("find"));
          argv.addAll(leading);
          if (before) {
            argv.addAll(List.of("-files0-from", value));
            argv.addAll(expression);
          } else {
            argv.addAll(expression);
            argv.addAll(List.of("-files0-from", value));
          }
          return argv;
        });
    Arbitrary<List<String>> oldStyleTar = Combinators.combine(Arbitraries.of("cfT", "cTf", "Tcf", "cvfT", "tfT"),
            Arbitraries.of("list.txt", "/etc/passwd"))
        .as((letters, value) -> {
          // tar's old style: each letter that takes a value takes the next word, in order.
          List<String> argv = new ArrayList<>(List.of("tar", letters));
          for (char letter : letters.toCharArray()) {
            if (letter == 'f') {
              argv.add("out.tar");
            } else if (letter == 'T') {
              argv.add(value);
            }
          }
          argv.add("notes.txt");
          return argv;
        });
    Arbitrary<List<String>> responseFiles = Combinators.combine(Arbitraries.of("@list.txt", "@notes.txt", "@/etc/passwd",
            "@escape/x", "@-"), Arbitraries.of(List.<String>of(), List.of("-s", ","), List.of("-b"), List.of("--")),
            Arbitraries.of(true, false))
        .as((file, flags, last) -> {
          // A program the rules do not describe may read more of its arguments from an @file.
          List<String> argv = new ArrayList<>(List.of(UNDESCRIBED));
          argv.addAll(flags);
          if (last) {
            argv.addAll(List.of("notes.txt", file));
          } else {
            argv.addAll(List.of(file, "notes.txt"));
          }
          return argv;
        });
    return Arbitraries.frequencyOf(Tuple.of(6, options), Tuple.of(1, find), Tuple.of(1, oldStyleTar),
        Tuple.of(1, responseFiles));
  }

  /** The option with its value, written one of the ways getopt reads the same thing. */
  private static List<String> spell(Refused refused, String value, int spelling, int choice) {
    String abbreviation = refused.abbreviations().get(choice % refused.abbreviations().size());
    String flags = refused.flags();
    String cluster = flags.isEmpty() ? "" : flags.substring(0, 1 + choice % flags.length());
    if (refused.shortName() == 0 && spelling >= 4) {
      spelling %= 4;
    }
    return switch (spelling) {
      case 0 -> List.of(refused.longName() + "=" + value);
      case 1 -> List.of(refused.longName(), value);
      case 2 -> List.of(abbreviation + "=" + value);
      case 3 -> List.of(abbreviation, value);
      case 4 -> List.of("-" + refused.shortName(), value);
      case 5 -> List.of("-" + refused.shortName() + value);
      case 6 -> List.of("-" + cluster + refused.shortName(), value);
      default -> List.of("-" + cluster + refused.shortName() + value);
    };
  }

  // ---- files judged by their contents ----

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
    String list = write("sums", text.toString());
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
    String file = write("script", String.join("\n", script) + "\n");
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
    String file = write("program", "{\n" + String.join("\n", program) + "\n}\n");
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
    ValidationResult result = validate(argv);
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

  // ---- helpers ----

  /** A new file of the workspace with {@code text}; its name relative to the root. */
  private static String write(String stem, String text) {
    String name = stem + "-" + FILES.incrementAndGet() + ".txt";
    try {
      Files.writeString(root.resolve(name), text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return name;
  }

  private static ValidationResult validate(List<String> argv) {
    return policy.validate(SubmitRequest.fromJson(new JsonObject().put("argv", new JsonArray(new ArrayList<>(argv)))));
  }
}
