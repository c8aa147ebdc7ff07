package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The languages inside arguments: awk programs and sed scripts, parsed rather than matched. */
class ScriptCheckTest {

  /**
   * Desynchronisation: each program is read by awk so that a string the old reader believed in
   * hides system() or a pipe (a regex after else, after the ) of an if, a bracket holding a slash,
   * a number glued to a call, ...), or awks disagree on it. Refused, whichever way.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "{ if (x) print; else /\"/; system(\"id\"); x = \"/ }",
      "{ if (x) /\"/ ; system(\"id\") ; y = \"/ }",
      "{ while (x) /\"/ ; x = \"/ }",
      "BEGIN { x = 1system(\"id\") }",
      "BEGIN { x = 0x1system(\"id\") }",
      "/[/\"]/ { print } BEGIN { system(\"id\") } #\"",
      "$1 ~ /[[:alpha:]/\"]/ { x = 1 }",
      "{ print length /\"/ ; x = \"/ }",
      "{ getline /\"/; x = \"/ }",
      "{ x = ++/\"/; y = \"/ }",
      "BEGIN { print \"unterminated }",
      "BEGIN { x = /unterminated }",
      "BEGIN { awk::system(\"id\") }",
      "BEGIN { x = 1 & 2 }",
      "BEGIN { x = `id` }",
      "BEGIN { x = 1 \\ 2 }",
      "BEGIN { print \"a\nb\" }",
      "BEGIN { @f() }",
      "else /a\"/ ; system(\"id\") ; z = \"/",
      "BEGIN { x = (1) /2/ 3 ; print \"/\" | \"sh\" }"})
  void awkProgramsThatCannotBeReadWithCertaintyOrHideCommands(String program) {
    RecordingSink recorder = new RecordingSink();
    AwkProgram.check(program, recorder);

    assertThat(recorder.refused).as(program).isNotEmpty();
  }

  /** Every way awk assigns, aimed at the variables that choose which files it opens. */
  @ParameterizedTest
  @ValueSource(strings = {
      "BEGIN { ARGV[1] = \"/etc/passwd\"; ARGC = 2 }", "BEGIN { ARGC = 5 }", "BEGIN { ARGC++ }", "BEGIN { ++ARGC }",
      "BEGIN { ARGC += 1 }", "BEGIN { ARGV[ARGC++] = \"x\" }", "BEGIN { ARGV [1] = \"x\" }",
      "BEGIN { ENVIRON[\"PATH\"] = \"/tmp\" }", "{ FILENAME = \"x\" }", "BEGIN { split(\"/etc/passwd\", ARGV) }",
      "BEGIN { sub(/x/, \"/etc/passwd\", ARGV[1]) }", "BEGIN { gsub(/^/, \"/etc/\", ARGV[1]) }",
      "BEGIN { getline ARGV[1] < \"names\" }", "BEGIN { getline ARGC }", "BEGIN { delete ARGV[1] }", "BEGIN { delete ARGV }",
      "BEGIN { for (ARGC in a) x++ }", "function f(a) { a[1] = \"/etc/passwd\" } BEGIN { f(ARGV) }",
      "BEGIN { match(\"x\", /x/, ARGV) }", "BEGIN { asort(a, ARGV) }", "BEGIN { SYMTAB[\"ARGC\"] = 3 }",
      "BEGIN { ARGV[1] \"\" ; ARGC ^= 2 }", "BEGIN { ARGC **= 2 }", "BEGIN { ARGC /= 1 }", "BEGIN { patsplit(s, ARGV) }"})
  void awkChangesToTheFilesItOpensAreRefused(String program) {
    RecordingSink recorder = new RecordingSink();
    AwkProgram.check(program, recorder);

    assertThat(recorder.refused).as(program).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ARGC=5", "ARGV=x", "ENVIRON=x", "FILENAME=/etc/passwd", "SYMTAB=x"})
  void awkCommandLineAssignmentsToProtectedVariablesAreRefused(String assignment) {
    RecordingSink asOption = new RecordingSink();
    AwkProgram.assignment(assignment, asOption);
    RecordingSink asOperand = new RecordingSink();
    AwkProgram.operand(assignment, asOperand);

    assertThat(asOption.refused).isNotEmpty();
    assertThat(asOperand.refused).isNotEmpty();
    assertThat(asOperand.files).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{ print $1/2 }", "{ if (x) print; else print $2 }", "{ x = a / b / c }", "{ print (a) / 2 }",
      "{ print a[1] / 2 }", "{ n++ / 2 }", "{ print NR / 2; x /= 2 }", "{ if ($1 ~ /^#/) next }", "/a/ && /b/ { n++ }",
      "{ print ARGV[1], ARGC, ENVIRON[\"HOME\"], FILENAME }", "{ for (k in ENVIRON) print k }", "{ x = length(ARGV) }",
      "BEGIN { if (ARGC < 2) exit 1 }", "{ print 1e3, .5, 0x1F, 1.5e-3 }", "$1 ~ /[a-z]/ { n++ }",
      "{ sub(/x/, \"y\"); gsub(/a/, \"b\", $2) }", "{ split($0, parts, \",\") }", "BEGIN { FS = \",\" }\n{ print $2 }",
      "{ print \\\n $1 }", "/[]a]/ { n++ }", "/[^]a]/ { n++ }", "/[[:digit:]]+/ { n++ }", "{ print \"a\" \"b\" }",
      "{ print $NF / 1024 }", "{ printf \"%.2f\\n\", $2 / $3 }", "{ return_value = x ; print -x }"})
  void awkProgramsANotebookUserWritesStayAllowed(String program) {
    RecordingSink recorder = new RecordingSink();
    AwkProgram.check(program, recorder);

    assertThat(recorder.refused).as(program).isEmpty();
    assertThat(recorder.files).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ARGC", "x=1", "n=ARGC", "data.csv"})
  void awkOperandsAndAssignmentsThatAreFine(String operand) {
    RecordingSink recorder = new RecordingSink();
    AwkProgram.operand(operand, recorder);

    assertThat(recorder.refused).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{print $1}", "BEGIN { printf \"%d\\n\", 42 }", "NR > 1 && $3 > 100", "$1 ~ /system|getline/",
      "{ print \"a|b\" }", "{ x = a || b }", "length($0) > 80", "{ print (a > b) }", "{ if ($1 > 5) print }",
      "{ a[$1]++ } END { for (k in a) print k, a[k] }", "/x\\/y/ { n++ } # system(\"id\") in a comment",
      "{ print $1 / 2 }", "{ getline; print }", "{ print > \"/dev/stderr\" }"})
  void awkProgramsThatStayInsideAwk(String program) {
    RecordingSink recorder = new RecordingSink();
    AwkProgram.check(program, recorder);

    assertThat(recorder.refused).isEmpty();
    assertThat(recorder.files).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"BEGIN{system(\"id\")}", "{ print | \"sh\" }", "BEGIN { \"id\" | getline }",
      "BEGIN { print |& \"/inet/tcp/0/h/80\" }", "{ print > $2 }", "BEGIN { getline l < ARGV[1] }", "@load \"x\"",
      "{ printf \"x\" > \"a\" b }", "BEGIN { system (\"id\") }", "{ print >> out }"})
  void awkProgramsThatReachOut(String program) {
    RecordingSink recorder = new RecordingSink();
    AwkProgram.check(program, recorder);

    assertThat(recorder.refused).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{ print > \"out.txt\" }", "{ printf(\"%s\", $1) >> \"log\" }",
      "BEGIN { while ((getline l < \"in.txt\") > 0) n++ }"})
  void awkRedirectionsToLiteralsAreFilesToJudge(String program) {
    RecordingSink recorder = new RecordingSink();
    AwkProgram.check(program, recorder);

    assertThat(recorder.refused).isEmpty();
    assertThat(recorder.files).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"s/foo/bar/g", "1,5p", "/^$/d", "y/abc/xyz/", "$=", "1i header", "s|/usr|/opt|g",
      "/start/,/end/d", "s/a/b/;s/c/d/", "1~2{p;n}", "0,/x/s//y/", "s/e/E/g", ":a;N;$!ba;s/\\n/ /g", "a\\\ntext", "#n",
      "s/x/\\//2", "\\%x%d", "/e/ { s/e/f/ }", "l 20", "q5"})
  void sedScriptsThatStayInsideSed(String script) {
    RecordingSink recorder = new RecordingSink();
    SedScript.check(script, recorder);

    assertThat(recorder.refused).isEmpty();
    assertThat(recorder.files).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"e", "1e id", "s/x/id/e", "s/x/y/ge", "$!e", "/x/ { e id\n}", "s|a|b|pe", "k", "s/a/b",
      "y/ab/", "s/a/b/q"})
  void sedScriptsThatRunCommandsOrCannotBeRead(String script) {
    RecordingSink recorder = new RecordingSink();
    SedScript.check(script, recorder);

    assertThat(recorder.refused).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"w out.txt", "r in.txt", "R in.txt", "W out", "s/a/b/w out.txt", "1,3w out"})
  void sedFilesAreJudged(String script) {
    RecordingSink recorder = new RecordingSink();
    SedScript.check(script, recorder);

    assertThat(recorder.refused).isEmpty();
    assertThat(recorder.files).hasSize(1);
  }
}
