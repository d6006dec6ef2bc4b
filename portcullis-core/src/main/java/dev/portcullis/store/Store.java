package dev.portcullis.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Keyed records with revisions, expiry and change watches: the one storage interface that typed
 * repositories (users, sessions, tokens, locks) are built on, with an embedded and a shared backend.
 *
 * <p>Keys are checked by {@link StoreKeys#requireValid(String)} and ordered by their UTF-8 bytes (the
 * same as Unicode code point order). An item whose expiry is at or before the store's clock is absent
 * from every read and cannot be swapped, taken or deleted; {@link #deleteExpired()} removes it for
 * good. Expiry times are kept to the millisecond. Failures of the backend surface as {@link
 * StoreException}.
 */
public interface Store extends AutoCloseable {

  /** The live item under {@code key}, or empty when there is none or it has expired. */
  Optional<Item> get(String key);

  /**
   * Up to {@code limit} live items whose keys start with {@code prefix}, in key order.
   *
   * @param prefix the key prefix; empty for every key
   * @param limit the most items to return, 1 to {@value StoreKeys#MAX_RANGE_LIMIT}
   */
  List<Item> range(String prefix, int limit);

  /** Writes the item whatever was there before and returns it with its new revision. */
  Item put(String key, byte[] value, Optional<Instant> expires);

  /** Writes the item only when no live item has the key; empty when one does. */
  Optional<Item> create(String key, byte[] value, Optional<Instant> expires);

  /**
   * Replaces the live item only while it still has {@code expectedRevision}; empty when it was
   * changed, deleted or has expired since it was read.
   */
  Optional<Item> compareAndSwap(
      String key, long expectedRevision, byte[] value, Optional<Instant> expires);

  /** Deletes the live item; false when there was none. */
  boolean delete(String key);

  /**
   * Applies {@code writes} in order in one transaction, all or none, so that related keys change
   * together and cost one commit. The batch is refused, with nothing changed and no watch event, when a
   * {@link StoreWrite.Create} finds its key live or a {@link StoreWrite.CompareAndSwap} finds another
   * revision (or no live item), counting the batch's own earlier writes. Watches hear of each write of an
   * applied batch, in order, as of the single-key methods.
   *
   * @param writes 1 to {@value StoreWrite#MAX_BATCH} writes, none null
   * @return the items written by the batch's puts, creates and swaps, in batch order (deletes add
   *     none); empty when the batch was refused
   */
  Optional<List<Item>> apply(List<StoreWrite> writes);

  /**
   * Atomically reads and deletes the live item, for single-use values such as OIDC state: of any
   * number of concurrent calls for one key, exactly one gets the item.
   */
  Optional<Item> take(String key);

  /** Removes expired items and returns how many; callers run it periodically. */
  int deleteExpired();

  /**
   * Calls {@code listener} after each committed put or delete of a key under {@code prefix}, including
   * writes made by other processes when the backend is shared. Events arrive in commit order on one
   * store thread, so listeners must be quick and must not block. A put that is overwritten before it
   * is delivered may be delivered only as its newest state, and a watch may also hear of writes
   * committed just before it was registered. To build a cache, watch first and then read.
   */
  Subscription watch(String prefix, Consumer<StoreEvent> listener);

  /**
   * Stops watches and the threads behind them; further calls fail with {@link IllegalStateException}.
   * Connections belong to whoever opened the store and are released when it closes.
   */
  @Override
  void close();
}
