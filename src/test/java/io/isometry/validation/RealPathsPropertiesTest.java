package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@link RealPaths} walks a path as the kernel does: on a tree of directories, files and links
 * (relative, absolute, chained, dangling, looping, leading out), every path the kernel can follow
 * gets the kernel's own real path ({@link Path#toRealPath}), and every loop fails as the kernel's does.
 */
class RealPathsPropertiesTest {

  private static Path temp;
  private static String base;

  /** Every directory holds the same names, so that most random walks lead somewhere. */
  @BeforeContainer
  static void layOut() throws IOException {
    temp = Files.createTempDirectory("isometry-realpaths").toRealPath();
    for (String directory : List.of("ws", "ws/a", "ws/a/a", "ws/a/a/a", "out", "out/a")) {
      Path here = Files.createDirectories(temp.resolve(directory));
      Files.writeString(here.resolve("f"), "x");
      Files.createSymbolicLink(here.resolve("up"), Path.of(".."));
      Files.createSymbolicLink(here.resolve("abs"), temp.resolve("ws/a"));
      Files.createSymbolicLink(here.resolve("out"), temp.resolve("out"));
      Files.createSymbolicLink(here.resolve("chain"), Path.of("up/abs/a"));
      Files.createSymbolicLink(here.resolve("dangling"), Path.of("nothing/there"));
      Files.createSymbolicLink(here.resolve("loop"), Path.of("loop"));
    }
    base = temp.toString();
  }

  @AfterContainer
  static void clearAway() throws IOException {
    try (Stream<Path> paths = Files.walk(temp)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  @Property(tries = 2000)
  void agreesWithTheKernel(@ForAll("words") String word) throws IOException {
    Path asked = Path.of(base, word);
    Path kernel;
    try {
      kernel = asked.toRealPath();
    } catch (NoSuchFileException e) {
      Statistics.collect("missing");
      return; // nothing there for the kernel: what the walk says then is RealPaths' own rule
    } catch (FileSystemException e) {
      // a loop (ELOOP) or a file used as a directory (ENOTDIR, "missing" to the walk)
      Statistics.collect("loop or not a directory");
      if (String.valueOf(e.getReason()).contains("levels of symbolic links")) {
        assertThatThrownBy(() -> RealPaths.from(base, word)).as(word).isInstanceOf(IOException.class);
      }
      return;
    }
    Statistics.collect("followed");
    RealPaths walked = RealPaths.from(base, word);
    assertThat(walked.path()).as(word).isEqualTo(kernel.toString());
    assertThat(walked.exists()).as(word).isTrue();
    assertThat(RealPaths.of(asked.toString()).path()).as("the same path asked absolute: " + word).isEqualTo(kernel.toString());
  }

  /** Not vacuous: most words must reach something the kernel follows. */
  @AfterProperty
  void enoughWereFollowed() {
    Statistics.coverage(coverage -> coverage.check("followed").percentage(p -> p >= 20));
  }

  @Provide
  Arbitrary<String> words() {
    List<String> parts = List.of("a", "a", "a", "f", "up", "abs", "chain", "out", "dangling", "loop", ".", "..", "",
        "nothing");
    return Arbitraries.of(parts).list().ofMinSize(1).ofMaxSize(6).map(list -> "ws/" + String.join("/", list));
  }
}
