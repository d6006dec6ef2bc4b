package dev.portcullis.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.locks.Locks;
import dev.portcullis.nodes.NodeRecord;
import dev.portcullis.nodes.NodeRegistry;
import dev.portcullis.store.jdbc.Storage;
import dev.portcullis.store.jdbc.StorageSettings;
import dev.portcullis.testing.TestClock;
import dev.portcullis.tokens.JoinTokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Join tokens, locks and the node registry against the real embedded store. */
class InventoryTest {
  @TempDir Path dataDir;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-21T09:00:00Z"));
  private Storage storage;

  @BeforeEach
  void open() {
    storage = Storage.open(new StorageSettings.Sqlite(dataDir, clock));
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void aJoinTokenWorksOnceAndOnlyUntilItExpires() {
    JoinTokens tokens = new JoinTokens(storage.store(), clock, new SecureRandom());
    JoinTokens.Issued first = tokens.create(JoinTokens.Kind.NODE, Duration.ofHours(1));
    JoinTokens.Issued second = tokens.create(JoinTokens.Kind.NODE, Duration.ofHours(1));

    assertThat(tokens.redeem(first.token())).hasValue(JoinTokens.Kind.NODE);
    assertThat(tokens.redeem(first.token())).as("used twice").isEmpty();
    clock.advance(Duration.ofMinutes(61));
    assertThat(tokens.redeem(second.token())).as("expired").isEmpty();
    assertThat(tokens.redeem("not-a-token")).isEmpty();
  }

  @Test
  void theStoreNeverHoldsAUsableToken() {
    JoinTokens tokens = new JoinTokens(storage.store(), clock, new SecureRandom());
    JoinTokens.Issued issued = tokens.create(JoinTokens.Kind.NODE, Duration.ofHours(1));

    assertThat(storage.store().range("", 1000)).allSatisfy(item -> {
      assertThat(item.key()).doesNotContain(issued.token());
      assertThat(new String(item.value(), StandardCharsets.UTF_8)).doesNotContain(issued.token());
    });
    assertThat(tokens.list()).singleElement().satisfies(info -> assertThat(issued.token()).doesNotContain(info.id()));
    assertThat(issued.toString()).doesNotContain(issued.token());
  }

  @Test
  void refusesTokenLifetimesOutsideOneSecondToSevenDays() {
    JoinTokens tokens = new JoinTokens(storage.store(), clock, new SecureRandom());
    assertThatThrownBy(() -> tokens.create(JoinTokens.Kind.NODE, Duration.ofDays(8))).hasMessageContaining("ttl");
    assertThatThrownBy(() -> tokens.create(JoinTokens.Kind.NODE, Duration.ZERO)).hasMessageContaining("ttl");
  }

  @Test
  void aLockTakesEffectImmediatelyAndCanBeLifted() {
    Locks locks = new Locks(storage.store(), clock);

    locks.lockUser("alice", "laptop stolen", "admin");

    assertThat(locks.userLock("alice")).hasValueSatisfying(lock -> assertThat(lock.reason()).isEqualTo("laptop stolen"));
    assertThat(locks.userLock("bob")).isEmpty();
    assertThat(locks.unlockUser("alice")).isTrue();
    assertThat(locks.userLock("alice")).isEmpty();
  }

  @Test
  void nodesAreRegisteredAndKeptFreshByHeartbeats() {
    NodeRegistry nodes = new NodeRegistry(storage.store(), clock);
    nodes.register(new NodeRecord("web-1", Map.of("env", "dev"), "10.0.0.5:22", "SHA256:abc", "hash", clock.instant(),
        clock.instant()));

    clock.advance(Duration.ofSeconds(30));
    assertThat(nodes.heartbeat("web-1", Map.of("env", "dev", "team", "web")))
        .hasValueSatisfying(node -> assertThat(node.lastSeen()).isEqualTo(clock.instant()));
    assertThat(nodes.heartbeat("ghost", Map.of())).isEmpty();
    assertThat(nodes.list()).singleElement().satisfies(node -> assertThat(node.labels()).containsEntry("team", "web"));
    assertThat(nodes.find("WEB-1")).isEmpty();
  }
}
