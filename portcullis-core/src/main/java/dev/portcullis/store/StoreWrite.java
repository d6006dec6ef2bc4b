package dev.portcullis.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One write of a {@link Store#apply(List) batch}: the same checks and meaning as the single-key method of
 * the same name, so that several keys can change in one transaction. Values are copied in and out, and
 * {@code toString()} leaves them out because values often hold tokens.
 */
public sealed interface StoreWrite {
  /** The most writes in one batch, which bounds how long one transaction holds the store's writers. */
  int MAX_BATCH = 100;

  /** The key this write is about. */
  String key();

  /**
   * Returns an immutable copy of {@code writes} when it is a valid batch: 1 to {@value #MAX_BATCH} writes,
   * none of them null; else throws an exception that says what is wrong.
   */
  static List<StoreWrite> requireValidBatch(List<? extends StoreWrite> writes) {
    if (writes == null) {
      throw new NullPointerException("writes");
    }
    if (writes.isEmpty() || writes.size() > MAX_BATCH) {
      throw new IllegalArgumentException(
          "writes: " + writes.size() + " writes (expected: 1.." + MAX_BATCH + ")");
    }
    for (int i = 0; i < writes.size(); i++) {
      if (writes.get(i) == null) {
        throw new NullPointerException("writes[" + i + "]: null (expected: a write)");
      }
    }
    return List.copyOf(writes);
  }

  /** As {@link Store#put}: writes the item whatever was there before. */
  record Put(String key, byte[] value, Optional<Instant> expires) implements StoreWrite {
    public Put {
      StoreKeys.requireValid(key);
      value = requireNonNull(value, "value").clone();
      requireNonNull(expires, "expires");
    }

    /** A copy of the bytes to write. */
    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Put that
          && key.equals(that.key) && Arrays.equals(value, that.value) && expires.equals(that.expires);
    }

    @Override
    public int hashCode() {
      return (key.hashCode() * 31 + Arrays.hashCode(value)) * 31 + expires.hashCode();
    }

    @Override
    public String toString() {
      return "Put[key=" + key + ", value=<" + value.length + " bytes>, expires=" + expires + "]";
    }
  }

  /** As {@link Store#create}: writes the item only when no live item has the key, else refuses the batch. */
  record Create(String key, byte[] value, Optional<Instant> expires) implements StoreWrite {
    public Create {
      StoreKeys.requireValid(key);
      value = requireNonNull(value, "value").clone();
      requireNonNull(expires, "expires");
    }

    /** A copy of the bytes to write. */
    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Create that
          && key.equals(that.key) && Arrays.equals(value, that.value) && expires.equals(that.expires);
    }

    @Override
    public int hashCode() {
      return (key.hashCode() * 31 + Arrays.hashCode(value)) * 31 + expires.hashCode();
    }

    @Override
    public String toString() {
      return "Create[key=" + key + ", value=<" + value.length + " bytes>, expires=" + expires + "]";
    }
  }

  /**
   * As {@link Store#compareAndSwap}: replaces the live item only while it still has {@code
   * expectedRevision}, else refuses the batch.
   *
   * @param expectedRevision the revision the caller read, at least 1 (no stored item has less)
   */
  record CompareAndSwap(String key, long expectedRevision, byte[] value, Optional<Instant> expires)
      implements StoreWrite {
    public CompareAndSwap {
      StoreKeys.requireValid(key);
      if (expectedRevision < 1) {
        throw new IllegalArgumentException(
            "expectedRevision: " + expectedRevision + " (expected: >= 1)");
      }
      value = requireNonNull(value, "value").clone();
      requireNonNull(expires, "expires");
    }

    /** A copy of the bytes to write. */
    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof CompareAndSwap that
          && key.equals(that.key) && expectedRevision == that.expectedRevision
          && Arrays.equals(value, that.value) && expires.equals(that.expires);
    }

    @Override
    public int hashCode() {
      return ((key.hashCode() * 31 + Long.hashCode(expectedRevision)) * 31 + Arrays.hashCode(value)) * 31
          + expires.hashCode();
    }

    @Override
    public String toString() {
      return "CompareAndSwap[key=" + key + ", expectedRevision=" + expectedRevision + ", value=<"
          + value.length + " bytes>, expires=" + expires + "]";
    }
  }

  /** As {@link Store#delete}: deletes the live item; a missing key is no refusal. */
  record Delete(String key) implements StoreWrite {
    public Delete {
      StoreKeys.requireValid(key);
    }
  }
}
