package io.isometry.sandbox;

import io.isometry.config.EngineConfig;
import io.isometry.os.Identity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * One workspace per principal: {@code <workspace>/<owner>}, made on first use, owned by the user
 * children run as, mode 0700. A request can name nothing outside its owner's workspace (the
 * validator canonicalises against it), and the sandbox binds only that directory, so one owner
 * never sees another's files. The root itself is the engine's (mode 0711): children's users may
 * pass through it to their own directory, but may not list who else has one.
 *
 * <p>Blocking (file-system calls): call it off the event loop.
 */
public final class Workspaces {

  private final Path root;
  private final Identity owner;

  /**
   * @param root the workspace root from the configuration
   * @param runAs the user children run as, who owns the owners' directories; null when children run
   *     as the engine's own user
   */
  public Workspaces(Path root, Identity runAs) {
    this.root = root.toAbsolutePath().normalize();
    this.owner = runAs;
  }

  public Path root() {
    return root;
  }

  /** The directory of {@code principal}, without touching the file system. */
  public Path of(String principal) {
    // EngineConfig refuses other principal names at start; this is the second check.
    if (principal == null || !EngineConfig.PRINCIPAL_NAME.matcher(principal).matches()) {
      throw new IllegalArgumentException("'" + principal + "' cannot name a workspace");
    }
    return root.resolve(principal);
  }

  /**
   * Makes the root if it is missing, and makes it the engine's own with mode 0711 (an engine of an
   * earlier version gave it to the run-as user).
   */
  public void prepareRoot() throws IOException {
    Files.createDirectories(root);
    Identity engine = Identity.engine();
    PosixFileAttributes attributes = Files.readAttributes(root, PosixFileAttributes.class);
    if (owner != null && !attributes.owner().getName().equals(engine.name())) {
      Files.setOwner(root, root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(engine.name()));
    }
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
  }

  /**
   * The directory of {@code principal}, made now if it is missing. A directory that is there but is
   * not a real directory (a link planted by whoever could write the root) is refused, never followed.
   */
  public Path ensure(String principal) throws IOException {
    Path directory = of(principal);
    if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(root)) {
        prepareRoot();
      }
      try {
        Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        if (owner != null) {
          PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class,
              LinkOption.NOFOLLOW_LINKS);
          var users = directory.getFileSystem().getUserPrincipalLookupService();
          view.setOwner(users.lookupPrincipalByName(owner.name()));
          view.setGroup(users.lookupPrincipalByGroupName(Integer.toString(owner.gid())));
        }
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // Another request of the same owner made it first: judged below like any existing one.
      }
    }
    PosixFileAttributes attributes = Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isDirectory()) {
      throw new IOException(directory + " is not a directory");
    }
    return directory;
  }
}
