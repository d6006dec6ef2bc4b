package dev.portcullis.bastion.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.bastion.recording.Recordings;
import dev.portcullis.store.Store;
import dev.portcullis.store.jdbc.Storage;
import dev.portcullis.store.jdbc.StorageSettings;
import dev.portcullis.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session records on the embedded SQLite store, as the bastion and the admin CLI use them. */
class SshSessionsTest {
  @TempDir Path dir;
  final TestClock clock = new TestClock(Instant.parse("2025-06-01T10:00:00Z"));
  final SecureRandom random = new SecureRandom();
  Storage storage;
  Store store;
  SshSessions sessions;

  @BeforeEach
  void open() {
    storage = Storage.open(new StorageSettings.Sqlite(dir, clock));
    store = storage.store();
    sessions = new SshSessions(store, clock);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void newIdsAreTimeOrderedUniqueAndUsableAsRecordingNames() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add(SshSessions.newId(clock, random));
      clock.advance(Duration.ofMillis(i % 3));
    }
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(ids).allMatch(id -> id.matches("[0-9a-f]{12}-[0-9a-z]{10}") && Recordings.ID.matcher(id).matches());
    assertThat(SshSessions.newId(clock, random)).startsWith(String.format("%012x-", clock.millis()));
    List<String> byTime = new ArrayList<>(ids);
    byTime.sort(null);
    assertThat(byTime.stream().map(id -> id.substring(0, 12)).toList())
        .isEqualTo(ids.stream().map(id -> id.substring(0, 12)).toList());
    assertThat(SshSessions.newId(new TestClock(Instant.EPOCH), new SplittableRandom(1))).startsWith("000000000000-");
  }

  @Test
  void aStartedSessionIsLiveUntilItEndsAndThenKeepsHowItEnded() {
    SshSessionRecord started = sessions.start(session("s-1", "alice"));
    assertThat(sessions.find("s-1")).contains(started);
    assertThat(sessions.live()).containsExactly(started);

    clock.advance(Duration.ofMinutes(3));
    Optional<SshSessionRecord> ended = sessions.end("s-1", clock.instant(), "client disconnected");

    assertThat(ended).get().satisfies(record -> {
      assertThat(record.ended()).contains(clock.instant());
      assertThat(record.endReason()).contains("client disconnected");
      assertThat(record.duration(clock.instant().plusSeconds(999))).isEqualTo(Duration.ofMinutes(3));
    });
    assertThat(sessions.find("s-1")).isEqualTo(ended);
    assertThat(sessions.live()).isEmpty();
    assertThat(sessions.end("s-1", clock.instant().plusSeconds(5), "again")).as("ending twice changes nothing")
        .isEqualTo(ended);
    assertThat(sessions.end("nobody", clock.instant(), "x")).isEmpty();
  }

  @Test
  void endedSessionsExpireAfterTheRetentionPeriodButLiveOnesStay() {
    sessions = new SshSessions(store, clock, Duration.ofDays(7));
    sessions.start(session("old", "alice"));
    sessions.start(session("still-live", "bob"));
    sessions.end("old", clock.instant(), "exit");

    clock.advance(Duration.ofDays(7).minusSeconds(1));
    assertThat(sessions.find("old")).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(sessions.find("old")).isEmpty();
    assertThat(sessions.find("still-live")).isPresent();
  }

  @Test
  void listsNewestFirstWithLiveSessionsIncluded() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = SshSessions.newId(clock, random);
      ids.add(id);
      sessions.start(session(id, "user" + i));
      clock.advance(Duration.ofSeconds(10));
    }
    sessions.end(ids.get(1), clock.instant(), "exit");
    sessions.end(ids.get(3), clock.instant(), "exit");

    assertThat(sessions.list(10).stream().map(SshSessionRecord::id)).containsExactlyElementsOf(ids.reversed());
    assertThat(sessions.list(2).stream().map(SshSessionRecord::id)).containsExactly(ids.get(4), ids.get(3));
    assertThat(sessions.live().stream().map(SshSessionRecord::id)).containsExactly(ids.get(4), ids.get(2), ids.get(0));
    assertThatThrownBy(() -> sessions.list(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesToStartASessionTwiceOrOneThatHasEnded() {
    sessions.start(session("s-1", "alice"));
    assertThatThrownBy(() -> sessions.start(session("s-1", "mallory"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("s-1");
    assertThat(sessions.find("s-1").orElseThrow().user()).isEqualTo("alice");
    assertThatThrownBy(() -> sessions.start(session("s-2", "bob").endedAt(clock.instant(), "exit")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLiveIndexHealsFromAStartOrEndThatWasCutShort() {
    sessions.start(session("ended", "alice"));
    sessions.end("ended", clock.instant(), "exit");
    // An end() cut short after the record was written: its live entry is still there.
    store.put("ssh-sessions-live/ended", json("{\"since\":\"" + clock.instant() + "\"}"), Optional.empty());
    // A start() cut short before the record was written, and one in progress right now.
    store.put("ssh-sessions-live/orphan", json("{\"since\":\"" + clock.instant().minusSeconds(120) + "\"}"), Optional.empty());
    store.put("ssh-sessions-live/starting", json("{\"since\":\"" + clock.instant() + "\"}"), Optional.empty());

    assertThat(sessions.live()).isEmpty();
    assertThat(store.get("ssh-sessions-live/ended")).isEmpty();
    assertThat(store.get("ssh-sessions-live/orphan")).isEmpty();
    assertThat(store.get("ssh-sessions-live/starting")).as("may still get its record").isPresent();
  }

  @Test
  void aKillRequestIsKeptForALiveSessionUntilItEndsOrLapses() {
    sessions.start(session("s-1", "alice"));
    sessions.start(session("s-2", "bob"));

    Optional<KillRequest> request = sessions.requestKill("s-1", "root", "laptop stolen");
    assertThat(request).get().satisfies(kill -> {
      assertThat(kill.sessionId()).isEqualTo("s-1");
      assertThat(kill.requestedBy()).isEqualTo("root");
      assertThat(kill.reason()).isEqualTo("laptop stolen");
      assertThat(kill.requestedAt()).isEqualTo(clock.instant());
      assertThat(kill.expires()).isEqualTo(clock.instant().plus(SshSessions.KILL_REQUEST_TTL));
    });
    assertThat(sessions.killRequests()).containsExactly(request.get());

    sessions.end("s-1", clock.instant(), "killed");
    assertThat(sessions.killRequests()).as("ending the session settles its request").isEmpty();
    assertThat(sessions.requestKill("s-1", "root", "")).as("already ended").isEmpty();
    assertThat(sessions.requestKill("nobody", "root", "")).isEmpty();
    assertThat(sessions.requestKill("../x", "root", "")).isEmpty();

    sessions.requestKill("s-2", "root", "");
    clock.advance(SshSessions.KILL_REQUEST_TTL);
    assertThat(sessions.killRequests()).as("lapsed").isEmpty();

    sessions.requestKill("s-2", "root", "");
    assertThat(sessions.clearKill("s-2")).isTrue();
    assertThat(sessions.clearKill("s-2")).isFalse();
    assertThat(sessions.killRequests()).isEmpty();
    assertThat(sessions.find("s-2").orElseThrow().live()).isTrue();
  }

  @Test
  void recordsCheckTheirValues() {
    assertThatThrownBy(() -> session("a/b", "alice")).hasMessageContaining("id");
    assertThatThrownBy(() -> session("s", " ")).hasMessageContaining("user");
    assertThatThrownBy(() -> new SshSessionRecord("s", "alice", "local", "node", "root", "", "shell", clock.instant(),
        Optional.of(clock.instant()), Optional.empty(), false, "b")).hasMessageContaining("endReason");
    Set<String> ids = new HashSet<>();
    for (String id : List.of("a", "A-9", "x".repeat(64))) {
      ids.add(session(id, "alice").id());
    }
    assertThat(ids).hasSize(3);
  }

  SshSessionRecord session(String id, String user) {
    return SshSessionRecord.ofLive(id, user, "local", "demo-node", user, "127.0.0.1:50022", SshSessionRecord.SHELL,
        clock.instant(), true, "bastion-1");
  }

  static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
