package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.validation.WorkingDirectory.Placement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {

  @TempDir
  Path temp;
  private Path root;
  private Workspace workspace;

  @BeforeEach
  void layOut() throws IOException {
    root = Files.createDirectories(temp.resolve("ws"));
    Files.createDirectories(root.resolve("src/main"));
    Files.createFile(root.resolve("notes.txt"));
    Files.createDirectories(temp.resolve("outside"));
    Files.createSymbolicLink(root.resolve("escape"), temp.resolve("outside"));
    Files.createSymbolicLink(root.resolve("shortcut"), root.resolve("src/main"));
    Files.createSymbolicLink(root.resolve("loop"), root.resolve("loop"));
    workspace = new Workspace(root);
  }

  @Test
  void theRootByDefault() {
    assertThat(workspace.locate(null)).isEqualTo(inside(null, "."));
    assertThat(workspace.locate("")).isEqualTo(inside(".", "."));
    assertThat(workspace.locate(".")).isEqualTo(inside(".", "."));
    assertThat(workspace.locate("src/..")).isEqualTo(inside("src/..", "."));
  }

  @Test
  void normalisesAPathInside() {
    assertThat(workspace.locate("src").relative()).isEqualTo("src");
    assertThat(workspace.locate("./src/main/").relative()).isEqualTo("src/main");
    assertThat(workspace.locate("src/../src/main").relative()).isEqualTo("src/main");
    assertThat(workspace.locate("../ws/src").relative()).isEqualTo("src");
  }

  @Test
  void aWorkingDirectoryLinkedOutIsRefusedAlikeWhetherItsTargetExistsOrNot() throws IOException {
    Files.createSymbolicLink(root.resolve("there"), temp);
    Files.createSymbolicLink(root.resolve("nowhere"), temp.resolve("no-such-directory"));

    assertThat(workspace.locate("there").placement()).isEqualTo(WorkingDirectory.Placement.OUTSIDE_BY_LINK);
    assertThat(workspace.locate("nowhere").placement()).isEqualTo(WorkingDirectory.Placement.OUTSIDE_BY_LINK);
  }

  @Test
  void followsALinkThatStaysInside() {
    assertThat(workspace.locate("shortcut")).isEqualTo(inside("shortcut", "src/main"));
  }

  @Test
  void acceptsAnAbsolutePathInside() {
    assertThat(workspace.locate(root.resolve("src").toString()).relative()).isEqualTo("src");
  }

  @Test
  void tellsHowAPathLeadsOut() {
    assertThat(workspace.locate("..").placement()).isEqualTo(Placement.OUTSIDE_BY_DOTS);
    assertThat(workspace.locate("../outside").placement()).isEqualTo(Placement.OUTSIDE_BY_DOTS);
    assertThat(workspace.locate("src/../../outside").placement()).isEqualTo(Placement.OUTSIDE_BY_DOTS);
    assertThat(workspace.locate("/etc").placement()).isEqualTo(Placement.OUTSIDE_BY_ABSOLUTE_PATH);
    assertThat(workspace.locate(temp.resolve("outside").toString()).placement())
        .isEqualTo(Placement.OUTSIDE_BY_ABSOLUTE_PATH);
    assertThat(workspace.locate("escape").placement()).isEqualTo(Placement.OUTSIDE_BY_LINK);
    assertThat(workspace.locate("escape/not-there-yet").placement()).isEqualTo(Placement.OUTSIDE_BY_LINK);
    assertThat(workspace.locate(root.resolve("escape").toString()).placement()).isEqualTo(Placement.OUTSIDE_BY_LINK);
  }

  @Test
  void refusesWhatIsNotAnExistingDirectory() {
    assertThat(workspace.locate("missing").placement()).isEqualTo(Placement.NOT_A_DIRECTORY);
    assertThat(workspace.locate("notes.txt").placement()).isEqualTo(Placement.NOT_A_DIRECTORY);
    assertThat(workspace.locate("loop").placement()).isEqualTo(Placement.UNRESOLVABLE);
    assertThat(workspace.locate("src\u0000").placement()).isEqualTo(Placement.MALFORMED);
    assertThat(workspace.locate("src\n").placement()).isEqualTo(Placement.MALFORMED);
  }

  @Test
  void aWorkspaceThatDoesNotExistYetHasNoDirectories() {
    Workspace future = new Workspace(temp.resolve("later"));

    assertThat(future.locate(".").placement()).isEqualTo(Placement.NOT_A_DIRECTORY);
    assertThat(future.locate("..").placement()).isEqualTo(Placement.OUTSIDE_BY_DOTS);
  }

  @Test
  void aWorkspaceMadeAfterItWasFirstAskedAboutIsUsedOnceItExists() throws IOException {
    Workspace future = new Workspace(temp.resolve("later"));
    assertThat(future.locate(".").placement()).isEqualTo(Placement.NOT_A_DIRECTORY);

    Files.createDirectories(temp.resolve("later/src"));

    assertThat(future.locate(".")).isEqualTo(inside(".", "."));
    assertThat(future.locate("src")).isEqualTo(inside("src", "src"));
  }

  /** The root's real path is kept once found; what lies below it is walked again on every request. */
  @Test
  void aDirectorySwappedForALinkOutIsSeenOnTheNextRequest() throws IOException {
    assertThat(workspace.locate("src/main")).isEqualTo(inside("src/main", "src/main"));

    Files.move(root.resolve("src"), temp.resolve("moved"));
    Files.createSymbolicLink(root.resolve("src"), temp.resolve("outside"));
    Files.createDirectories(temp.resolve("outside/main"));

    assertThat(workspace.locate("src/main").placement()).isEqualTo(Placement.OUTSIDE_BY_LINK);
    assertThat(workspace.locate(".")).isEqualTo(inside(".", "."));
  }

  private static WorkingDirectory inside(String requested, String relative) {
    return new WorkingDirectory(requested == null ? "." : requested, Placement.INSIDE, relative);
  }
}
