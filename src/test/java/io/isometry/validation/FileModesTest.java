package io.isometry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.validation.FileModes.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileModesTest {

  @ParameterizedTest
  @ValueSource(strings = {"+s", "u+s", "g+s", "a+s", "=s", "ug+s", "u=rwxs", "go-w,u+s", "u+rwx,g+s", "o+s",
      "4755", "2755", "6755", "04755", "0004755", "7777", "4000", "+xs", "u+s-x", "a=rwx,g=s"})
  void modesThatSetAnIdBit(String mode) {
    assertThat(FileModes.judgeMode(mode)).isEqualTo(Verdict.SETS_ID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"755", "0644", "1777", "u+x", "-s", "u-s", "g-s,o-w", "a=rx", "+t", "go=u", "u=g", "-x",
      "o-rwx", "ug+rw"})
  void plainModes(String mode) {
    assertThat(FileModes.judgeMode(mode)).isEqualTo(Verdict.PLAIN);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "8", "u+q", "u", "rwx", "4755x", "u+s;", "123456789"})
  void unreadableModes(String mode) {
    assertThat(FileModes.judgeMode(mode)).isEqualTo(Verdict.UNREADABLE);
  }

  @Test
  void privilegedOwners() {
    for (String owner : new String[] {"root", "ROOT", "0", "000", "root:root", ":wheel", "alice:sudo", "alice.root",
        "docker", ":0"}) {
      assertThat(FileModes.privilegedOwner(owner)).as(owner).isTrue();
    }
    for (String owner : new String[] {"alice", "alice:alice", "1000:1000", ":users", "rooted"}) {
      assertThat(FileModes.privilegedOwner(owner)).as(owner).isFalse();
    }
  }
}
