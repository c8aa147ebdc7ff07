package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.validation.PathJudge.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathJudgeTest {

  @TempDir
  Path temp;
  private Path root;
  private PathJudge judge;

  @BeforeEach
  void layOut() throws IOException {
    root = Files.createDirectories(temp.resolve("ws"));
    Files.createDirectories(root.resolve("src/deep"));
    Files.createDirectories(temp.resolve("outside/deep"));
    Files.writeString(root.resolve("notes.txt"), "x");
    Files.createSymbolicLink(root.resolve("escape"), temp.resolve("outside/deep"));
    Files.createSymbolicLink(root.resolve("inner"), root.resolve("src/deep"));
    Files.createSymbolicLink(root.resolve("loop"), root.resolve("loop"));
    String real = root.toRealPath().toString();
    judge = new PathJudge(root.toString(), real, real + "/src");
  }

  /** Whether something exists out there is none of a client's business: a link out is a link out. */
  @Test
  void aLinkOutIsALinkOutWhetherItsTargetExistsOrNot() throws IOException {
    Files.writeString(temp.resolve("outside/there.txt"), "x");
    Files.createSymbolicLink(root.resolve("src/there"), temp.resolve("outside/there.txt"));
    Files.createSymbolicLink(root.resolve("src/nowhere"), temp.resolve("outside/not-there.txt"));
    Files.createSymbolicLink(root.resolve("src/relay"), root.resolve("src/nowhere"));
    Files.createSymbolicLink(root.resolve("src/home"), root.resolve("src/deep/missing"));

    assertThat(judge.judge("there")).isEqualTo(Verdict.LINK);
    assertThat(judge.judge("nowhere")).isEqualTo(Verdict.LINK);
    assertThat(judge.judge("relay")).isEqualTo(Verdict.LINK);
    assertThat(judge.judge("nowhere/below")).isEqualTo(Verdict.LINK);
    assertThat(judge.judge("home")).as("a dangling link that stays inside").isEqualTo(Verdict.INSIDE);
    assertThat(judge.judge("../loop")).isEqualTo(Verdict.LINK);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-", "x", "../notes.txt", "deep", "../src/deep/new", "./a/../b", "main..feature",
      "HEAD~3", "../inner", "../inner/../notes.txt", "new/dir/file", "/dev/null", "report%20final", "a%zz"})
  void inside(String word) {
    assertThat(judge.judge(word)).isEqualTo(Verdict.INSIDE);
  }

  @Test
  void anAbsolutePathInsideTheWorkspaceIsInside() {
    assertThat(judge.judge(root.resolve("notes.txt").toString())).isEqualTo(Verdict.INSIDE);
  }

  @Test
  void classifiesTheWaysOut() {
    assertThat(judge.judge("../..")).isEqualTo(Verdict.DOTS);
    assertThat(judge.judge("../../outside")).isEqualTo(Verdict.DOTS);
    assertThat(judge.judge("deep/../../../x")).isEqualTo(Verdict.DOTS);
    assertThat(judge.judge("/tmp/x")).isEqualTo(Verdict.ABSOLUTE);
    assertThat(judge.judge(temp.resolve("outside").toString())).isEqualTo(Verdict.ABSOLUTE);
    assertThat(judge.judge("/etc/passwd")).isEqualTo(Verdict.SYSTEM);
    assertThat(judge.judge("/")).isEqualTo(Verdict.SYSTEM);
    assertThat(judge.judge("/proc/self/environ")).isEqualTo(Verdict.SYSTEM);
    assertThat(judge.judge("/var/../etc")).isEqualTo(Verdict.SYSTEM);
    assertThat(judge.judge("~")).isEqualTo(Verdict.HOME);
    assertThat(judge.judge("~root/x")).isEqualTo(Verdict.HOME);
    assertThat(judge.judge("../escape")).isEqualTo(Verdict.LINK);
    assertThat(judge.judge("../escape/new-file")).isEqualTo(Verdict.LINK);
  }

  @Test
  void followsLinksBeforeDotsAsTheKernelDoes() {
    // Lexically escape/.. is the root; the kernel goes to the link's target first, then up.
    assertThat(judge.judge("../escape/../notes.txt")).isEqualTo(Verdict.LINK);
    assertThat(judge.judge("../escape/..")).isEqualTo(Verdict.LINK);
  }

  /** What mkdir -p does with it: creates new, goes back up, then through the link out. */
  @Test
  void aLinkAfterAMissingDirectoryAndItsDotsIsFollowed() {
    assertThat(judge.judge("new/../../escape/x")).isEqualTo(Verdict.LINK);
    assertThat(judge.judge("new/deeper/../../../escape")).isEqualTo(Verdict.LINK);
    assertThat(judge.judge("new/../../inner/x")).as("a link that stays inside").isEqualTo(Verdict.INSIDE);
  }

  @Test
  void aLinkThatCannotBeFollowedIsNotVouchedFor() {
    assertThat(judge.judge("../loop/x")).isEqualTo(Verdict.LINK);
  }

  @ParameterizedTest
  @ValueSource(strings = {"%2e%2e/x", "%2E%2e", "..%2fetc", "%5c", "%25", "%252e%252e", "%c0%ae%c0%ae", "%e0%80%ae",
      "%u002e%u002e", "..\\..\\x", "a\\b", "\uff0e\uff0e/x", "..\uff0fx", "..\uff3cx", "\u2025/x", "..\u2215x",
      "\ufe52\ufe52", "..\u2044x", "..\u29f5x"})
  void refusesDisguisedSpellings(String word) {
    assertThat(judge.judge(word)).isEqualTo(Verdict.DISGUISED);
  }

  @Test
  void normalisesLexically() {
    assertThat(PathJudge.normalise("/a/./b//c/../d")).isEqualTo("/a/b/d");
    assertThat(PathJudge.normalise("/../..")).isEqualTo("/");
    assertThat(PathJudge.normalise("/a/b/../../..")).isEqualTo("/");
  }
}
