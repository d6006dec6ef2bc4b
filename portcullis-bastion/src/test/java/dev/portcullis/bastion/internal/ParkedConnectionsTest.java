package dev.portcullis.bastion.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.ssh.ca.UserExtension;
import dev.portcullis.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which parked logins to nodes a hop may take, and when they close. */
class ParkedConnectionsTest {
  private static final Instant START = Instant.parse("2026-11-21T17:00:00Z");
  private static final ParkedConnections.Key CAROL = key("carol", "deploy", Set.of());

  private final TestClock clock = new TestClock(START);
  private final ParkedConnections<FakeConnection> parked =
      new ParkedConnections<>(FakeConnection.PARKING, clock, Duration.ofSeconds(30));

  @Test
  void theSameUserLoginNodeAndPermissionsTakeTheParkedConnectionOnce() {
    FakeConnection connection = new FakeConnection(START.plus(Duration.ofMinutes(2)));
    parked.park(CAROL, connection);

    assertThat(parked.take(key("carol", "deploy", Set.of()))).containsSame(connection);
    assertThat(parked.take(CAROL)).isEmpty();
    assertThat(connection.closed).isFalse();
  }

  @Test
  void anotherUserLoginNodeAddressOrPermissionNeverTakesIt() {
    FakeConnection connection = new FakeConnection(START.plus(Duration.ofMinutes(2)));
    parked.park(CAROL, connection);

    assertThat(parked.take(key("dave", "deploy", Set.of()))).isEmpty();
    assertThat(parked.take(key("carol", "root", Set.of()))).isEmpty();
    assertThat(parked.take(key("carol", "deploy", Set.of(UserExtension.PORT_FORWARDING)))).isEmpty();
    assertThat(parked.take(new ParkedConnections.Key("carol", "carol-key", "web-2", "10.0.0.1:22", "deploy",
        Set.of()))).isEmpty();
    assertThat(parked.take(new ParkedConnections.Key("carol", "carol-key", "web-1", "10.0.0.9:22", "deploy",
        Set.of()))).isEmpty();
    assertThat(parked.take(new ParkedConnections.Key("carol", "other-key", "web-1", "10.0.0.1:22", "deploy",
        Set.of()))).isEmpty();
    assertThat(parked.size()).isOne();
  }

  @Test
  void aConnectionWaitsForItsLingerAndThenCloses() {
    FakeConnection connection = new FakeConnection(START.plus(Duration.ofMinutes(2)));
    parked.park(CAROL, connection);

    clock.advance(Duration.ofSeconds(29));
    parked.sweep(user -> false);
    assertThat(connection.closed).isFalse();
    clock.advance(Duration.ofSeconds(1));
    parked.sweep(user -> false);

    assertThat(connection.closed).isTrue();
    assertThat(parked.take(CAROL)).isEmpty();
  }

  @Test
  void aConnectionIsNeverTakenOnceTheCertificateItLoggedInWithExpired() {
    FakeConnection connection = new FakeConnection(START.plus(Duration.ofSeconds(10)));
    parked.park(CAROL, connection);

    clock.advance(Duration.ofSeconds(10));

    assertThat(parked.take(CAROL)).isEmpty();
    assertThat(connection.closed).isTrue();
  }

  @Test
  void aConnectionWithAChannelStillOpenIsClosedNotParked() {
    FakeConnection busy = new FakeConnection(START.plus(Duration.ofMinutes(2)));
    busy.idle = false;

    parked.park(CAROL, busy);

    assertThat(busy.closed).isTrue();
    assertThat(parked.take(CAROL)).isEmpty();
  }

  @Test
  void aParkedConnectionTheNodeClosedIsNotHandedOut() {
    FakeConnection dropped = new FakeConnection(START.plus(Duration.ofMinutes(2)));
    parked.park(CAROL, dropped);
    dropped.idle = false; // the node ended it meanwhile

    assertThat(parked.take(CAROL)).isEmpty();
  }

  @Test
  void aLockedUsersParkedConnectionsCloseAtTheNextSweep() {
    FakeConnection carols = new FakeConnection(START.plus(Duration.ofMinutes(2)));
    FakeConnection daves = new FakeConnection(START.plus(Duration.ofMinutes(2)));
    parked.park(CAROL, carols);
    parked.park(key("dave", "deploy", Set.of()), daves);

    parked.sweep("carol"::equals);

    assertThat(carols.closed).isTrue();
    assertThat(daves.closed).isFalse();
    assertThat(parked.take(CAROL)).isEmpty();
  }

  @Test
  void atMostSixteenLoginsWaitForOneKey() {
    List<FakeConnection> all = new ArrayList<>();
    for (int i = 0; i < ParkedConnections.MAX_PER_KEY + 2; i++) {
      FakeConnection connection = new FakeConnection(START.plus(Duration.ofMinutes(2)));
      all.add(connection);
      parked.park(CAROL, connection);
    }

    assertThat(parked.size()).isEqualTo(ParkedConnections.MAX_PER_KEY);
    assertThat(all.stream().filter(connection -> connection.closed)).hasSize(2);
    assertThat(all.subList(ParkedConnections.MAX_PER_KEY, all.size())).allMatch(connection -> connection.closed);
  }

  @Test
  void aZeroLingerParksNothing() {
    ParkedConnections<FakeConnection> never = new ParkedConnections<>(FakeConnection.PARKING, clock, Duration.ZERO);
    FakeConnection connection = new FakeConnection(START.plus(Duration.ofMinutes(2)));

    never.park(CAROL, connection);

    assertThat(connection.closed).isTrue();
    assertThat(never.take(CAROL)).isEmpty();
  }

  @Test
  void closingClosesWhatWaitsAndWhatIsParkedLater() {
    FakeConnection waiting = new FakeConnection(START.plus(Duration.ofMinutes(2)));
    parked.park(CAROL, waiting);

    parked.close();
    FakeConnection later = new FakeConnection(START.plus(Duration.ofMinutes(2)));
    parked.park(CAROL, later);

    assertThat(waiting.closed).isTrue();
    assertThat(later.closed).isTrue();
  }

  private static ParkedConnections.Key key(String user, String login, Set<UserExtension> forwarding) {
    return new ParkedConnections.Key(user, user + "-key", "web-1", "10.0.0.1:22", login, forwarding);
  }

  private static final class FakeConnection {
    static final ParkedConnections.Connection<FakeConnection> PARKING = new ParkedConnections.Connection<>() {
      @Override
      public boolean idle(FakeConnection connection) {
        return connection.idle && !connection.closed;
      }

      @Override
      public Instant validBefore(FakeConnection connection) {
        return connection.validBefore;
      }

      @Override
      public void close(FakeConnection connection) {
        connection.closed = true;
      }
    };

    final Instant validBefore;
    boolean idle = true;
    boolean closed;

    FakeConnection(Instant validBefore) {
      this.validBefore = validBefore;
    }
  }
}
