package dev.portcullis.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.identity.Identity;
import dev.portcullis.session.Session;
import dev.portcullis.session.SessionService;
import dev.portcullis.session.SessionTokens;
import dev.portcullis.store.jdbc.Storage;
import dev.portcullis.store.jdbc.StorageSettings;
import dev.portcullis.testing.TestClock;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session timeouts and persistence against the real embedded store. */
class SessionServiceTest {
  private static final Identity ALICE =
      new Identity("alice", "alice@example.com", List.of("dev"), Map.of("sub", "alice"), "local", "alice");

  @TempDir Path dataDir;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-21T09:00:00Z"));
  private final List<Session> expired = new CopyOnWriteArrayList<>();
  private Storage storage;
  private SessionService sessions;

  @BeforeEach
  void open() {
    storage = Storage.open(new StorageSettings.Sqlite(dataDir, clock));
    sessions = service(storage);
  }

  @AfterEach
  void close() {
    sessions.close();
    storage.close();
  }

  @Test
  void aSessionLivesWhileItIsUsedWithinTheIdleTimeout() {
    Session session = sessions.create(ALICE, SessionTokens.none());
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofMinutes(25));
      assertThat(sessions.find(session.id())).as("after %d idle periods", i + 1).isPresent();
    }
    assertThat(expired).isEmpty();
  }

  @Test
  void endsAfterTheIdleTimeoutAndReportsItOnce() {
    Session session = sessions.create(ALICE, SessionTokens.none());
    clock.advance(Duration.ofMinutes(30));

    assertThat(sessions.find(session.id())).isEmpty();
    assertThat(sessions.find(session.id())).isEmpty();
    assertThat(sessions.sweepExpired()).isZero();
    assertThat(expired).extracting(Session::id).containsExactly(session.id());
  }

  @Test
  void endsAtTheAbsoluteTimeoutEvenWhenActive() {
    Session session = sessions.create(ALICE, SessionTokens.none());
    for (int i = 0; i < 23; i++) {
      clock.advance(Duration.ofMinutes(29));
      sessions.find(session.id());
    }
    assertThat(sessions.find(session.id())).as("11h07m in").isPresent();
    clock.advance(Duration.ofMinutes(29));

    assertThat(sessions.find(session.id())).as("11h36m in, past the 11.5h absolute timeout").isEmpty();
    assertThat(expired).hasSize(1);
  }

  @Test
  void theSweepEndsAndReportsIdleSessionsNobodyAsksFor() {
    sessions.create(ALICE, SessionTokens.none());
    sessions.create(ALICE, SessionTokens.none());
    clock.advance(Duration.ofHours(1));

    assertThat(sessions.sweepExpired()).isEqualTo(2);
    assertThat(expired).hasSize(2);
  }

  @Test
  void aRevokedSessionIsGoneAtOnce() {
    Session session = sessions.create(ALICE, SessionTokens.none());

    assertThat(sessions.revoke(session.id())).isPresent();
    assertThat(sessions.find(session.id())).isEmpty();
    assertThat(sessions.cached(session.id())).isEmpty();
  }

  @Test
  void sessionsSurviveARestartWithTheirTokens() {
    Session session = sessions.create(ALICE, new SessionTokens("id-token", Optional.of("refresh-token"), Optional.empty()));
    sessions.close();
    storage.close();

    storage = Storage.open(new StorageSettings.Sqlite(dataDir, clock));
    sessions = service(storage);

    Session reloaded = sessions.find(session.id()).orElseThrow();
    assertThat(reloaded.identity()).isEqualTo(ALICE);
    assertThat(reloaded.tokens().refreshToken()).hasValue("refresh-token");
    assertThat(reloaded.tokens().toString()).doesNotContain("refresh-token").doesNotContain("id-token");
  }

  private SessionService service(Storage storage) {
    return new SessionService(storage.store(), Duration.ofMinutes(30), Duration.ofMinutes(690), clock,
        new SecureRandom(), expired::add);
  }
}
