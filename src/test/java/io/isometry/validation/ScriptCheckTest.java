package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The languages inside arguments: awk programs and sed scripts, parsed rather than matched. */
class ScriptCheckTest {

  /** Records what a checker reports. */
  private static final class Recorder implements ScriptSink {
    final List<String> refused = new ArrayList<>();
    final List<String> files = new ArrayList<>();

    @Override
    public void refuse(Refusal refusal, String token) {
      refused.add(token);
    }

    @Override
    public void file(String path) {
      files.add(path);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"{print $1}", "BEGIN { printf \"%d\\n\", 42 }", "NR > 1 && $3 > 100", "$1 ~ /system|getline/",
      "{ print \"a|b\" }", "{ x = a || b }", "length($0) > 80", "{ print (a > b) }", "{ if ($1 > 5) print }",
      "{ a[$1]++ } END { for (k in a) print k, a[k] }", "/x\\/y/ { n++ } # system(\"id\") in a comment",
      "{ print $1 / 2 }", "{ getline; print }", "{ print > \"/dev/stderr\" }"})
  void awkProgramsThatStayInsideAwk(String program) {
    Recorder recorder = new Recorder();
    AwkProgram.check(program, recorder);

    assertThat(recorder.refused).isEmpty();
    assertThat(recorder.files).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"BEGIN{system(\"id\")}", "{ print | \"sh\" }", "BEGIN { \"id\" | getline }",
      "BEGIN { print |& \"/inet/tcp/0/h/80\" }", "{ print > $2 }", "BEGIN { getline l < ARGV[1] }", "@load \"x\"",
      "{ printf \"x\" > \"a\" b }", "BEGIN { system (\"id\") }", "{ print >> out }"})
  void awkProgramsThatReachOut(String program) {
    Recorder recorder = new Recorder();
    AwkProgram.check(program, recorder);

    assertThat(recorder.refused).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{ print > \"out.txt\" }", "{ printf(\"%s\", $1) >> \"log\" }",
      "BEGIN { while ((getline l < \"in.txt\") > 0) n++ }"})
  void awkRedirectionsToLiteralsAreFilesToJudge(String program) {
    Recorder recorder = new Recorder();
    AwkProgram.check(program, recorder);

    assertThat(recorder.refused).isEmpty();
    assertThat(recorder.files).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"s/foo/bar/g", "1,5p", "/^$/d", "y/abc/xyz/", "$=", "1i header", "s|/usr|/opt|g",
      "/start/,/end/d", "s/a/b/;s/c/d/", "1~2{p;n}", "0,/x/s//y/", "s/e/E/g", ":a;N;$!ba;s/\\n/ /g", "a\\\ntext", "#n",
      "s/x/\\//2", "\\%x%d", "/e/ { s/e/f/ }", "l 20", "q5"})
  void sedScriptsThatStayInsideSed(String script) {
    Recorder recorder = new Recorder();
    SedScript.check(script, recorder);

    assertThat(recorder.refused).isEmpty();
    assertThat(recorder.files).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"e", "1e id", "s/x/id/e", "s/x/y/ge", "$!e", "/x/ { e id\n}", "s|a|b|pe", "k", "s/a/b",
      "y/ab/", "s/a/b/q"})
  void sedScriptsThatRunCommandsOrCannotBeRead(String script) {
    Recorder recorder = new Recorder();
    SedScript.check(script, recorder);

    assertThat(recorder.refused).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"w out.txt", "r in.txt", "R in.txt", "W out", "s/a/b/w out.txt", "1,3w out"})
  void sedFilesAreJudged(String script) {
    Recorder recorder = new Recorder();
    SedScript.check(script, recorder);

    assertThat(recorder.refused).isEmpty();
    assertThat(recorder.files).hasSize(1);
  }
}
