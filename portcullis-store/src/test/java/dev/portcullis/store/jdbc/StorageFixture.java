package dev.portcullis.store.jdbc;

import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Opens a fresh {@link Storage} for each test on a hand-moved clock, and closes it afterwards; a
 * backend's test says how to open its storage and how to throw its data away.
 */
abstract class StorageFixture {
  protected static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  protected final MutableClock clock = new MutableClock(START);
  protected Storage storage;

  /** Opens storage on this test's data; every call within one test opens the same data. */
  protected abstract Storage openStorage(InstantSource clock);

  /** Removes this test's data once its storage is closed. */
  protected void discardStorage() {}

  /** Called after the storage is (re)opened. */
  protected void opened() {}

  @BeforeEach
  final void openFixture() {
    storage = openStorage(clock);
    opened();
  }

  @AfterEach
  final void closeFixture() {
    try {
      if (storage != null) {
        storage.close();
      }
    } finally {
      discardStorage();
    }
  }

  /** Closes the storage and opens it again on the same data, as a restart would. */
  protected final void reopen() {
    storage.close();
    storage = null;
    storage = openStorage(clock);
    opened();
  }
}
