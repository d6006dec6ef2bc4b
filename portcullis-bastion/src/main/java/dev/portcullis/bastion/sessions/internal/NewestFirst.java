package dev.portcullis.bastion.sessions.internal;

import dev.portcullis.store.Item;
import dev.portcullis.store.Store;
import dev.portcullis.store.StoreKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the last items under a prefix, last key first, from a {@link Store} that only ranges forwards with
 * a limit: a prefix with too many items to read at once is split by the next key character, highest first.
 * The keys after the prefix must be made of {@link #ALPHABET} characters.
 */
public final class NewestFirst {
  /** The characters of a session id, in code point order (which is the store's key order). */
  public static final String ALPHABET = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private final Store store;
  private final int pageSize;

  /** @param pageSize the most items one range call reads, 1 to {@value StoreKeys#MAX_RANGE_LIMIT} */
  public NewestFirst(Store store, int pageSize) {
    this.store = store;
    this.pageSize = StoreKeys.requireValidLimit(pageSize);
  }

  /** Up to {@code limit} items under {@code prefix}, in descending key order. */
  public List<Item> last(String prefix, int limit) {
    List<Item> found = new ArrayList<>(Math.min(limit, pageSize));
    collect(prefix, limit, found);
    return found;
  }

  private void collect(String prefix, int limit, List<Item> found) {
    List<Item> page = store.range(prefix, pageSize);
    if (page.size() < pageSize) {
      for (int i = page.size() - 1; i >= 0 && found.size() < limit; i--) {
        found.add(page.get(i));
      }
      return;
    }
    for (int i = ALPHABET.length() - 1; i >= 0 && found.size() < limit; i--) {
      collect(prefix + ALPHABET.charAt(i), limit, found);
    }
    // A key equal to the prefix sorts before every longer key under it, so it comes last.
    if (found.size() < limit && page.getFirst().key().equals(prefix)) {
      found.add(page.getFirst());
    }
  }
}
