package dev.portcullis.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/** A mutable {@link InstantSource} for tests: time stands still until the test sets or advances it. */
public final class TestClock implements InstantSource {

  private final AtomicReference<Instant> now;

  public TestClock(Instant start) {
    this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
  }

  /** A clock frozen at the real current time: for tests against real providers, whose tokens carry real times. */
  public static TestClock frozenNow() {
    return new TestClock(Instant.now());
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  /** Moves the clock by {@code amount}, which may be negative. Returns the new time. */
  public Instant advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    return now.updateAndGet(t -> t.plus(amount));
  }
}
