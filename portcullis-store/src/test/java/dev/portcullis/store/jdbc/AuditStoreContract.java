package dev.portcullis.store.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditEventJson;
import dev.portcullis.audit.AuditQuery;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.audit.AuditStore.ChainVerification;
import dev.portcullis.audit.StoredAuditEvent;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link AuditStore} backend must have: search, a hash chain that verify checks,
 * tampering that verify catches, and appends that never fork the chain.
 */
abstract class AuditStoreContract extends StorageFixture {
  private static final String GENESIS = "0".repeat(64);
  private final AtomicInteger ids = new AtomicInteger();
  protected AuditStore audit;

  /** SQL that lifts the append-only guards, as an attacker with database access would. */
  protected abstract List<String> disableAppendOnlyGuards();

  @Override
  protected void opened() {
    audit = storage.audit();
  }

  private AuditEvent event(AuditCode code, String user, Instant time) {
    return new AuditEvent(
        "evt-" + ids.incrementAndGet(),
        code,
        time,
        user,
        "okta",
        "app:whoami",
        List.of("role-ok", "app-rule:allow"),
        "127.0.0.1",
        Map.of("session", "s-1", "path", "/"));
  }

  private AuditEvent event(String user) {
    return event(AuditCode.LOGIN_SUCCEEDED, user, START.plusSeconds(ids.get()));
  }

  private void sql(String... statements) throws SQLException {
    try (Connection connection = storage.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private void tamper(String... statements) throws SQLException {
    sql(disableAppendOnlyGuards().toArray(String[]::new));
    sql(statements);
  }

  private static String sha256Hex(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
  }

  @Test
  void appendAllWritesABatchInOrderAsOneLinkedRunOfTheChain() throws Exception {
    StoredAuditEvent before = audit.append(event("zoe"));

    List<StoredAuditEvent> batch = audit.appendAll(List.of(event("alice"), event("bob"), event("carol")));

    assertThat(batch).extracting(stored -> stored.event().user()).containsExactly("alice", "bob", "carol");
    assertThat(batch).extracting(StoredAuditEvent::sequence).containsExactly(2L, 3L, 4L);
    assertThat(batch.getFirst().previousHash()).isEqualTo(before.hash());
    assertThat(batch.get(2).hash())
        .isEqualTo(sha256Hex(batch.get(1).hash() + AuditEventJson.write(batch.get(2).event())));
    assertThat(audit.appendAll(List.of())).isEmpty();
    assertThat(audit.verify()).isEqualTo(new AuditStore.ChainVerification.Intact(4));
  }

  @Test
  void appendsFormAGaplessChainOfSha256Links() throws Exception {
    AuditEvent first = event("alice");
    AuditEvent second = event("bob");

    StoredAuditEvent one = audit.append(first);
    StoredAuditEvent two = audit.append(second);

    assertThat(one.sequence()).isEqualTo(1);
    assertThat(one.previousHash()).isEqualTo(GENESIS);
    assertThat(one.hash()).isEqualTo(sha256Hex(GENESIS + AuditEventJson.write(first)));
    assertThat(two.sequence()).isEqualTo(2);
    assertThat(two.previousHash()).isEqualTo(one.hash());
    assertThat(two.hash()).isEqualTo(sha256Hex(one.hash() + AuditEventJson.write(second)));
  }

  @Test
  void searchReturnsEventsAsAppendedNewestFirstUpToTheLimit() {
    List<StoredAuditEvent> appended = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      appended.add(audit.append(event("user" + i)));
    }

    assertThat(audit.search(AuditQuery.all(3)))
        .containsExactly(appended.get(4), appended.get(3), appended.get(2));
    assertThat(audit.search(AuditQuery.all(100))).hasSize(5);
  }

  @Test
  void searchNarrowsByUserTypeAndTime() {
    StoredAuditEvent aliceLogin = audit.append(event(AuditCode.LOGIN_SUCCEEDED, "alice", START));
    StoredAuditEvent aliceDenied =
        audit.append(event(AuditCode.ACCESS_DENIED, "alice", START.plusSeconds(10)));
    StoredAuditEvent bobDenied =
        audit.append(event(AuditCode.ACCESS_DENIED, "bob", START.plusSeconds(20).plusNanos(1)));
    StoredAuditEvent carolLogin =
        audit.append(event(AuditCode.LOGIN_SUCCEEDED, "carol", START.plusSeconds(30)));

    assertThat(audit.search(new AuditQuery(Optional.of("alice"), Optional.empty(), Optional.empty(), Optional.empty(), 10)))
        .containsExactly(aliceDenied, aliceLogin);
    assertThat(audit.search(new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("access.denied"), 10)))
        .containsExactly(bobDenied, aliceDenied);
    assertThat(audit.search(new AuditQuery(Optional.of("alice"), Optional.empty(), Optional.empty(), Optional.of("access.denied"), 10)))
        .containsExactly(aliceDenied);
    // since is inclusive and until exclusive, to the nanosecond.
    assertThat(audit.search(new AuditQuery(Optional.empty(), Optional.of(START.plusSeconds(10)), Optional.of(START.plusSeconds(30)), Optional.empty(), 10)))
        .containsExactly(bobDenied, aliceDenied);
    assertThat(audit.search(new AuditQuery(Optional.empty(), Optional.of(START.plusSeconds(20).plusNanos(2)), Optional.empty(), Optional.empty(), 10)))
        .containsExactly(carolLogin);
    assertThat(audit.search(new AuditQuery(Optional.empty(), Optional.of(Instant.MIN), Optional.of(Instant.MAX), Optional.empty(), 10)))
        .hasSize(4);
    assertThat(audit.search(new AuditQuery(Optional.of("nobody"), Optional.empty(), Optional.empty(), Optional.empty(), 10)))
        .isEmpty();
  }

  @Test
  void verifyFindsAnUntouchedChainIntact() {
    assertThat(audit.verify()).isEqualTo(new ChainVerification.Intact(0));

    for (int i = 0; i < 3; i++) {
      audit.append(event("alice"));
    }

    assertThat(audit.verify()).isEqualTo(new ChainVerification.Intact(3));
  }

  @Test
  void theEventTableRefusesUpdatesAndDeletes() {
    audit.append(event("alice"));

    assertThatThrownBy(() -> sql("UPDATE audit_events SET user_name = 'mallory'"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> sql("DELETE FROM audit_events"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("append-only");
    assertThat(audit.verify()).isEqualTo(new ChainVerification.Intact(1));
  }

  @Test
  void verifyCatchesAnEditedEvent() throws Exception {
    for (int i = 0; i < 4; i++) {
      audit.append(event("alice"));
    }

    tamper("UPDATE audit_events SET json = replace(json, 'alice', 'bob'), user_name = 'bob'"
        + " WHERE sequence = 2");

    assertThat(audit.verify()).isInstanceOfSatisfying(ChainVerification.Broken.class, broken -> {
      assertThat(broken.sequence()).isEqualTo(2);
      assertThat(broken.reason()).contains("hash");
    });
  }

  @Test
  void verifyCatchesAnEditThatWasRehashedThroughTheNextLink() throws Exception {
    List<StoredAuditEvent> stored = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      stored.add(audit.append(event("alice")));
    }
    AuditEvent original = stored.get(1).event();
    String forged =
        AuditEventJson.write(
            new AuditEvent(
                original.id(),
                original.code(),
                original.time(),
                "mallory",
                original.provider(),
                original.resource(),
                original.reasons(),
                original.clientAddress(),
                original.details()));
    String forgedHash = sha256Hex(stored.get(0).hash() + forged);

    tamper("UPDATE audit_events SET json = '" + forged + "', user_name = 'mallory', hash = '"
        + forgedHash + "' WHERE sequence = 2");

    // Event 2 is consistent in itself now; only the link from event 3 gives the forgery away.
    assertThat(audit.verify()).isEqualTo(new ChainVerification.Broken(
        3, "its previous hash does not match the hash of the event before it"));
  }

  @Test
  void verifyCatchesASearchColumnThatNoLongerMatchesItsEvent() throws Exception {
    for (int i = 0; i < 3; i++) {
      audit.append(event("alice"));
    }

    tamper("UPDATE audit_events SET user_name = 'someone-else' WHERE sequence = 3");

    assertThat(audit.verify()).isEqualTo(
        new ChainVerification.Broken(3, "its searchable columns do not match its JSON"));
  }

  @Test
  void verifyCatchesARemovedEvent() throws Exception {
    for (int i = 0; i < 4; i++) {
      audit.append(event("alice"));
    }

    tamper("DELETE FROM audit_events WHERE sequence = 3");

    assertThat(audit.verify()).isEqualTo(new ChainVerification.Broken(3, "event 3 is missing"));
  }

  @Test
  void verifyCatchesTheNewestEventsCutOff() throws Exception {
    for (int i = 0; i < 4; i++) {
      audit.append(event("alice"));
    }

    tamper("DELETE FROM audit_events WHERE sequence >= 3");

    assertThat(audit.verify()).isEqualTo(
        new ChainVerification.Broken(3, "events 3 to 4 are missing from the log"));
  }

  @Test
  void theLogAndItsChainSurviveReopening() {
    StoredAuditEvent before = audit.append(event("alice"));

    reopen();
    StoredAuditEvent after = audit.append(event("bob"));

    assertThat(audit.search(AuditQuery.all(10))).containsExactly(after, before);
    assertThat(after.sequence()).isEqualTo(2);
    assertThat(after.previousHash()).isEqualTo(before.hash());
    assertThat(audit.verify()).isEqualTo(new ChainVerification.Intact(2));
  }

  @Test
  void concurrentAppendsKeepOneUnbrokenChain() throws Exception {
    int threads = 8;
    int appendsEach = 10;

    List<List<Long>> sequences =
        Concurrently.run(
            threads,
            () -> {
              List<Long> mine = new ArrayList<>();
              for (int i = 0; i < appendsEach; i++) {
                mine.add(audit.append(event(AuditCode.ACCESS_DENIED, "u", START.plus(Duration.ofMillis(i))))
                    .sequence());
              }
              return mine;
            });

    assertThat(sequences.stream().flatMap(List::stream).sorted().toList())
        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, threads * appendsEach).boxed().toList());
    assertThat(audit.verify()).isEqualTo(new ChainVerification.Intact(threads * appendsEach));
  }
}
