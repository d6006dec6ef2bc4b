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

  /**
   * What a put, create or compare-and-swap stores: the bytes, copied in and out, and when they expire. Its
   * {@code toString()} gives the length only, because values often hold tokens.
   */
  record Content(byte[] bytes, Optional<Instant> expires) {
    public Content {
      bytes = requireNonNull(bytes, "value").clone();
      requireNonNull(expires, "expires");
    }

    /** A copy of the bytes. */
    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Content that && Arrays.equals(bytes, that.bytes) && expires.equals(that.expires);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes) * 31 + expires.hashCode();
    }

    @Override
    public String toString() {
      return "<" + bytes.length + " bytes>, expires=" + expires;
    }
  }

  /** A put, create or compare-and-swap: a write that stores a value. */
  sealed interface WithValue extends StoreWrite {
    /** The value and its expiry. */
    Content content();

    /** A copy of the bytes to write. */
    default byte[] value() {
      return content().bytes();
    }

    default Optional<Instant> expires() {
      return content().expires();
    }
  }

  /** As {@link Store#put}: writes the item whatever was there before. */
  record Put(String key, Content content) implements WithValue {
    public Put {
      StoreKeys.requireValid(key);
      requireNonNull(content, "content");
    }

    public Put(String key, byte[] value, Optional<Instant> expires) {
      this(key, new Content(value, expires));
    }
  }

  /** As {@link Store#create}: writes the item only when no live item has the key, else refuses the batch. */
  record Create(String key, Content content) implements WithValue {
    public Create {
      StoreKeys.requireValid(key);
      requireNonNull(content, "content");
    }

    public Create(String key, byte[] value, Optional<Instant> expires) {
      this(key, new Content(value, expires));
    }
  }

  /**
   * As {@link Store#compareAndSwap}: replaces the live item only while it still has {@code
   * expectedRevision}, else refuses the batch.
   *
   * @param expectedRevision the revision the caller read, at least 1 (no stored item has less)
   */
  record CompareAndSwap(String key, long expectedRevision, Content content) implements WithValue {
    public CompareAndSwap {
      StoreKeys.requireValid(key);
      if (expectedRevision < 1) {
        throw new IllegalArgumentException(
            "expectedRevision: " + expectedRevision + " (expected: >= 1)");
      }
      requireNonNull(content, "content");
    }

    public CompareAndSwap(String key, long expectedRevision, byte[] value, Optional<Instant> expires) {
      this(key, expectedRevision, new Content(value, expires));
    }
  }

  /** As {@link Store#delete}: deletes the live item; a missing key is no refusal. */
  record Delete(String key) implements StoreWrite {
    public Delete {
      StoreKeys.requireValid(key);
    }
  }
}
