package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * The sed parser against the real GNU sed, for what {@code sed -f} reads from a file: scripts
 * generated from addresses, commands, separators, braces, comments, {@code a\ i\ c\} text with
 * continuation lines and stray backslashes, some of them with an {@code e} command or an {@code e}
 * flag that would create a marker file. Whenever {@link SedScript} accepts a script, the real sed,
 * run on it in an empty directory, creates no marker (it ran nothing) and writes no file but those
 * the policy judged as written.
 */
class SedScriptPropertiesTest {

  private static final String RAN = "ran-a-command";
  private static Path directory;

  @BeforeContainer
  static void setUp() throws IOException {
    directory = Files.createTempDirectory("isometry-sed");
  }

  @AfterContainer
  static void tearDown() throws IOException {
    delete(directory);
  }

  @Property(tries = 1500)
  void anAcceptedScriptRunsNothingAndWritesOnlyWhatWasJudged(@ForAll("scripts") String script) throws Exception {
    Recorder judged = new Recorder();
    SedScript.check(script, judged);
    Statistics.label("accepted, so run").collect(judged.refused.isEmpty());
    Statistics.label("accepted, so run").coverage(coverage -> coverage.check(true).percentage(percent -> percent > 10));
    if (!judged.refused.isEmpty()) {
      return;
    }
    Path run = Files.createTempDirectory(directory, "run");
    try {
      Files.writeString(run.resolve("script.sed"), script);
      Files.writeString(run.resolve("input.txt"), "a\nb x\n");
      Process sed = new ProcessBuilder("sed", "-f", "script.sed", "input.txt").directory(run.toFile())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      assertThat(sed.waitFor(10, TimeUnit.SECONDS)).as(script).isTrue();
      Set<String> created = new HashSet<>();
      try (Stream<Path> files = Files.list(run)) {
        files.map(file -> file.getFileName().toString()).forEach(created::add);
      }
      created.removeAll(Set.of("script.sed", "input.txt"));
      assertThat(created).as("sed ran a command from %s", script).doesNotContain(RAN);
      assertThat(judged.written).as("files sed wrote for %s", script).containsAll(created);
    } finally {
      delete(run);
    }
  }

  @Provide
  Arbitrary<String> scripts() {
    Arbitrary<String> addresses = Arbitraries.of("", "", "1", "$", "/a/", "\\%b%", "1,2", "0~2", "2,+1", "/x/I", "1!",
        "/a/,/b/!");
    Arbitrary<String> commands = Arbitraries.of("p", "d", "s/a/b/", "s/a/b/g", "y/ab/ba/", "=", "l", "n", "N", "x",
        "w out.txt", "s/a/b/w out2.txt", "W out3.txt", "r input.txt", "e touch " + RAN, "e", "s/.*/touch " + RAN + "/e",
        "s/a/touch " + RAN + "/ge", "a\\", "a text", "i\\", "c\\", "a\\ e touch " + RAN, "{", "}", "#", "#n", "q", "z",
        "F", "s/a/b/;e touch " + RAN, "y/a\\/b/xyz/");
    Arbitrary<String> glue = Arbitraries.of("\n", "\n", ";", " ", "\\\n", "; ", "\n\t");
    Arbitrary<String> piece = Combinators.combine(addresses, commands, glue).as((a, c, g) -> a + c + g);
    return piece.list().ofMinSize(1).ofMaxSize(6).map(pieces -> String.join("", pieces));
  }

  private static void delete(Path tree) throws IOException {
    try (Stream<Path> paths = Files.walk(tree)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static final class Recorder implements ScriptSink {
    final List<String> refused = new ArrayList<>();
    final Set<String> written = new HashSet<>();

    @Override
    public void refuse(Refusal refusal, String token) {
      refused.add(token);
    }

    @Override
    public void file(String path) {
      // read: sed creates nothing for it
    }

    @Override
    public void written(String path) {
      written.add(path);
    }
  }
}
