package dev.portcullis.bastion.sessions;

import dev.portcullis.store.Item;
import dev.portcullis.store.Store;
import dev.portcullis.store.StoreEvent;
import dev.portcullis.store.StoreWrite;
import dev.portcullis.store.Subscription;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** A store that notes every call made on it (operation and key), to check how much work a caller does. */
final class CountingStore implements Store {
  private final Store store;
  private final List<String> calls = new ArrayList<>();

  CountingStore(Store store) {
    this.store = store;
  }

  /** The calls since the last {@link #clear()}, such as {@code "get ssh-sessions/s-1"}. */
  synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  synchronized void clear() {
    calls.clear();
  }

  private synchronized void note(String operation, String key) {
    calls.add(operation + " " + key);
  }

  @Override
  public Optional<Item> get(String key) {
    note("get", key);
    return store.get(key);
  }

  @Override
  public List<Item> range(String prefix, int limit) {
    note("range", prefix);
    return store.range(prefix, limit);
  }

  @Override
  public Item put(String key, byte[] value, Optional<Instant> expires) {
    note("put", key);
    return store.put(key, value, expires);
  }

  @Override
  public Optional<Item> create(String key, byte[] value, Optional<Instant> expires) {
    note("create", key);
    return store.create(key, value, expires);
  }

  @Override
  public Optional<Item> compareAndSwap(String key, long expectedRevision, byte[] value, Optional<Instant> expires) {
    note("compareAndSwap", key);
    return store.compareAndSwap(key, expectedRevision, value, expires);
  }

  @Override
  public boolean delete(String key) {
    note("delete", key);
    return store.delete(key);
  }

  /** Notes a batch as one call, such as {@code "apply [put ssh-sessions-live/s-1, create ssh-sessions/s-1]"}. */
  @Override
  public Optional<List<Item>> apply(List<StoreWrite> writes) {
    note("apply", writes.stream().map(CountingStore::describe).toList().toString());
    return store.apply(writes);
  }

  private static String describe(StoreWrite write) {
    String operation = switch (write) {
      case StoreWrite.Put put -> "put";
      case StoreWrite.Create create -> "create";
      case StoreWrite.CompareAndSwap swap -> "compareAndSwap";
      case StoreWrite.Delete delete -> "delete";
    };
    return operation + " " + write.key();
  }

  @Override
  public Optional<Item> take(String key) {
    note("take", key);
    return store.take(key);
  }

  @Override
  public int deleteExpired() {
    note("deleteExpired", "");
    return store.deleteExpired();
  }

  @Override
  public Subscription watch(String prefix, Consumer<StoreEvent> listener) {
    return store.watch(prefix, listener);
  }

  @Override
  public void close() {
    store.close();
  }
}
