package dev.portcullis.ssh.users;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.identity.Identity;
import dev.portcullis.ssh.issuance.SshKeyId;
import dev.portcullis.store.Item;
import dev.portcullis.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The identity facts of everyone who holds an SSH certificate, by certificate key id, so nodes can ask
 * what a certificate's user may do now: with today's roles and locks, not those at issuance.
 */
public final class SshUsers {
  private static final String PREFIX = "ssh-users/";
  private static final java.time.Duration SLACK = java.time.Duration.ofHours(1);
  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

  private final Store store;

  public SshUsers(Store store) {
    this.store = requireNonNull(store, "store");
  }

  /**
   * Remembers the user until their newest certificate expires. A user who asks again with unchanged
   * facts within the hour costs no write: the record is kept an hour past the certificate it was
   * written for.
   */
  public void remember(Identity identity, Instant certificateValidBefore) {
    String key = PREFIX + SshKeyId.of(identity).encode();
    Optional<Item> existing = store.get(key);
    if (existing.isPresent() && existing.get().expires().filter(e -> !e.isBefore(certificateValidBefore)).isPresent()
        && read(existing.get().value()).equals(identity)) {
      return;
    }
    Instant keep = certificateValidBefore.plus(SLACK);
    try {
      store.put(key, JSON.writeValueAsBytes(identity), Optional.of(keep));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The user a certificate key id names, while any certificate of theirs may still be valid. */
  public Optional<Identity> byKeyId(String keyId) {
    try {
      SshKeyId id = SshKeyId.parse(keyId);
      return store.get(PREFIX + id.encode()).map(item -> read(item.value()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public List<Identity> all() {
    return store.range(PREFIX, 10_000).stream().map(item -> read(item.value())).toList();
  }

  private static Identity read(byte[] json) {
    try {
      return JSON.readValue(json, Identity.class);
    } catch (IOException e) {
      throw new UncheckedIOException("stored SSH user is malformed", e);
    }
  }
}
