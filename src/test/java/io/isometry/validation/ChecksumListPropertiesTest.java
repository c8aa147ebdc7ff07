package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
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
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * The checksum-list reader against the real programs: for generated lists mixing the GNU, BSD and
 * "reversed" forms, tabs, stray spaces, parentheses and equals signs in names, whenever
 * {@link ChecksumList} accepts a list, every file the real {@code md5sum -c} or {@code sha256sum -c}
 * tries to open is one of the names the policy judged. (None of the files exists, so the program
 * names each one it reads, and only reads.) A reader that took {@code HASH (name) = x} for the BSD
 * form judged {@code name} while md5sum opened {@code (name) = x}.
 */
class ChecksumListPropertiesTest {

  private static final String MD5 = "d41d8cd98f00b204e9800998ecf8427e";
  private static final String MD5_UPPER = "ABCDEF0123456789ABCDEF0123456789";
  private static final String SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static Path directory;

  @BeforeContainer
  static void setUp() throws IOException {
    directory = Files.createTempDirectory("isometry-sums");
  }

  @AfterContainer
  static void tearDown() throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  @Property(tries = 1000)
  void everyFileTheProgramReadsIsOneThePolicyJudged(@ForAll("lists") List<String> lines,
                                                    @ForAll("programs") String program) throws Exception {
    String contents = String.join("\n", lines) + "\n";
    RecordingSink judged = new RecordingSink();
    ChecksumList.check(contents, judged);
    assertThat(judged.written).as("a checksum list writes nothing").isEmpty();
    Statistics.label("accepted, so compared with the program").collect(judged.refused.isEmpty());
    Statistics.label("accepted, so compared with the program").coverage(coverage ->
        coverage.check(true).percentage(percent -> percent > 5));
    if (!judged.refused.isEmpty()) {
      return; // refused lists are never run: nothing to compare
    }
    Set<String> opened = opened(program, contents);
    assertThat(judged.files).as("%s -c on %s", program, lines).containsAll(opened);
  }

  /** The names {@code program -c} reports for a list of files that do not exist: the files it tried to open. */
  private static Set<String> opened(String program, String contents) throws IOException, InterruptedException {
    Path list = Files.createTempFile(directory, "sums", ".txt");
    Files.writeString(list, contents);
    Process process = new ProcessBuilder(program, "-c", list.toString()).directory(directory.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Files.delete(list);
    Set<String> names = new LinkedHashSet<>();
    for (String line : output.split("\n")) {
      int colon = line.lastIndexOf(": ");
      if (colon > 0) {
        names.add(line.substring(0, colon));
      }
    }
    return names;
  }

  @Provide
  Arbitrary<String> programs() {
    return Arbitraries.of("md5sum", "sha256sum");
  }

  @Provide
  Arbitrary<List<String>> lists() {
    Arbitrary<String> hashes = Arbitraries.of(MD5, MD5_UPPER, SHA256, "MD5", "SHA256", "MD5 ", "SHA256 ",
        MD5_UPPER + "0");
    Arbitrary<String> separators = Arbitraries.of(" ", "  ", " *", "\t", " (", "(");
    Arbitrary<String> names = Arbitraries.of("notes.txt", "(notes.txt", "a) b", "x = y", "(a) = 1", "*star", " lead");
    Arbitrary<String> endings = Arbitraries.of("", ") = " + MD5, ")= " + SHA256, ") =" + MD5_UPPER, ") = 1", ")",
        ") =  " + MD5);
    Arbitrary<String> leads = Arbitraries.frequency(Tuple.of(6, ""), Tuple.of(1, "\\"), Tuple.of(1, " "));
    Arbitrary<String> lines = Combinators.combine(leads, hashes, separators, names, endings)
        .as((lead, hash, separator, name, ending) -> lead + hash + separator + name + ending);
    return lines.list().ofMinSize(1).ofMaxSize(2);
  }
}
