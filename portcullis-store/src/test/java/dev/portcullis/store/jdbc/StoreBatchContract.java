package dev.portcullis.store.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.store.Item;
import dev.portcullis.store.Store;
import dev.portcullis.store.StoreEvent;
import dev.portcullis.store.StoreWrite;
import dev.portcullis.store.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The batch behaviour ({@link Store#apply}) every {@link Store} backend must have, mixed into {@link
 * StoreContract}: all writes or none, in order, and watch events only for batches that were applied.
 */
interface StoreBatchContract {

  Store store();

  MutableClock clock();

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static StoreWrite put(String key, String value) {
    return new StoreWrite.Put(key, bytes(value), Optional.empty());
  }

  private static StoreWrite create(String key, String value) {
    return new StoreWrite.Create(key, bytes(value), Optional.empty());
  }

  private static StoreWrite swap(String key, long revision, String value) {
    return new StoreWrite.CompareAndSwap(key, revision, bytes(value), Optional.empty());
  }

  /** Every key the contract's batches touch, with what is stored under it now. */
  private List<Optional<Item>> snapshot(String... keys) {
    return Arrays.stream(keys).map(store()::get).toList();
  }

  @Test
  default void applyWritesEveryKeyAndReturnsTheWrittenItemsInOrder() {
    Item old = store().put("b/swapped", bytes("old"), Optional.empty());
    store().put("b/deleted", bytes("gone"), Optional.empty());
    Instant expires = clock().instant().plus(Duration.ofHours(1));

    List<Item> items = store().apply(List.of(
        put("b/put", "p"),
        new StoreWrite.Delete("b/deleted"),
        new StoreWrite.Create("b/created", bytes("c"), Optional.of(expires)),
        new StoreWrite.Delete("b/never-there"),
        swap("b/swapped", old.revision(), "new"))).orElseThrow();

    assertThat(items).extracting(Item::key).containsExactly("b/put", "b/created", "b/swapped");
    assertThat(items).extracting(Item::revision).isSorted().doesNotHaveDuplicates()
        .allSatisfy(revision -> assertThat(revision).isGreaterThan(old.revision()));
    assertThat(items.get(1).expires()).contains(expires);
    for (Item item : items) {
      assertThat(store().get(item.key())).contains(item);
    }
    assertThat(new String(store().get("b/swapped").orElseThrow().value(), UTF_8)).isEqualTo("new");
    assertThat(store().get("b/deleted")).isEmpty();
    assertThat(store().get("b/never-there")).isEmpty();
  }

  @Test
  default void aTakenCreateAnywhereInTheBatchLeavesEveryKeyAsItWas() {
    Item taken = store().put("b/taken", bytes("first"), Optional.empty());
    Item kept = store().put("b/kept", bytes("kept"), Optional.empty());
    List<Optional<Item>> before = snapshot("b/taken", "b/kept", "b/new");

    Optional<List<Item>> applied = store().apply(List.of(
        put("b/kept", "overwritten"), new StoreWrite.Delete("b/kept"), create("b/new", "n"),
        create("b/taken", "second")));

    assertThat(applied).isEmpty();
    assertThat(snapshot("b/taken", "b/kept", "b/new")).isEqualTo(before);
    assertThat(store().get("b/kept")).contains(kept);
    assertThat(store().get("b/taken")).contains(taken);
  }

  @Test
  default void aStaleOrMissingSwapRefusesTheBatch() {
    Item record = store().put("b/record", bytes("v1"), Optional.empty());
    store().put("b/record", bytes("v2"), Optional.empty());
    Item live = store().put("b/live", bytes("live"), Optional.empty());
    List<Optional<Item>> before = snapshot("b/record", "b/live", "b/missing");

    assertThat(store().apply(List.of(
        swap("b/record", record.revision(), "ended"), new StoreWrite.Delete("b/live")))).isEmpty();
    assertThat(store().apply(List.of(
        new StoreWrite.Delete("b/live"), swap("b/missing", record.revision(), "x")))).isEmpty();

    assertThat(snapshot("b/record", "b/live", "b/missing")).isEqualTo(before);
    assertThat(store().get("b/live")).contains(live);
  }

  @Test
  default void laterWritesOfABatchSeeItsEarlierOnes() {
    store().put("b/k", bytes("old"), Optional.empty());

    Optional<List<Item>> replaced =
        store().apply(List.of(new StoreWrite.Delete("b/k"), create("b/k", "new")));
    Optional<List<Item>> twice = store().apply(List.of(create("b/twice", "1"), create("b/twice", "2")));

    assertThat(replaced).get().satisfies(items -> assertThat(store().get("b/k")).contains(items.get(0)));
    assertThat(twice).isEmpty();
    assertThat(store().get("b/twice")).isEmpty();
  }

  @Test
  default void expiredItemsCountAsAbsentInABatch() {
    Item expiring = store().put("b/lock", bytes("old"), Optional.of(clock().instant().plusSeconds(1)));
    clock().advance(Duration.ofSeconds(1));

    assertThat(store().apply(List.of(swap("b/lock", expiring.revision(), "revived")))).isEmpty();
    Optional<List<Item>> created = store().apply(List.of(create("b/lock", "new")));

    assertThat(created).get().satisfies(items -> assertThat(store().get("b/lock")).contains(items.get(0)));
  }

  @Test
  default void ofConcurrentBatchesCreatingOneKeyExactlyOneApplies() throws Exception {
    int threads = 8;
    AtomicInteger next = new AtomicInteger();
    List<Optional<List<Item>>> results = Concurrently.run(threads, () -> {
      int me = next.getAndIncrement();
      return store().apply(List.of(put("b/marker-" + me, "m"), create("b/shared", Integer.toString(me))));
    });

    assertThat(results.stream().filter(Optional::isPresent)).hasSize(1);
    String winner = new String(store().get("b/shared").orElseThrow().value(), UTF_8);
    assertThat(store().range("b/marker-", 100)).extracting(Item::key).containsExactly("b/marker-" + winner);
  }

  @Test
  default void aWatchHearsEveryWriteOfAnAppliedBatchInOrderAndNothingOfARefusedOne() throws Exception {
    BlockingQueue<StoreEvent> events = new LinkedBlockingQueue<>();
    try (Subscription subscription = store().watch("w/", events::add)) {
      Item existing = store().put("w/old", bytes("x"), Optional.empty());
      assertThat(next(events)).isEqualTo(new StoreEvent.Put(existing));
      List<Item> items = store().apply(List.of(
          put("w/a", "1"), new StoreWrite.Delete("w/old"), put("elsewhere", "x"), create("w/b", "2"),
          new StoreWrite.Delete("w/never-there"))).orElseThrow();

      assertThat(next(events)).isEqualTo(new StoreEvent.Put(items.get(0)));
      assertThat(next(events)).isEqualTo(new StoreEvent.Delete(existing.key()));
      assertThat(next(events)).isEqualTo(new StoreEvent.Put(items.get(2)));

      assertThat(store().apply(List.of(
          put("w/c", "3"), new StoreWrite.Delete("w/a"), create("w/b", "again")))).isEmpty();
      Item marker = store().put("w/marker", bytes("m"), Optional.empty());

      assertThat(next(events)).isEqualTo(new StoreEvent.Put(marker));
      assertThat(events).isEmpty();
    }
  }

  @Test
  default void applyRejectsAnInvalidBatchBeforeWritingAnything() {
    List<StoreWrite> tooMany = new ArrayList<>();
    for (int i = 0; i <= StoreWrite.MAX_BATCH; i++) {
      tooMany.add(put("b/" + i, "v"));
    }
    List<StoreWrite> withNull = new ArrayList<>(List.of(put("b/first", "v")));
    withNull.add(null);
    List<StoreWrite> tooFar = List.of(put("b/first", "v"),
        new StoreWrite.Put("b/second", bytes("v"), Optional.of(Instant.MAX)));

    assertThatThrownBy(() -> store().apply(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: 1..100");
    assertThatThrownBy(() -> store().apply(tooMany))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("101 writes");
    assertThatThrownBy(() -> store().apply(withNull))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("writes[1]");
    assertThatThrownBy(() -> store().apply(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store().apply(tooFar))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expires");
    assertThat(store().range("b/", 1000)).isEmpty();
  }

  @Test
  default void eachWriteChecksItsFieldsLikeItsSingleKeyMethod() {
    assertThatThrownBy(() -> new StoreWrite.Put(" ", bytes("v"), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
    assertThatThrownBy(() -> new StoreWrite.Create("k", null, Optional.empty()))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("value");
    assertThatThrownBy(() -> new StoreWrite.CompareAndSwap("k", 0, bytes("v"), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expectedRevision: 0");
    assertThatThrownBy(() -> new StoreWrite.CompareAndSwap("k", 1, bytes("v"), null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("expires");
    assertThatThrownBy(() -> new StoreWrite.Delete("a\nb"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control character");
    byte[] value = bytes("secret-token");
    StoreWrite.Put put = new StoreWrite.Put("k", value, Optional.empty());
    value[0] = 'X';
    assertThat(put.value()).isEqualTo(bytes("secret-token"));
    assertThat(put.toString()).doesNotContain("secret-token");
  }

  private static StoreEvent next(BlockingQueue<StoreEvent> events) throws InterruptedException {
    StoreEvent event = events.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("a watch event within 10 s").isNotNull();
    return event;
  }
}
