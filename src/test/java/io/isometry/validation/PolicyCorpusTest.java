package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.config.ConfigLoader;
import io.isometry.config.EngineConfig;
import io.isometry.contract.SubmitRequest;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpora of src/test/resources/security: every attack is refused with its expected type, every
 * benign command passes, against a real workspace with the files the commands name, a symbolic
 * link out of it ({@code escape}), one to /etc ({@code etc-link}) and a directory link out
 * ({@code link-dir}). The allowlist is the default one plus programs an operator might add, so
 * that their argument rules are exercised too.
 */
class PolicyCorpusTest {

  /** Programs an operator might allowlist on top of the defaults. */
  static final List<String> EXTRA_COMMANDS = List.of("env", "xargs", "timeout", "nice", "nohup", "stdbuf", "setsid",
      "flock", "watch", "chmod", "chown", "chgrp", "install", "rm", "ln", "bash", "sh", "perl", "su", "gawk", "egrep");
  private static final Pattern ESCAPE = Pattern.compile("\\\\u\\{([0-9a-fA-F]{1,6})}");

  @TempDir
  static Path temp;
  static Path root;
  static SecurityPolicy policy;

  @BeforeAll
  static void layOut() throws IOException {
    root = Files.createDirectories(temp.resolve("ws"));
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "secret");
    Files.createDirectories(outside.resolve("dir"));
    Files.writeString(outside.resolve("dir/file"), "x");
    for (String dir : List.of("src/main", "docs", "data", "logs", "build", "out", "scripts", "tmp", "results")) {
      Files.createDirectories(root.resolve(dir));
    }
    for (String file : List.of("notes.txt", "README.md", "data.csv", "data/input.csv", "logs/app.log", "src/main.py",
        "a.txt", "b.txt", "names.txt", "config.ini", "audit.log", "scripts/report.awk", "script.py", "analysis.py",
        "archive.tar", "archive.tar.gz", "checksums.txt", "my file.txt", "file with spaces.txt", "donn\u00e9es.csv",
        "report%20final.txt", "x", "lock")) {
      Files.writeString(root.resolve(file), "content\n");
    }
    Files.createDirectories(root.resolve(".git/hooks"));
    Files.writeString(root.resolve(".git/config"), "[core]\n");
    Files.createSymbolicLink(root.resolve("hooks-link"), root.resolve(".git/hooks"));
    Files.createSymbolicLink(root.resolve("dangling"), root.resolve(".git/hooks/post-checkout"));
    writeArchivesAndLists(temp.resolve("stage"));
    Files.createSymbolicLink(root.resolve("escape"), outside);
    Files.createSymbolicLink(root.resolve("etc-link"), Path.of("/etc"));
    Files.createSymbolicLink(root.resolve("link-dir"), outside.resolve("dir"));
    Files.createSymbolicLink(root.resolve("inner-link"), root.resolve("src"));
    JsonArray allowed = ConfigLoader.defaults().getJsonObject("security").getJsonArray("allowedCommands").copy();
    EXTRA_COMMANDS.forEach(allowed::add);
    policy = SecurityPolicy.create(EngineConfig.from(ConfigLoader.withOverrides(new JsonObject()
        .put("workspace", root.toString())
        .put("security", new JsonObject().put("allowedCommands", allowed)))));
  }

  /**
   * Real archives (made by the system's tar) and lists for the commands that read names or code
   * from files: good ones for the benign corpus, planted ones for the attacks.
   */
  private static void writeArchivesAndLists(Path stage) throws IOException {
    Files.createDirectories(stage.resolve(".git/hooks"));
    Files.writeString(stage.resolve(".git/hooks/pre-commit"), "id\n");
    Files.writeString(stage.resolve("-rf"), "x\n");
    Files.createSymbolicLink(stage.resolve("hooks"), Path.of(".git/hooks"));
    tar(root, "-cf", "archive.tar", "notes.txt", "src");
    tar(root, "-czf", "archive.tar.gz", "src", "data.csv");
    tar(stage, "-cf", root.resolve("evil-git.tar").toString(), ".git/hooks/pre-commit");
    tar(stage, "-cf", root.resolve("evil-dash.tar").toString(), "./-rf");
    tar(stage, "-cf", root.resolve("evil-link.tar").toString(), "hooks");
    Files.write(root.resolve("archive.tar.bz2"), new byte[] {'B', 'Z', 'h', '9', 0, 0, 0, 0});
    String hash = sha256(root.resolve("notes.txt"));
    Files.writeString(root.resolve("checksums.txt"), hash + "  notes.txt\n" + hash + " *a.txt\n");
    Files.writeString(root.resolve("bsd-sums.txt"), "MD5 (notes.txt) = 0123456789abcdef0123456789abcdef\n");
    Files.writeString(root.resolve("evil-sums.txt"), hash + "  notes.txt\n" + hash + "  /etc/passwd\n");
    Files.writeString(root.resolve("traversal-sums.txt"), hash + "  ../../etc/shadow\n");
    Files.writeString(root.resolve("garbled-sums.txt"), "this names some file somewhere\n");
    // md5sum reads this as a hash and the file "(notes.txt) = 1", not as the BSD form naming notes.txt.
    Files.writeString(root.resolve("reversed-sums.txt"), "ABCDEF0123456789ABCDEF0123456789 (notes.txt) = 1\n");
    Files.writeString(root.resolve("bsd-sha-sums.txt"), "SHA256 (notes.txt) = " + hash + "\n");
    Files.writeString(root.resolve("list.txt"), "/etc/passwd\n");
    Files.writeString(root.resolve("script.sed"), "s/a/b/\n/^$/d\n");
    Files.writeString(root.resolve("evil.sed"), "s/a/b/\n1e id\n");
    Files.writeString(root.resolve("evil.awk"), "{ print }\nEND { system(\"id\") }\n");
    Files.writeString(root.resolve("scripts/report.awk"), "{ sum += $2 } END { print sum / NR }\n");
  }

  private static void tar(Path directory, String... arguments) throws IOException {
    List<String> command = new ArrayList<>(List.of("tar"));
    command.addAll(List.of(arguments));
    try {
      Process tar = new ProcessBuilder(command).directory(directory.toFile()).inheritIO().start();
      assertThat(tar.waitFor()).as(String.join(" ", command)).isZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void refusesEveryAttackWithItsType() throws IOException {
    List<String> lines = lines("attacks.tsv");
    List<String> missed = new ArrayList<>();
    for (String line : lines) {
      int tab = line.indexOf('\t');
      ViolationType expected = ViolationType.valueOf(line.substring(0, tab).toUpperCase(Locale.ROOT));
      String command = line.substring(tab + 1);
      ValidationResult result = validate(command);
      if (result.allowed() || result.violations().stream().noneMatch(v -> v.type() == expected)) {
        missed.add(expected.wire() + "\t" + command + "\t-> " + describe(result));
      }
    }
    assertThat(lines).hasSizeGreaterThanOrEqualTo(300);
    assertThat(missed).as("attacks not refused with their type").isEmpty();
  }

  @Test
  void allowsEveryBenignCommand() throws IOException {
    List<String> lines = lines("benign.txt");
    List<String> refused = new ArrayList<>();
    for (String command : lines) {
      ValidationResult result = validate(command);
      if (!result.allowed()) {
        refused.add(command + "\t-> " + describe(result));
      }
    }
    assertThat(lines).hasSizeGreaterThanOrEqualTo(100);
    assertThat(refused).as("benign commands refused").isEmpty();
  }

  private static ValidationResult validate(String command) {
    return policy.validate(SubmitRequest.fromJson(new JsonObject().put("command", command)));
  }

  private static String describe(ValidationResult result) {
    return result.allowed() ? "allowed" : result.violations().stream()
        .map(v -> v.type().wire() + ": " + v.message()).toList().toString();
  }

  /** The non-comment lines of a corpus, with {@code \\u{HEX}} escapes decoded. */
  static List<String> lines(String name) throws IOException {
    try (InputStream in = PolicyCorpusTest.class.getResourceAsStream("/security/" + name)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      List<String> lines = new ArrayList<>();
      for (String line : text.split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          lines.add(decode(line));
        }
      }
      return lines;
    }
  }

  private static String decode(String line) {
    Matcher matcher = ESCAPE.matcher(line);
    StringBuilder decoded = new StringBuilder();
    while (matcher.find()) {
      int codePoint = Integer.parseInt(matcher.group(1), 16);
      String replacement = codePoint >= 0xD800 && codePoint <= 0xDFFF
          ? String.valueOf((char) codePoint) : new String(Character.toChars(codePoint));
      matcher.appendReplacement(decoded, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(decoded);
    return decoded.toString();
  }
}
