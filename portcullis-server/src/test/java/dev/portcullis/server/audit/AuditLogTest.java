package dev.portcullis.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditQuery;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.audit.JsonLinesAuditSink;
import dev.portcullis.audit.StoredAuditEvent;
import dev.portcullis.store.jdbc.Storage;
import dev.portcullis.store.jdbc.StorageSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit keeps every promise of a single write: order, chain, durability before the caller returns. */
class AuditLogTest {
  @TempDir Path dir;

  @Test
  void concurrentCallersEachGetTheirOwnDurableEventInOneUnbrokenChain() throws Exception {
    try (Storage storage = Storage.open(new StorageSettings.Sqlite(dir, Clock.systemUTC()));
        JsonLinesAuditSink file = new JsonLinesAuditSink(dir.resolve("audit.jsonl"));
        AuditLog audit = new AuditLog(storage.audit(), Optional.of(file), Clock.systemUTC(), new SecureRandom());
        ExecutorService callers = Executors.newFixedThreadPool(32)) {
      List<Future<StoredAuditEvent>> results = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String user = "user-" + i;
        results.add(callers.submit(() -> audit.event(AuditCode.ACCESS_DENIED).user(user).record()));
      }
      Set<Long> sequences = ConcurrentHashMap.newKeySet();
      for (int i = 0; i < results.size(); i++) {
        StoredAuditEvent stored = results.get(i).get();
        assertThat(stored.event().user()).as("each caller gets its own event back").isEqualTo("user-" + i);
        sequences.add(stored.sequence());
      }

      assertThat(sequences).hasSize(400);
      assertThat(storage.audit().verify()).isEqualTo(new AuditStore.ChainVerification.Intact(400));
      assertThat(Files.readAllLines(dir.resolve("audit.jsonl"))).hasSize(400);
      assertThat(storage.audit().search(AuditQuery.all(1000))).hasSize(400);
    }
  }

  @Test
  void eventsRecordedTogetherAreAllDurableInTheirOrderWhenTheCallReturns() throws Exception {
    try (Storage storage = Storage.open(new StorageSettings.Sqlite(dir, Clock.systemUTC()));
        JsonLinesAuditSink file = new JsonLinesAuditSink(dir.resolve("audit.jsonl"));
        AuditLog audit = new AuditLog(storage.audit(), Optional.of(file), Clock.systemUTC(), new SecureRandom())) {
      List<StoredAuditEvent> stored = audit.recordAll(List.of(
          audit.event(AuditCode.SSH_SESSION_STARTED).user("alice").build(),
          audit.event(AuditCode.SSH_EXEC).user("alice").build(),
          audit.event(AuditCode.SSH_SESSION_ENDED).user("alice").build()));

      assertThat(stored).extracting(event -> event.event().code())
          .containsExactly(AuditCode.SSH_SESSION_STARTED, AuditCode.SSH_EXEC, AuditCode.SSH_SESSION_ENDED);
      assertThat(stored.get(0).sequence()).isLessThan(stored.get(1).sequence());
      assertThat(stored.get(1).sequence()).isLessThan(stored.get(2).sequence());
      assertThat(storage.audit().verify()).isEqualTo(new AuditStore.ChainVerification.Intact(3));
      assertThat(Files.readAllLines(dir.resolve("audit.jsonl"))).hasSize(3);
    }
  }

  @Test
  void aClosedLogRefusesEventsInsteadOfLosingThem() {
    try (Storage storage = Storage.open(new StorageSettings.Sqlite(dir, Clock.systemUTC()))) {
      AuditLog audit = new AuditLog(storage.audit(), Optional.empty(), Clock.systemUTC(), new SecureRandom());
      audit.event(AuditCode.CONFIG_RELOADED).record();
      audit.close();

      assertThatThrownBy(() -> audit.event(AuditCode.CONFIG_RELOADED).record()).hasMessageContaining("closed");
      assertThatThrownBy(() -> audit.recordAll(List.of(audit.event(AuditCode.CONFIG_RELOADED).build())))
          .hasMessageContaining("closed");
      assertThat(storage.audit().search(AuditQuery.all(10))).hasSize(1);
    }
  }
}
