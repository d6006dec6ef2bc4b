package dev.portcullis.store.jdbc.internal;

import java.time.Instant;
import java.util.Optional;

/** Conversions between instants and the integer columns that both backends store times in. */
public final class Times {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private Times() {}

  /** Epoch milliseconds of an expiry, for the store's expires_at column. */
  public static long expiryMillis(Instant expires) {
    try {
      return expires.toEpochMilli();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "expires: " + expires + " (expected: within the range of epoch milliseconds)", e);
    }
  }

  /** The expiry as it is stored: truncated to the millisecond. */
  public static Optional<Instant> storedExpiry(Optional<Instant> expires) {
    return expires.map(e -> Instant.ofEpochMilli(expiryMillis(e)));
  }

  /** Epoch nanoseconds of an audit event's time, for the audit log's time_nanos column. */
  public static long eventNanos(Instant time) {
    try {
      return Math.addExact(Math.multiplyExact(time.getEpochSecond(), NANOS_PER_SECOND), time.getNano());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "time: " + time + " (expected: between the years 1678 and 2261)", e);
    }
  }

  /** Epoch nanoseconds of a search bound, clamped so that a far-away bound still means "no bound". */
  public static long boundNanos(Instant bound) {
    try {
      return eventNanos(bound);
    } catch (IllegalArgumentException e) {
      return bound.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
