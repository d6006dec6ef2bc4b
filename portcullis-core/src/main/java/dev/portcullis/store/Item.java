package dev.portcullis.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * One stored record: its key, its opaque value and the revision the store gave its last write.
 *
 * <p>The value is copied in and out so that no caller can change a stored item, and {@link
 * #toString()} leaves the value out because values often hold tokens.
 *
 * @param key the key, valid by {@link StoreKeys#requireValid(String)}
 * @param value the bytes as written (callers store JSON)
 * @param revision the store-wide revision of the write that produced this item, at least 1
 * @param expires when the item stops being visible, or empty for never
 */
public record Item(String key, byte[] value, long revision, Optional<Instant> expires) {

  public Item {
    StoreKeys.requireValid(key);
    value = requireNonNull(value, "value").clone();
    if (revision < 1) {
      throw new IllegalArgumentException("revision: " + revision + " (expected: >= 1)");
    }
    requireNonNull(expires, "expires");
  }

  /** A copy of the stored bytes. */
  @Override
  public byte[] value() {
    return value.clone();
  }

  /** Whether the item is still visible at {@code now}. */
  public boolean liveAt(Instant now) {
    return expires.isEmpty() || expires.get().isAfter(now);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Item that
        && key.equals(that.key)
        && Arrays.equals(value, that.value)
        && revision == that.revision
        && expires.equals(that.expires);
  }

  @Override
  public int hashCode() {
    return ((key.hashCode() * 31 + Arrays.hashCode(value)) * 31 + Long.hashCode(revision)) * 31
        + expires.hashCode();
  }

  @Override
  public String toString() {
    return "Item[key=" + key + ", value=<" + value.length + " bytes>, revision=" + revision
        + ", expires=" + expires.map(Instant::toString).orElse("never") + "]";
  }
}
