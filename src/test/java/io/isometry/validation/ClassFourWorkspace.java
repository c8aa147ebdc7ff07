package io.isometry.validation;

import io.isometry.config.ConfigLoader;
import io.isometry.config.EngineConfig;
import io.isometry.contract.SubmitRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The workspace the class 4 properties (names and code read from files) judge commands in: a few
 * files, a list of names, a {@code .git} directory, a link out ({@code escape}) and one to /etc
 * ({@code etc-link}); the default allowlist plus more sum programs and {@value #UNDESCRIBED}, a
 * program the rules do not describe.
 */
final class ClassFourWorkspace {

  /** A program the rules do not describe: it may take more arguments from an @file. */
  static final String UNDESCRIBED = "tac";

  private final Path temp;
  private final Path root;
  private final SecurityPolicy policy;
  private final AtomicInteger files = new AtomicInteger();

  private ClassFourWorkspace(Path temp, Path root, SecurityPolicy policy) {
    this.temp = temp;
    this.root = root;
    this.policy = policy;
  }

  static ClassFourWorkspace create() throws IOException {
    Path temp = Files.createTempDirectory("isometry-class4");
    Path root = Files.createDirectories(temp.resolve("ws"));
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.createDirectories(root.resolve("src/main"));
    Files.createDirectories(root.resolve(".git/hooks"));
    for (String file : List.of("notes.txt", "a.txt", "src/main/x.py", "data.csv")) {
      Files.writeString(root.resolve(file), "content\n");
    }
    Files.writeString(root.resolve("list.txt"), "notes.txt\n");
    Files.createSymbolicLink(root.resolve("escape"), outside);
    Files.createSymbolicLink(root.resolve("etc-link"), Path.of("/etc"));
    JsonArray allowed = ConfigLoader.defaults().getJsonObject("security").getJsonArray("allowedCommands").copy();
    List.of("sha1sum", "sha512sum", "b2sum", UNDESCRIBED).forEach(allowed::add);
    SecurityPolicy policy = SecurityPolicy.create(EngineConfig.from(ConfigLoader.withOverrides(new JsonObject()
        .put("workspace", root.toString())
        .put("security", new JsonObject().put("allowedCommands", allowed)))));
    return new ClassFourWorkspace(temp, root, policy);
  }

  void delete() throws IOException {
    try (Stream<Path> paths = Files.walk(temp)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** A new file of the workspace with {@code text}; its name relative to the root. */
  String write(String stem, String text) {
    String name = stem + "-" + files.incrementAndGet() + ".txt";
    try {
      Files.writeString(root.resolve(name), text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return name;
  }

  ValidationResult validate(List<String> argv) {
    return policy.validate(SubmitRequest.fromJson(new JsonObject().put("argv", new JsonArray(new ArrayList<>(argv)))));
  }
}
