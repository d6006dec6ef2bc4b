package dev.portcullis.store.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.store.Item;
import dev.portcullis.store.Store;
import dev.portcullis.store.StoreEvent;
import dev.portcullis.store.Subscription;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The watch behaviour every {@link Store} backend must have, mixed into {@link StoreContract}. Events
 * arrive on a store thread, so each test waits for them; ordering lets a later event prove that an
 * earlier one was not sent.
 */
interface StoreWatchContract {

  Store store();

  MutableClock clock();

  private static StoreEvent next(BlockingQueue<StoreEvent> events) throws InterruptedException {
    StoreEvent event = events.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("a watch event within 10 s").isNotNull();
    return event;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  @Test
  default void watchReportsEveryKindOfWriteUnderItsPrefix() throws Exception {
    // Each event is awaited before the next write: a backend may fold a put that is overwritten
    // before delivery into the newer state.
    BlockingQueue<StoreEvent> events = new LinkedBlockingQueue<>();
    try (Subscription subscription = store().watch("sessions/", events::add)) {
      Item put = store().put("sessions/a", bytes("1"), Optional.empty());
      assertThat(next(events)).isEqualTo(new StoreEvent.Put(put));

      Item swapped =
          store().compareAndSwap("sessions/a", put.revision(), bytes("2"), Optional.empty()).orElseThrow();
      assertThat(next(events)).isEqualTo(new StoreEvent.Put(swapped));

      Item created = store().create("sessions/b", bytes("3"), Optional.empty()).orElseThrow();
      assertThat(next(events)).isEqualTo(new StoreEvent.Put(created));

      store().delete("sessions/a");
      assertThat(next(events)).isEqualTo(new StoreEvent.Delete("sessions/a"));

      store().take("sessions/b");
      assertThat(next(events)).isEqualTo(new StoreEvent.Delete("sessions/b"));

      Item expiring =
          store().put("sessions/c", bytes("4"), Optional.of(clock().instant().plusSeconds(1)));
      assertThat(next(events)).isEqualTo(new StoreEvent.Put(expiring));

      clock().advance(Duration.ofSeconds(1));
      store().deleteExpired();
      assertThat(next(events)).isEqualTo(new StoreEvent.Delete("sessions/c"));
    }
  }

  @Test
  default void watchIgnoresKeysOutsideItsPrefixAndFailedWrites() throws Exception {
    BlockingQueue<StoreEvent> events = new LinkedBlockingQueue<>();
    try (Subscription subscription = store().watch("locks/", events::add)) {
      Item held = store().put("locks/held", bytes("x"), Optional.empty());
      assertThat(next(events)).isEqualTo(new StoreEvent.Put(held));

      store().put("lockss", bytes("outside"), Optional.empty());
      store().put("users/alice", bytes("outside"), Optional.empty());
      store().create("locks/held", bytes("refused"), Optional.empty());
      store().compareAndSwap("locks/held", held.revision() + 1_000, bytes("refused"), Optional.empty());
      store().delete("locks/none");
      Item marker = store().put("locks/marker", bytes("in"), Optional.empty());

      assertThat(next(events)).isEqualTo(new StoreEvent.Put(marker));
      assertThat(events).isEmpty();
    }
  }

  @Test
  default void aClosedSubscriptionHearsNothingMore() throws Exception {
    BlockingQueue<StoreEvent> closedEvents = new LinkedBlockingQueue<>();
    BlockingQueue<StoreEvent> openEvents = new LinkedBlockingQueue<>();
    Subscription closed = store().watch("k/", closedEvents::add);
    try (Subscription open = store().watch("k/", openEvents::add)) {
      Item first = store().put("k/1", bytes("1"), Optional.empty());
      assertThat(next(closedEvents)).isEqualTo(new StoreEvent.Put(first));
      assertThat(next(openEvents)).isEqualTo(new StoreEvent.Put(first));

      closed.close();
      closed.close();
      Item second = store().put("k/2", bytes("2"), Optional.empty());

      // Both watches get each event in one pass, the closed one first: once the open one has it,
      // the closed one would have had it too.
      assertThat(next(openEvents)).isEqualTo(new StoreEvent.Put(second));
      assertThat(closedEvents).isEmpty();
    }
  }

  @Test
  default void aFailingListenerDoesNotStopOtherWatches() throws Exception {
    BlockingQueue<StoreEvent> events = new LinkedBlockingQueue<>();
    try (Subscription failing =
            store().watch("", event -> {
              throw new IllegalStateException("listener bug");
            });
        Subscription working = store().watch("", events::add)) {
      Item first = store().put("a", bytes("1"), Optional.empty());
      Item second = store().put("b", bytes("2"), Optional.empty());

      assertThat(next(events)).isEqualTo(new StoreEvent.Put(first));
      assertThat(next(events)).isEqualTo(new StoreEvent.Put(second));
    }
  }
}
