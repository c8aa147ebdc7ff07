package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How argv is read with the option tables: clusters, abbreviations, old-style tar, patterns, find, git. */
class ArgumentReaderTest {

  private static final ArgumentReader READER = new ArgumentReader(SecurityRulesReader.load(List.of()));

  static Stream<Arguments> refusedOptions() {
    return Stream.of(
        arguments("tar --to-command=id -xf a.tar", "--to-command"),
        arguments("tar --to-comm=id -xf a.tar", "--to-comm"),
        arguments("tar --checkpoint-act=exec=id -cf a.tar x", "--checkpoint-act"),
        arguments("tar -cIsh -f a.tar x", "-I"),
        arguments("tar -xvfI a.tar", null),
        arguments("tar xvIf sh a.tar", "-I"),
        arguments("tar cf a.tar --use-compress-prog id x", "--use-compress-prog"),
        arguments("sort --compress-prog=sh x", "--compress-prog"),
        arguments("sort --comp=sh x", "--comp"),
        arguments("git --git-dir=evil log", "--git-dir"),
        arguments("git clone -u id repo", "-u"),
        arguments("python3 -uc print(1)", "-c"),
        arguments("python3 -Bm http.server", "-m"),
        arguments("find . -name x -exec id ;", "-exec"),
        arguments("env -S sh", "-S"),
        arguments("awk --lo=x prog", "--lo"),
        arguments("sed --follow --nosuch x", "--nosuch"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("refusedOptions")
  void findsRefusedOptionsHoweverTheyAreSpelled(String command, String option) {
    CommandLine line = READER.read(Arrays.asList(command.split(" ")));

    if (option == null) {
      assertThat(line.findings()).isEmpty();
    } else {
      assertThat(line.findings()).extracting(Finding::option).contains(option);
    }
  }

  @Test
  void aClusterEndsAtTheFirstOptionThatTakesAValue() {
    CommandLine line = READER.read(List.of("tar", "-xvf/etc/x.tar"));

    assertThat(line.arguments()).containsExactly(new Argument(1, "/etc/x.tar", ArgumentRole.EXTRACTED_ARCHIVE, false));
  }

  @Test
  void oldStyleTarTakesValuesFromTheFollowingWordsInOrder() {
    CommandLine line = READER.read(List.of("tar", "cfX", "out.tar", "exclude.txt", "extra"));

    assertThat(line.arguments()).containsExactly(new Argument(2, "out.tar", ArgumentRole.ARCHIVE, false),
        new Argument(3, "exclude.txt", ArgumentRole.FILE, false), new Argument(4, "extra", ArgumentRole.FILE, false));
  }

  @Test
  void grepsFirstOperandIsItsPatternUnlessAnOptionGivesOne() {
    assertThat(READER.read(List.of("grep", "-rn", "/etc/passwd", "docs")).arguments()).containsExactly(
        new Argument(2, "/etc/passwd", ArgumentRole.TEXT, false), new Argument(3, "docs", ArgumentRole.FILE, false));
    // GNU permutes: an -e after the operands still means they are all files.
    assertThat(READER.read(List.of("grep", "/etc/passwd", "-e", "x")).arguments()).containsExactly(
        new Argument(3, "x", ArgumentRole.TEXT, false), new Argument(1, "/etc/passwd", ArgumentRole.FILE, false));
  }

  @Test
  void aLoneDashIsAnOperandAndDoubleDashEndsOptions() {
    assertThat(READER.read(List.of("cat", "-", "--", "-n")).arguments()).containsExactly(
        new Argument(1, "-", ArgumentRole.FILE, false), new Argument(3, "-n", ArgumentRole.FILE, false));
  }

  @Test
  void anAbbreviationOfSeveralOptionsIsRefusedWhenOneOfThemIs() {
    CommandLine line = READER.read(List.of("git", "push", "--re", "origin"));

    assertThat(line.findings()).singleElement().satisfies(finding ->
        assertThat(finding.refusal().reason()).contains("runs a program"));
  }

  @Test
  void gitReadsItsSubcommandWithItsOwnTable() {
    CommandLine diff = READER.read(List.of("git", "diff", "main..feature", "--output=out.txt"));

    assertThat(diff.findings()).isEmpty();
    assertThat(diff.arguments()).contains(new Argument(2, "main..feature", ArgumentRole.FILE, false),
        new Argument(3, "out.txt", ArgumentRole.OUTPUT, false));
    assertThat(READER.read(List.of("git", "frobnicate")).findings()).extracting(Finding::option)
        .containsExactly("frobnicate");
  }

  @Test
  void findReadsStartingPointsAndPrimaries() {
    CommandLine line = READER.read(List.of("find", "src", "docs", "-name", "/etc/x", "-newer", "ref", "-print"));

    assertThat(line.findings()).isEmpty();
    assertThat(line.arguments()).containsExactly(new Argument(1, "src", ArgumentRole.FILE, false),
        new Argument(2, "docs", ArgumentRole.FILE, false), new Argument(4, "/etc/x", ArgumentRole.TEXT, false),
        new Argument(6, "ref", ArgumentRole.FILE, false));
  }

  @Test
  void anExecPrimarysWordsAreItsCommandNotPrimaries() {
    CommandLine line = READER.read(List.of("find", ".", "-exec", "sudo", "-delete", "{}", ";", "-print"));

    assertThat(line.findings()).extracting(Finding::option).containsExactly("-exec");
    assertThat(line.arguments()).contains(new Argument(3, "sudo", ArgumentRole.COMMAND, true));
  }

  @Test
  void chmodTakesASymbolicModeWhereAnOptionCouldBe() {
    assertThat(READER.read(List.of("chmod", "-x", "f")).arguments()).containsExactly(
        new Argument(1, "-x", ArgumentRole.MODE, false), new Argument(2, "f", ArgumentRole.OUTPUT, false));
    assertThat(READER.read(List.of("chmod", "-R", "u+s", "d")).arguments()).containsExactly(
        new Argument(2, "u+s", ArgumentRole.MODE, false), new Argument(3, "d", ArgumentRole.OUTPUT, false));
  }

  @Test
  void aProgramWithoutRulesHasEveryOperandAndVisibleValueJudgedAsAFileItWrites() {
    CommandLine line = READER.read(List.of("frob", "--out=/etc/x", "-o/tmp/y", "z", "of=.git/config"));

    assertThat(line.program()).isNull();
    assertThat(line.findings()).isEmpty();
    assertThat(line.arguments()).containsExactly(new Argument(1, "/etc/x", ArgumentRole.OUTPUT, false),
        new Argument(2, "/tmp/y", ArgumentRole.OUTPUT, false), new Argument(3, "z", ArgumentRole.OUTPUT, false),
        new Argument(4, "of=.git/config", ArgumentRole.OUTPUT, false), new Argument(4, ".git/config", ArgumentRole.OUTPUT, false));
  }

  @Test
  void anOptionChangesWhatTheOtherWordsAreAndCopiesHaveADestination() {
    assertThat(READER.read(List.of("sed", "-i", "s/a/b/", "f")).arguments()).contains(
        new Argument(3, "f", ArgumentRole.OUTPUT, false));
    assertThat(READER.read(List.of("sha256sum", "f", "--check")).arguments()).containsExactly(
        new Argument(1, "f", ArgumentRole.CHECKSUMS, false));
    assertThat(READER.read(List.of("cp", "a", "b", "c")).arguments()).containsExactly(
        new Argument(1, "a", ArgumentRole.COPIED, false), new Argument(2, "b", ArgumentRole.COPIED, false),
        new Argument(3, "c", ArgumentRole.OUTPUT, false));
    assertThat(READER.read(List.of("cp", "-t", "dir", "a", "b")).arguments()).containsExactly(
        new Argument(2, "dir", ArgumentRole.OUTPUT, false), new Argument(3, "a", ArgumentRole.COPIED, false),
        new Argument(4, "b", ArgumentRole.COPIED, false));
    assertThat(READER.read(List.of("git", "config", "--get", "core.pager")).arguments()).contains(
        new Argument(3, "core.pager", ArgumentRole.TEXT, false));
    assertThat(READER.read(List.of("git", "config", "user.name", "x")).arguments()).contains(
        new Argument(2, "user.name", ArgumentRole.GIT_CONFIG, false), new Argument(3, "x", ArgumentRole.TEXT, false));
  }

  @Test
  void pythonsOptionsEndAtTheScript() {
    CommandLine line = READER.read(List.of("python3", "-u", "script.py", "-c", "x"));

    assertThat(line.findings()).isEmpty();
    assertThat(line.arguments()).extracting(Argument::text).containsExactly("script.py", "-c", "x");
  }

  @Test
  void headTakesANumericOption() {
    CommandLine line = READER.read(List.of("head", "-5", "f"));

    assertThat(line.findings()).isEmpty();
    assertThat(line.arguments()).containsExactly(new Argument(2, "f", ArgumentRole.FILE, false));
  }
}
