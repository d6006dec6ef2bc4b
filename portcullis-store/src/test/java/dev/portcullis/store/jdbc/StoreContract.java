package dev.portcullis.store.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.store.Item;
import dev.portcullis.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Store} backend must have. A backend's test extends this class and says
 * how to open storage; the same tests, and those of {@link StoreWatchContract} and {@link
 * StoreBatchContract}, then run against it.
 */
abstract class StoreContract extends StorageFixture implements StoreWatchContract, StoreBatchContract {
  protected Store store;

  @Override
  protected void opened() {
    store = storage.store();
  }

  @Override
  public Store store() {
    return store;
  }

  @Override
  public MutableClock clock() {
    return clock;
  }

  protected static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  protected static Optional<Instant> in(Duration duration) {
    return Optional.of(START.plus(duration));
  }

  @Test
  void getReturnsWhatPutWrote() {
    Item written = store.put("users/alice", bytes("{\"name\":\"alice\"}"), Optional.empty());

    assertThat(written.key()).isEqualTo("users/alice");
    assertThat(written.revision()).isPositive();
    assertThat(store.get("users/alice")).contains(written);
    assertThat(new String(store.get("users/alice").orElseThrow().value(), UTF_8))
        .isEqualTo("{\"name\":\"alice\"}");
  }

  @Test
  void getOfAnUnknownKeyIsEmpty() {
    assertThat(store.get("users/nobody")).isEmpty();
  }

  @Test
  void valuesAreKeptAsExactBytes() {
    byte[] binary = {0, (byte) 0xFF, (byte) 0x80, 10, 0, 13};

    store.put("blob", binary, Optional.empty());
    store.put("empty", new byte[0], Optional.empty());

    assertThat(store.get("blob").orElseThrow().value()).containsExactly(binary);
    assertThat(store.get("empty").orElseThrow().value()).isEmpty();
  }

  @Test
  void putReplacesTheItemWithAHigherRevision() {
    Item first = store.put("k", bytes("one"), Optional.empty());
    Item second = store.put("k", bytes("two"), in(Duration.ofHours(1)));

    assertThat(second.revision()).isGreaterThan(first.revision());
    assertThat(store.get("k")).contains(second);
  }

  @Test
  void revisionsIncreaseAcrossTheWholeStore() {
    List<Long> revisions = new ArrayList<>();
    revisions.add(store.put("a", bytes("1"), Optional.empty()).revision());
    revisions.add(store.put("b", bytes("1"), Optional.empty()).revision());
    revisions.add(store.create("c", bytes("1"), Optional.empty()).orElseThrow().revision());
    revisions.add(
        store.compareAndSwap("a", revisions.get(0), bytes("2"), Optional.empty())
            .orElseThrow()
            .revision());
    revisions.add(store.put("b", bytes("2"), Optional.empty()).revision());

    assertThat(revisions).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void deleteRemovesTheItemAndSaysWhetherThereWasOne() {
    store.put("k", bytes("v"), Optional.empty());

    assertThat(store.delete("k")).isTrue();
    assertThat(store.get("k")).isEmpty();
    assertThat(store.delete("k")).isFalse();
  }

  @Test
  void createWritesOnlyWhenTheKeyIsFree() {
    Optional<Item> created = store.create("locks/a", bytes("first"), Optional.empty());
    Optional<Item> again = store.create("locks/a", bytes("second"), Optional.empty());

    assertThat(created).isPresent();
    assertThat(again).isEmpty();
    assertThat(store.get("locks/a")).isEqualTo(created);
  }

  @Test
  void createTakesOverAnExpiredItem() {
    store.put("locks/a", bytes("old"), in(Duration.ofMinutes(1)));
    clock.advance(Duration.ofMinutes(1));

    Optional<Item> created = store.create("locks/a", bytes("new"), Optional.empty());

    assertThat(created).isPresent();
    assertThat(store.get("locks/a")).isEqualTo(created);
  }

  @Test
  void compareAndSwapReplacesTheRevisionItWasGiven() {
    Item original = store.put("k", bytes("one"), Optional.empty());

    Optional<Item> swapped = store.compareAndSwap("k", original.revision(), bytes("two"), Optional.empty());

    assertThat(swapped).isPresent();
    assertThat(swapped.get().revision()).isGreaterThan(original.revision());
    assertThat(store.get("k")).isEqualTo(swapped);
  }

  @Test
  void compareAndSwapFailsWhenTheItemChangedSinceItWasRead() {
    Item read = store.put("k", bytes("one"), Optional.empty());
    Item newer = store.put("k", bytes("two"), Optional.empty());

    assertThat(store.compareAndSwap("k", read.revision(), bytes("three"), Optional.empty())).isEmpty();
    assertThat(store.get("k")).contains(newer);
  }

  @Test
  void compareAndSwapFailsWhenTheItemIsGoneOrExpired() {
    Item deleted = store.put("gone", bytes("v"), Optional.empty());
    store.delete("gone");
    Item expiring = store.put("expiring", bytes("v"), in(Duration.ofSeconds(5)));
    clock.advance(Duration.ofSeconds(5));

    assertThat(store.compareAndSwap("gone", deleted.revision(), bytes("x"), Optional.empty())).isEmpty();
    assertThat(store.compareAndSwap("expiring", expiring.revision(), bytes("x"), Optional.empty()))
        .isEmpty();
    assertThat(store.get("gone")).isEmpty();
    assertThat(store.get("expiring")).isEmpty();
  }

  @Test
  void concurrentCompareAndSwapLosesNoUpdate() throws Exception {
    store.put("counter", bytes("0"), Optional.empty());
    int threads = 4;
    int incrementsEach = 15;

    Concurrently.run(
        threads,
        () -> {
          for (int i = 0; i < incrementsEach; i++) {
            while (true) {
              Item current = store.get("counter").orElseThrow();
              int next = Integer.parseInt(new String(current.value(), UTF_8)) + 1;
              if (store.compareAndSwap("counter", current.revision(), bytes(Integer.toString(next)), Optional.empty())
                  .isPresent()) {
                break;
              }
            }
          }
          return null;
        });

    assertThat(new String(store.get("counter").orElseThrow().value(), UTF_8))
        .isEqualTo(Integer.toString(threads * incrementsEach));
  }

  @Test
  void itemsVanishWhenTheClockReachesTheirExpiry() {
    store.put("sessions/s1", bytes("v"), in(Duration.ofMinutes(10)));

    clock.advance(Duration.ofMinutes(10).minusMillis(1));
    assertThat(store.get("sessions/s1")).isPresent();
    assertThat(store.range("sessions/", 10)).hasSize(1);

    clock.advance(Duration.ofMillis(1));
    assertThat(store.get("sessions/s1")).isEmpty();
    assertThat(store.range("sessions/", 10)).isEmpty();
    assertThat(store.take("sessions/s1")).isEmpty();
    assertThat(store.delete("sessions/s1")).isFalse();
  }

  @Test
  void anItemWrittenAlreadyExpiredIsNeverVisible() {
    store.put("k", bytes("v"), Optional.of(START.minusSeconds(1)));

    assertThat(store.get("k")).isEmpty();
  }

  @Test
  void expiryIsKeptToTheMillisecond() {
    Instant precise = START.plusSeconds(60).plusNanos(123_456_789);

    Item written = store.put("k", bytes("v"), Optional.of(precise));

    assertThat(written.expires()).contains(START.plusSeconds(60).plusMillis(123));
    assertThat(store.get("k")).contains(written);
  }

  @Test
  void deleteExpiredRemovesOnlyExpiredItemsForGood() {
    store.put("a", bytes("v"), in(Duration.ofSeconds(10)));
    store.put("b", bytes("v"), in(Duration.ofSeconds(20)));
    store.put("c", bytes("v"), in(Duration.ofSeconds(30)));
    store.put("d", bytes("v"), Optional.empty());
    clock.advance(Duration.ofSeconds(20));

    assertThat(store.deleteExpired()).isEqualTo(2);
    assertThat(store.deleteExpired()).isZero();

    // Turning the clock back shows that the expired items were removed, not just hidden.
    clock.set(START);
    assertThat(store.get("a")).isEmpty();
    assertThat(store.get("b")).isEmpty();
    assertThat(store.get("c")).isPresent();
    assertThat(store.get("d")).isPresent();
  }

  @Test
  void rangeReturnsTheKeysUnderThePrefixInOrderUpToTheLimit() {
    for (String key : List.of("users/carol", "users/alice", "usersx", "user", "users/bob", "roles/admin")) {
      store.put(key, bytes(key), Optional.empty());
    }

    assertThat(store.range("users/", 10)).extracting(Item::key)
        .containsExactly("users/alice", "users/bob", "users/carol");
    assertThat(store.range("users/", 2)).extracting(Item::key)
        .containsExactly("users/alice", "users/bob");
    assertThat(store.range("", 100)).extracting(Item::key)
        .containsExactly("roles/admin", "user", "users/alice", "users/bob", "users/carol", "usersx");
    assertThat(store.range("nothing/", 10)).isEmpty();
  }

  @Test
  void rangeOrdersKeysByCodePointWhateverTheDatabaseLocale() {
    // Code point order: Z < a < é < 日 < U+FFFD < U+1F600. UTF-16 order would put the emoji before
    // U+FFFD, and a locale collation would put "é" next to "e" or ignore case.
    List<String> keys = List.of("p/\uD83D\uDE00", "p/\uFFFD", "p/日", "p/é", "p/a", "p/Z");
    for (String key : keys) {
      store.put(key, bytes("v"), Optional.empty());
    }

    assertThat(store.range("p/", 10)).extracting(Item::key)
        .containsExactly("p/Z", "p/a", "p/é", "p/日", "p/\uFFFD", "p/\uD83D\uDE00");
  }

  @Test
  void rangeTreatsPatternCharactersInThePrefixLiterally() {
    for (String key : List.of("a%/1", "ab/1", "a_/1", "a*/1", "a?/1", "a[/1", "a\\/1")) {
      store.put(key, bytes("v"), Optional.empty());
    }

    assertThat(store.range("a%", 10)).extracting(Item::key).containsExactly("a%/1");
    assertThat(store.range("a_", 10)).extracting(Item::key).containsExactly("a_/1");
    assertThat(store.range("a*", 10)).extracting(Item::key).containsExactly("a*/1");
    assertThat(store.range("a[", 10)).extracting(Item::key).containsExactly("a[/1");
    assertThat(store.range("a\\", 10)).extracting(Item::key).containsExactly("a\\/1");
  }

  @Test
  void rangeWorksForPrefixesEndingInTheHighestCodePoints() {
    String top = new String(Character.toChars(Character.MAX_CODE_POINT));
    for (String key : List.of("q" + top, "q" + top + "x", "r", "q\uD7FFx", "q\uE000")) {
      store.put(key, bytes("v"), Optional.empty());
    }

    assertThat(store.range("q" + top, 10)).extracting(Item::key)
        .containsExactly("q" + top, "q" + top + "x");
    assertThat(store.range("q\uD7FF", 10)).extracting(Item::key).containsExactly("q\uD7FFx");
  }

  @Test
  void takeReturnsTheItemOnceAndRemovesIt() {
    Item written = store.put("oidc/state/s1", bytes("nonce"), in(Duration.ofMinutes(5)));

    assertThat(store.take("oidc/state/s1")).contains(written);
    assertThat(store.take("oidc/state/s1")).isEmpty();
    assertThat(store.get("oidc/state/s1")).isEmpty();
  }

  @Test
  void concurrentTakesOfOneKeyHaveExactlyOneWinner() throws Exception {
    int threads = 8;
    for (int round = 0; round < 10; round++) {
      String key = "oidc/state/" + round;
      store.put(key, bytes("single-use"), Optional.empty());

      List<Optional<Item>> results = Concurrently.run(threads, () -> store.take(key));

      assertThat(results.stream().filter(Optional::isPresent)).as("winners of round " + round).hasSize(1);
    }
  }

  @Test
  void itemsAndRevisionsSurviveCloseAndReopen() {
    Item kept = store.put("users/alice", bytes("alice"), in(Duration.ofDays(1)));
    Item newest = store.put("scratch", bytes("x"), Optional.empty());
    store.delete("scratch");

    reopen();

    assertThat(store.get("users/alice")).contains(kept);
    assertThat(store.get("scratch")).isEmpty();
    // Revisions keep growing even though the item with the newest one was deleted before the restart.
    assertThat(store.put("other", bytes("y"), Optional.empty()).revision())
        .isGreaterThan(newest.revision());
  }

  @Test
  void rejectsKeysThatAreBlankTooLongOrNotPrintable() {
    String longest = "k".repeat(512);
    store.put(longest, bytes("v"), Optional.empty());
    assertThat(store.get(longest)).isPresent();

    for (String bad : List.of("", "   ", "k".repeat(513), "a\nb", "a\u0000b", "a\u007Fb", "a\u0085b", "a\uD800b")) {
      assertThatThrownBy(() -> store.put(bad, bytes("v"), Optional.empty()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("key: ");
      assertThatThrownBy(() -> store.get(bad)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.take(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> store.get(null)).isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> store.range("a\tb", 10)).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.range("", 10)).extracting(Item::key).containsExactly(longest);
  }

  @Test
  void rejectsRangeLimitsOutsideOneToTenThousand() {
    assertThatThrownBy(() -> store.range("", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit: 0 (expected: 1..10000)");
    assertThatThrownBy(() -> store.range("", 10_001)).isInstanceOf(IllegalArgumentException.class);
  }
}
