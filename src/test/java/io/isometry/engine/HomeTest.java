package io.isometry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the server's relative paths go: beside its jar, out of Maven's target/, or ISOMETRY_HOME. */
class HomeTest {

  @Test
  void theHomeIsBesideTheJarOrAboveItsLibOrTargetDirectory() {
    assertThat(Home.besideTheJar(Path.of("/opt/isometry/lib/isometry.jar"))).isEqualTo(Path.of("/opt/isometry"));
    assertThat(Home.besideTheJar(Path.of("/src/isometry/target/isometry.jar"))).isEqualTo(Path.of("/src/isometry"));
    assertThat(Home.besideTheJar(Path.of("/srv/engine/isometry.jar"))).isEqualTo(Path.of("/srv/engine"));
  }

  @Test
  void isometryHomeWinsAndOnlyRelativePathsMove() {
    Path home = Home.locate(Map.of("ISOMETRY_HOME", "/srv/isometry"));
    assertThat(home).isEqualTo(Path.of("/srv/isometry"));
    JsonObject config = Home.resolve(new JsonObject().put("workspace", "workspace").put("dataDir", "/var/lib/isometry"), home);
    assertThat(config.getString("workspace")).isEqualTo("/srv/isometry/workspace");
    assertThat(config.getString("dataDir")).isEqualTo("/var/lib/isometry");
  }
}
