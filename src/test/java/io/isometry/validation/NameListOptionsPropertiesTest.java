package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.contract.ViolationType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
 * Class 4 of issue 11, the refused half: an option that makes a program read file names from a
 * file ({@code --files0-from} of wc, du and sort, {@code tar -T/--files-from}, {@code find
 * -files0-from}, git's {@code --pathspec-from-file}, {@code awk -i}, an {@code @file} for a program
 * the rules do not describe) is refused in every spelling getopt accepts: long, abbreviated,
 * {@code --opt=value}, separate value, short with attached or separate value, clustered behind
 * flags, tar's old-style letters, after the operands. {@link FileContentsPropertiesTest} has the
 * judged half.
 */
class NameListOptionsPropertiesTest {

  private static ClassFourWorkspace workspace;

  @BeforeContainer
  static void setUp() throws IOException {
    workspace = ClassFourWorkspace.create();
  }

  @AfterContainer
  static void tearDown() throws IOException {
    workspace.delete();
  }

  @Property(tries = 1500)
  void anOptionReadingNamesFromAFileIsRefusedInEverySpelling(@ForAll("namesFromFile") List<String> argv) {
    ValidationResult result = workspace.validate(argv);
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
          List<String> argv = new ArrayList<>(List.of(ClassFourWorkspace.UNDESCRIBED));
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
}
