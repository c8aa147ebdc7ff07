package io.isometry.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * A real small disk: a tmpfs mounted on a directory (as root), that can be filled to the last byte
 * and freed again. What the journal meets when its disk is full, without filling the machine's own.
 */
public final class SmallDisk implements AutoCloseable {

  private final Path directory;
  private final Path filler;

  private SmallDisk(Path directory) {
    this.directory = directory;
    this.filler = directory.resolve("filler");
  }

  /**
   * Mounts a tmpfs of {@code megabytes} on {@code directory} (made if missing), or answers why it
   * cannot ({@link Unavailable}: not root, or mounting refused).
   */
  public static SmallDisk mount(Path directory, int megabytes) throws IOException, InterruptedException {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new Unavailable("mounting a tmpfs needs root");
    }
    Files.createDirectories(directory);
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0700", "tmpfs",
        directory.toString()).redirectErrorStream(true).start();
    String said = new String(mount.getInputStream().readAllBytes());
    if (mount.waitFor() != 0) {
      throw new Unavailable("cannot mount a tmpfs here: " + said.strip());
    }
    return new SmallDisk(directory);
  }

  /** Fills the disk to the last byte. */
  public void fill() throws IOException {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      if (!full.getMessage().contains("No space left")) {
        throw full;
      }
    }
    try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.APPEND)) {
      for (int i = 0; i < 64 * 1024; i++) {
        out.write(0);
        out.flush();
      }
    } catch (IOException full) {
      // The last bytes are taken too.
    }
  }

  /** The bytes still free on it. */
  public long available() throws IOException {
    return Files.getFileStore(directory).getUsableSpace();
  }

  /** Gives the space back. */
  public void free() throws IOException {
    Files.deleteIfExists(filler);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    // Lazily: an engine that still has the journal open must not keep the test from ending.
    new ProcessBuilder("umount", "-l", directory.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
  }

  /** The machine cannot give a small disk (not root, or no tmpfs): the caller skips, saying why. */
  public static final class Unavailable extends IOException {
    Unavailable(String why) {
      super(why);
    }
  }
}
