package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.config.ConfigLoader;
import io.isometry.config.EngineConfig;
import io.isometry.contract.SubmitRequest;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Properties of issue 11's classes over generated inputs, through the whole policy: credentials in
 * connection strings are refused whatever the scheme, user, password and host, and the value is never
 * repeated; a name starting with '-' is never created, wherever it stands in the path; and no
 * {@code git -c} key outside the allowlist passes, however its section and name are spelled.
 */
class IssueElevenPropertiesTest {

  private static final String NAME = "abcdefghijklmnopqrstuvwxyz";
  private static Path temp;
  private static SecurityPolicy policy;

  @BeforeContainer
  static void setUp() throws IOException {
    temp = Files.createTempDirectory("isometry-issue11");
    Path root = Files.createDirectories(temp.resolve("ws"));
    Files.createDirectories(root.resolve("docs"));
    policy = SecurityPolicy.create(EngineConfig.from(ConfigLoader.withOverrides(new JsonObject()
            .put("workspace", root.toString())
            .put("security", new JsonObject().put("allowedCommands", new JsonArray().add("touch").add("mkdir").add("git"))))),
        new ServerEnvironment("/usr/bin:/bin", "/home/engine", "engine"));
  }

  @AfterContainer
  static void tearDown() throws IOException {
    try (Stream<Path> paths = Files.walk(temp)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  @Property(tries = 500)
  void credentialsInAConnectionStringAreRefusedAndNeverRepeated(@ForAll("schemes") String scheme,
                                                               @ForAll("words") String user,
                                                               @ForAll("words") String password,
                                                               @ForAll("words") String host) {
    String value = scheme + "://" + user + ":" + password + "@" + host + ".example:5432/db";
    ValidationResult result = policy.validate(SubmitRequest.fromJson(new JsonObject().put("command", "touch docs/x")
        .put("env", new JsonObject().put("ISOMETRY_TARGET", value))));
    assertThat(result.violations()).as(value).anyMatch(v -> v.type() == ViolationType.ENVIRONMENT_VIOLATION);
    assertThat(result.violations().toString()).as("the value is never echoed").doesNotContain(password + "@");
  }

  @Property(tries = 500)
  void aNameStartingWithADashIsNeverCreated(@ForAll("words") String before, @ForAll("words") String name,
                                            @ForAll("words") String after, @ForAll("creators") String creator,
                                            @ForAll("shapes") String shape) {
    String path = shape.replace("B", before).replace("N", "-" + name).replace("A", after);
    ValidationResult result = policy.validate(SubmitRequest.fromJson(new JsonObject()
        .put("argv", new JsonArray().add(creator).add("--").add(path))));
    assertThat(result.allowed()).as(creator + " -- " + path).isFalse();
    assertThat(result.violations()).anyMatch(v -> v.type() == ViolationType.ARGUMENT_INJECTION);
  }

  @Property(tries = 500)
  void noUnlistedGitKeyPasses(@ForAll("sections") String section, @ForAll("words") String key) {
    Assume.that(!(section.equalsIgnoreCase("core") && Set.of("autocrlf", "eol", "safecrlf", "quotepath").contains(key)));
    String setting = section + "." + key + "=x";
    ValidationResult result = policy.validate(SubmitRequest.fromJson(new JsonObject()
        .put("argv", new JsonArray().add("git").add("-c").add(setting).add("status"))));
    assertThat(result.allowed()).as(setting).isFalse();
  }

  @Provide
  Arbitrary<String> words() {
    return Arbitraries.strings().withChars(NAME + "0123456789").ofMinLength(1).ofMaxLength(10);
  }

  @Provide
  Arbitrary<String> schemes() {
    return Arbitraries.of("postgres", "postgresql", "mysql", "mongodb+srv", "redis", "amqp", "https", "ftp", "smtp",
        "jdbc:postgresql");
  }

  @Provide
  Arbitrary<String> creators() {
    return Arbitraries.of("touch", "mkdir");
  }

  @Provide
  Arbitrary<String> shapes() {
    return Arbitraries.of("N", "./N", "docs/N", "B/N", "N/A", "docs/B/N/A", "B/../N");
  }

  /** Sections that run programs, and others, in any letter case: none allowlisted with a random key (core's four aside). */
  @Provide
  Arbitrary<String> sections() {
    return Arbitraries.of("core", "alias", "credential", "remote.origin", "url.x", "filter.f", "diff.d", "gpg", "Core",
        "ALIAS", "include", "includeIf.gitdir:x", "protocol", "http", "sequence", "trailer.t");
  }
}
