package dev.portcullis.locks;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.store.Store;
import dev.portcullis.store.StoreKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * Locks on users: a locked user gets no new session, certificate or node login until unlocked. Kept in
 * the store, so every replica and the node principals check see a lock as soon as it is written.
 */
public final class Locks {
  private static final String USERS = "locks/users/";
  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

  private final Store store;
  private final InstantSource clock;

  public Locks(Store store, InstantSource clock) {
    this.store = requireNonNull(store, "store");
    this.clock = requireNonNull(clock, "clock");
  }

  /** A lock as stored: who is locked, why, by whom and since when. */
  public record UserLock(String username, String reason, String lockedBy, Instant since) {
    public UserLock {
      requireNonNull(username, "username");
      reason = reason == null ? "" : reason;
      lockedBy = lockedBy == null ? "" : lockedBy;
      requireNonNull(since, "since");
    }
  }

  public UserLock lockUser(String username, String reason, String lockedBy) {
    UserLock lock = new UserLock(checked(username), reason, lockedBy, clock.instant());
    store.put(USERS + username, write(lock), Optional.empty());
    return lock;
  }

  /** Removes the lock; false when the user was not locked. */
  public boolean unlockUser(String username) {
    return store.delete(USERS + checked(username));
  }

  /** Reads the store every time: a lock must take effect at once, so it is never served from a cache. */
  public Optional<UserLock> userLock(String username) {
    if (username == null || username.isBlank()) {
      return Optional.empty();
    }
    return store.get(USERS + username).map(item -> read(item.value()));
  }

  public List<UserLock> list() {
    return store.range(USERS, 10_000).stream().map(item -> read(item.value())).toList();
  }

  private static String checked(String username) {
    if (username == null || username.isBlank() || username.length() > 128) {
      throw new IllegalArgumentException("username: '" + username + "' (expected: 1-128 characters)");
    }
    StoreKeys.requireValid(USERS + username);
    return username;
  }

  private static byte[] write(UserLock lock) {
    try {
      return JSON.writeValueAsBytes(lock);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static UserLock read(byte[] json) {
    try {
      return JSON.readValue(json, UserLock.class);
    } catch (IOException e) {
      throw new UncheckedIOException("stored lock is malformed", e);
    }
  }
}
