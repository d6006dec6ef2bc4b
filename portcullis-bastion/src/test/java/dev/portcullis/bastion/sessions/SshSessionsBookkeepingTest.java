package dev.portcullis.bastion.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.store.Item;
import dev.portcullis.store.jdbc.Storage;
import dev.portcullis.store.jdbc.StorageSettings;
import dev.portcullis.testing.TestClock;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How few store calls a session costs the bastion, without giving up what the records promise. */
class SshSessionsBookkeepingTest {
  @TempDir Path dir;
  final TestClock clock = new TestClock(Instant.parse("2025-06-01T10:00:00Z"));
  Storage storage;
  CountingStore store;
  SshSessions sessions;

  @BeforeEach
  void open() {
    storage = Storage.open(new StorageSettings.Sqlite(dir, clock));
    store = new CountingStore(storage.store());
    sessions = new SshSessions(store, clock);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void aSessionStartsWithOneBatchAndEndsWithOneBatchAndNoRead() {
    sessions.start(session("s-1"));
    assertThat(store.calls()).containsExactly("apply [put ssh-sessions-live/s-1, create ssh-sessions/s-1]");
    store.clear();

    clock.advance(Duration.ofMinutes(2));
    Optional<SshSessionRecord> ended = sessions.end("s-1", clock.instant(), "exit 0");

    assertThat(store.calls()).containsExactly("apply [compareAndSwap ssh-sessions/s-1,"
        + " delete ssh-sessions-live/s-1, delete ssh-session-kills/s-1]");
    assertThat(ended).get().satisfies(record -> {
      assertThat(record.ended()).contains(clock.instant());
      assertThat(record.endReason()).contains("exit 0");
    });
    assertThat(sessions.find("s-1")).isEqualTo(ended);
    assertThat(sessions.live()).isEmpty();
  }

  @Test
  void aRefusedStartWritesNothing() {
    sessions.start(session("s-1"));
    Optional<Item> entry = storage.store().get("ssh-sessions-live/s-1");
    Optional<Item> record = storage.store().get("ssh-sessions/s-1");
    clock.advance(Duration.ofSeconds(5));

    assertThatThrownBy(() -> sessions.start(session("s-1"))).isInstanceOf(IllegalStateException.class);

    assertThat(storage.store().get("ssh-sessions-live/s-1")).isPresent().isEqualTo(entry);
    assertThat(storage.store().get("ssh-sessions/s-1")).isPresent().isEqualTo(record);
  }

  @Test
  void endingStillSettlesAPendingKillRequest() {
    sessions.start(session("s-1"));
    sessions.requestKill("s-1", "root", "stolen laptop");
    store.clear();

    sessions.end("s-1", clock.instant(), "killed");

    assertThat(store.calls()).singleElement().asString().contains("delete ssh-session-kills/s-1");
    assertThat(sessions.killRequests()).isEmpty();
    assertThat(storage.store().get("ssh-session-kills/s-1")).isEmpty();
  }

  @Test
  void aSessionChangedSinceItStartedIsReadBackAndEndedFromWhatIsStored() {
    SshSessionRecord started = sessions.start(session("s-1"));
    // Someone rewrites the record meanwhile: the revision this instance remembers is stale.
    storage.store().put("ssh-sessions/s-1", storage.store().get("ssh-sessions/s-1").orElseThrow().value(),
        Optional.empty());
    store.clear();

    Optional<SshSessionRecord> ended = sessions.end("s-1", clock.instant(), "exit 0");

    String endBatch = "apply [compareAndSwap ssh-sessions/s-1, delete ssh-sessions-live/s-1,"
        + " delete ssh-session-kills/s-1]";
    assertThat(store.calls()).containsExactly(endBatch, "get ssh-sessions/s-1", endBatch);
    assertThat(ended).contains(started.endedAt(clock.instant(), "exit 0"));
    assertThat(sessions.find("s-1")).isEqualTo(ended);
    assertThat(sessions.live()).isEmpty();
  }

  @Test
  void aSessionEndedElsewhereKeepsHowItEndedThere() {
    sessions.start(session("s-1"));
    SshSessions elsewhere = new SshSessions(storage.store(), clock);
    Optional<SshSessionRecord> first = elsewhere.end("s-1", clock.instant(), "bastion restarted");
    clock.advance(Duration.ofSeconds(5));

    Optional<SshSessionRecord> again = sessions.end("s-1", clock.instant(), "exit 0");

    assertThat(again).isEqualTo(first);
    assertThat(again.orElseThrow().endReason()).contains("bastion restarted");
    assertThat(storage.store().get("ssh-sessions-live/s-1")).isEmpty();
  }

  @Test
  void anotherProcessEndsTheOrphansOfACrashedBastionFromTheStoreAlone() {
    sessions.start(session("s-1"));
    sessions.start(session("s-2"));
    // After a crash a new process has no memory of what it started.
    StoreSessionLedger restarted = new StoreSessionLedger(new SshSessions(storage.store(), clock), "bastion-1",
        clock, new SecureRandom());

    assertThat(restarted.endOrphans(clock.instant(), "bastion restarted")).containsExactlyInAnyOrder("s-1", "s-2");
    assertThat(sessions.live()).isEmpty();
    assertThat(sessions.find("s-1").orElseThrow().endReason()).contains("bastion restarted");
  }

  SshSessionRecord session(String id) {
    return SshSessionRecord.ofLive(id, "alice", "local", "demo-node", "alice", "127.0.0.1:50022",
        SshSessionRecord.EXEC, clock.instant(), false, "bastion-1");
  }
}
