package io.isometry.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.isometry.contract.ClientIds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who is still there, with time moved by hand: a connection goes at once, a session after its grace. */
class ClientPresenceTest {

  private static final long GRACE_MS = 15_000;
  private static final String SESSION = ClientIds.ofSession("alice", "tab-1");

  private final SupervisorRig.ManualTime time = new SupervisorRig.ManualTime();
  private final List<String> gone = new ArrayList<>();
  private final ClientPresence presence = new ClientPresence(time, GRACE_MS, gone::add);

  @Test
  void aConnectionThatCannotComeBackIsGoneAsItCloses() {
    presence.closed("socket-7");

    assertThat(gone).containsExactly("socket-7");
    assertThat(presence.isGone("socket-7")).isTrue();
  }

  @Test
  void aSessionIsGoneOnlyWhenItsGraceEnds() {
    presence.attached(SESSION);
    presence.closed(SESSION);

    time.advance(GRACE_MS - 1);
    assertThat(gone).isEmpty();
    time.advance(1);
    assertThat(gone).containsExactly(SESSION);
    assertThat(presence.isGone(SESSION)).isTrue();
  }

  @Test
  void aSessionThatComesBackInItsGraceStays() {
    presence.attached(SESSION);
    presence.closed(SESSION);
    time.advance(GRACE_MS / 2);

    presence.attached(SESSION);
    time.advance(GRACE_MS * 2);

    assertThat(gone).isEmpty();
    assertThat(time.pending()).isZero();
  }

  @Test
  void aSessionWithTwoSocketsStaysWhileOneIsOpen() {
    presence.attached(SESSION);
    presence.attached(SESSION);
    presence.closed(SESSION);
    time.advance(GRACE_MS * 2);

    assertThat(gone).isEmpty();
    presence.closed(SESSION);
    time.advance(GRACE_MS);
    assertThat(gone).containsExactly(SESSION);
  }

  @Test
  void aSessionsCloseThatWasNeverCountedHereStillGetsItsGrace() {
    // In a cluster: this node joined after the socket attached, or missed the attach's gather.
    presence.closed(SESSION);
    presence.closed(SESSION);

    assertThat(gone).isEmpty();
    assertThat(time.pending()).isEqualTo(1);
    presence.attached(SESSION);
    time.advance(GRACE_MS * 2);
    assertThat(gone).isEmpty();
  }

  @Test
  void anUncountedSessionThatDoesNotComeBackIsGoneAfterTheGrace() {
    presence.closed(SESSION);

    time.advance(GRACE_MS);

    assertThat(gone).containsExactly(SESSION);
  }

  @Test
  void withoutAGraceASessionIsGoneAsItsLastSocketCloses() {
    ClientPresence noGrace = new ClientPresence(time, 0, gone::add);
    noGrace.attached(SESSION);

    noGrace.closed(SESSION);

    assertThat(gone).containsExactly(SESSION);
  }
}
