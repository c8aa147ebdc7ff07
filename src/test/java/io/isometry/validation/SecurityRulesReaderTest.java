package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isometry.config.ConfigException;
import io.isometry.config.ConfigLoader;
import io.isometry.config.EngineConfig;
import io.isometry.contract.SubmitRequest;
import io.isometry.contract.ViolationType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules as data: strict to read, extended by an operator's files without a release. */
class SecurityRulesReaderTest {

  @TempDir
  Path temp;

  @Test
  void theEmbeddedDefaultsDescribeEveryDefaultAllowedCommand() {
    SecurityRules rules = SecurityRulesReader.load(List.of());

    for (String command : EngineConfig.defaults().security().allowedCommands()) {
      assertThat(rules.program(command)).as(command).isNotNull();
    }
    assertThat(rules.privilegedPrograms()).contains("sudo", "su", "doas", "pkexec", "chroot", "nsenter", "unshare",
        "setpriv", "capsh", "setcap", "runuser");
  }

  @Test
  void refusesUnknownKeysRolesAndOptionNamesNamingWhere() {
    assertThatThrownBy(() -> SecurityRulesReader.withExtra(new JsonObject().put("progams", new JsonObject())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("extra rules.progams").hasMessageContaining("unknown key");
    assertThatThrownBy(() -> SecurityRulesReader.withExtra(program("jq", new JsonObject().put("operands",
        new JsonArray().add("filez"))))).hasMessageContaining("programs.jq.operands").hasMessageContaining("unknown role");
    assertThatThrownBy(() -> SecurityRulesReader.withExtra(program("jq", new JsonObject().put("options",
        new JsonObject().put("-long", "flag"))))).hasMessageContaining("'-long' is neither -x nor --name");
    assertThatThrownBy(() -> SecurityRulesReader.withExtra(program("jq", new JsonObject().put("sameAs", "nothing"))))
        .hasMessageContaining("'sameAs' must name a program");
    assertThatThrownBy(() -> SecurityRulesReader.withExtra(program("jq", new JsonObject().put("refuse",
        new JsonObject().put("reason", "x").put("type", "bad"))))).hasMessageContaining("unknown violation type");
  }

  @Test
  void anOperatorFileAddsProgramsAndPrivilegesThroughTheConfiguration() throws IOException {
    Path rules = Files.writeString(temp.resolve("rules.json"), new JsonObject()
        .put("privilegedPrograms", new JsonArray().add("ls"))
        .put("programs", new JsonObject().put("cat", new JsonObject()
            .put("options", new JsonObject().put("--evil", new JsonObject().put("refuse", "the operator says no")))))
        .encode());
    Path root = Files.createDirectories(temp.resolve("ws"));
    SecurityPolicy policy = SecurityPolicy.create(EngineConfig.from(ConfigLoader.withOverrides(new JsonObject()
            .put("workspace", root.toString())
            .put("security", new JsonObject().put("argumentRuleFiles", new JsonArray().add(rules.toString()))))),
        new ServerEnvironment("/usr/bin:/bin", "/home/engine", "engine"));

    assertThat(types(policy, "ls")).containsExactly(ViolationType.PRIVILEGE_ESCALATION);
    assertThat(types(policy, "cat --evil notes.txt")).containsExactly(ViolationType.ARGUMENT_INJECTION);
    // The operator's description of cat replaced the default as a whole: its unknown options are refused now.
    assertThat(types(policy, "cat -n notes.txt")).containsExactly(ViolationType.ARGUMENT_INJECTION);
    // ... but the defaults of everything else and the privileged list stay.
    assertThat(types(policy, "sudo ls")).contains(ViolationType.PRIVILEGE_ESCALATION);
    assertThat(types(policy, "tar --to-command=id -cf a.tar")).containsExactly(ViolationType.ARGUMENT_INJECTION);
  }

  @Test
  void aMissingOrMalformedRuleFileStopsTheStart() throws IOException {
    Path broken = Files.writeString(temp.resolve("broken.json"), "{ not json");
    EngineConfig missing = EngineConfig.from(ConfigLoader.withOverrides(new JsonObject().put("security",
        new JsonObject().put("argumentRuleFiles", new JsonArray().add(temp.resolve("none.json").toString())))));
    EngineConfig malformed = EngineConfig.from(ConfigLoader.withOverrides(new JsonObject().put("security",
        new JsonObject().put("argumentRuleFiles", new JsonArray().add(broken.toString())))));

    assertThatThrownBy(() -> SecurityPolicy.create(missing)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("none.json");
    assertThatThrownBy(() -> SecurityPolicy.create(malformed)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("not a JSON object");
  }

  @Test
  void theNewConfigurationKeysAreRangeChecked() {
    assertThatThrownBy(() -> EngineConfig.from(ConfigLoader.withOverrides(new JsonObject().put("security",
        new JsonObject().put("maxArguments", 0))))).hasMessageContaining("security.maxArguments");
    assertThatThrownBy(() -> EngineConfig.from(ConfigLoader.withOverrides(new JsonObject().put("security",
        new JsonObject().put("argumentRuleFiles", new JsonArray().add(""))))))
        .hasMessageContaining("security.argumentRuleFiles");
    assertThat(EngineConfig.defaults().security().maxArguments()).isEqualTo(1024);
    assertThat(EngineConfig.defaults().security().argumentRuleFiles()).isEmpty();
  }

  private static JsonObject program(String name, JsonObject spec) {
    return new JsonObject().put("programs", new JsonObject().put(name, spec));
  }

  private static List<ViolationType> types(SecurityPolicy policy, String command) {
    return policy.validate(SubmitRequest.fromJson(new JsonObject().put("command", command))).violations().stream()
        .map(Violation::type).toList();
  }
}
