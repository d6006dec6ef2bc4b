package dev.portcullis.store.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditStore.ChainVerification;
import dev.portcullis.store.Item;
import dev.portcullis.store.Store;
import dev.portcullis.store.StoreEvent;
import dev.portcullis.store.Subscription;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas sharing one PostgreSQL schema, as in a high-availability deployment. */
class PostgresReplicasTest {
  private static final String LISTENERS =
      "FROM pg_stat_activity WHERE application_name = 'portcullis-listener'"
          + " AND datname = current_database()";

  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private TestPostgres postgres;
  private Storage replicaA;
  private Storage replicaB;

  @BeforeEach
  void openReplicas() {
    postgres = TestPostgres.fromEnvironment();
    replicaA = Storage.open(postgres.settings(clock));
    replicaB = Storage.open(postgres.settings(clock));
  }

  @AfterEach
  void closeReplicas() {
    try (Storage a = replicaA;
        Storage b = replicaB) {
      // closed by try-with-resources; nulls are skipped
    } finally {
      if (postgres != null) {
        postgres.dropSchema();
      }
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static StoreEvent next(BlockingQueue<StoreEvent> events) throws InterruptedException {
    StoreEvent event = events.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("a watch event within 10 s").isNotNull();
    return event;
  }

  @Test
  void eachReplicaHearsTheOthersWrites() throws Exception {
    BlockingQueue<StoreEvent> heardByA = new LinkedBlockingQueue<>();
    BlockingQueue<StoreEvent> heardByB = new LinkedBlockingQueue<>();
    try (Subscription a = replicaA.store().watch("sessions/", heardByA::add);
        Subscription b = replicaB.store().watch("sessions/", heardByB::add)) {
      Item fromA = replicaA.store().put("sessions/1", bytes("from a"), Optional.empty());
      assertThat(next(heardByB)).isEqualTo(new StoreEvent.Put(fromA));
      assertThat(next(heardByA)).isEqualTo(new StoreEvent.Put(fromA));

      assertThat(replicaB.store().delete("sessions/1")).isTrue();
      assertThat(next(heardByA)).isEqualTo(new StoreEvent.Delete("sessions/1"));
      assertThat(next(heardByB)).isEqualTo(new StoreEvent.Delete("sessions/1"));
    }
  }

  @Test
  void watchesDoNotHearWritesToAnotherSchema() throws Exception {
    TestPostgres elsewhere = TestPostgres.fromEnvironment();
    try (Storage other = Storage.open(elsewhere.settings(clock))) {
      BlockingQueue<StoreEvent> heard = new LinkedBlockingQueue<>();
      try (Subscription subscription = other.store().watch("", heard::add)) {
        replicaA.store().put("k", bytes("in the first schema"), Optional.empty());
        replicaA.store().delete("k");
        Item marker = other.store().put("marker", bytes("in the other schema"), Optional.empty());

        assertThat(next(heard)).isEqualTo(new StoreEvent.Put(marker));
        assertThat(heard).isEmpty();
      }
    } finally {
      elsewhere.dropSchema();
    }
  }

  @Test
  void replicasStartingTogetherOnAnEmptySchemaBothMigrateAndOpen() throws Exception {
    TestPostgres fresh = TestPostgres.fromEnvironment();
    try {
      StorageSettings.Postgres settings = fresh.settings(clock);

      List<Storage> opened = Concurrently.run(3, () -> Storage.open(settings));

      try {
        Item written = opened.get(0).store().put("k", bytes("v"), Optional.empty());
        assertThat(opened.get(2).store().get("k")).contains(written);
      } finally {
        opened.forEach(Storage::close);
      }
    } finally {
      fresh.dropSchema();
    }
  }

  @Test
  void createOnBothReplicasAtOnceHasOneWinner() throws Exception {
    for (int round = 0; round < 5; round++) {
      String key = "locks/" + round;
      AtomicInteger turn = new AtomicInteger();

      List<Optional<Item>> results =
          Concurrently.run(8, () -> replica(turn).create(key, bytes("mine"), Optional.empty()));

      assertThat(results.stream().filter(Optional::isPresent)).as("winners of round " + round).hasSize(1);
    }
  }

  @Test
  void takeOnBothReplicasAtOnceHasOneWinner() throws Exception {
    for (int round = 0; round < 5; round++) {
      String key = "oidc/state/" + round;
      replicaA.store().put(key, bytes("single-use"), Optional.empty());
      AtomicInteger turn = new AtomicInteger();

      List<Optional<Item>> results = Concurrently.run(8, () -> replica(turn).take(key));

      assertThat(results.stream().filter(Optional::isPresent)).as("winners of round " + round).hasSize(1);
    }
  }

  @Test
  void auditAppendsFromBothReplicasFormOneChain() throws Exception {
    AtomicInteger turn = new AtomicInteger();
    AtomicInteger ids = new AtomicInteger();
    int threads = 8;
    int appendsEach = 10;

    Concurrently.run(
        threads,
        () -> {
          Storage replica = turn.getAndIncrement() % 2 == 0 ? replicaA : replicaB;
          for (int i = 0; i < appendsEach; i++) {
            replica.audit().append(
                new AuditEvent("evt-" + ids.incrementAndGet(), AuditCode.ACCESS_DENIED, clock.instant(),
                    "alice", "", "app:whoami", List.of("no-role"), "127.0.0.1", Map.of()));
          }
          return null;
        });

    assertThat(replicaA.audit().verify()).isEqualTo(new ChainVerification.Intact(threads * appendsEach));
    assertThat(replicaB.audit().verify()).isEqualTo(new ChainVerification.Intact(threads * appendsEach));
  }

  @Test
  void watchesResumeAfterTheListenerConnectionIsKilled() throws Exception {
    BlockingQueue<StoreEvent> heardByB = new LinkedBlockingQueue<>();
    try (Subscription b = replicaB.store().watch("probe/", heardByB::add)) {
      String killed = postgres.query("SELECT string_agg(pid::text, ',') " + LISTENERS);

      assertThat(postgres.query(
              "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) " + LISTENERS))
          .as("listener connections terminated")
          .isEqualTo(Integer.toString(killed.split(",").length))
          .isNotEqualTo("0");

      // Writes made while a listener reconnects are not announced to it, so probe until one is.
      boolean heard = false;
      for (int i = 0; i < 60 && !heard; i++) {
        Item probe = replicaA.store().put("probe/" + i, bytes("p"), Optional.empty());
        StoreEvent event = heardByB.poll(250, TimeUnit.MILLISECONDS);
        heard = new StoreEvent.Put(probe).equals(event);
      }
      assertThat(heard).as("replica B hears replica A again after its listener reconnected").isTrue();
      assertThat(postgres.query("SELECT count(*) " + LISTENERS + " AND pid IN (" + killed + ")"))
          .as("listeners still on a killed connection")
          .isEqualTo("0");
    }
  }

  private Store replica(AtomicInteger turn) {
    return (turn.getAndIncrement() % 2 == 0 ? replicaA : replicaB).store();
  }
}
