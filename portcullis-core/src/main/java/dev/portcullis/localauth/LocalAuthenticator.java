package dev.portcullis.localauth;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.LocalProviderConfig;
import dev.portcullis.config.LocalUserConfig;
import dev.portcullis.identity.Identity;
import dev.portcullis.store.Item;
import dev.portcullis.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Signs in users defined in the configuration: Argon2id password, then a TOTP code when the user has
 * a TOTP secret.
 *
 * <p>Failures are counted per provider and user name in the store; after {@link #MAX_FAILURES} within
 * {@link #FAILURE_WINDOW}, further attempts are refused without checking the password. A TOTP code is
 * accepted once: replaying it, even within its 30 seconds, fails.
 */
public final class LocalAuthenticator {
  static final int MAX_FAILURES = 5;
  static final Duration FAILURE_WINDOW = Duration.ofMinutes(5);
  // A valid hash of a random password, verified for unknown users so that timing does not reveal
  // which user names exist.
  private static final String DECOY_HASH =
      "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$QYSMZgTS6qUPDZHi+nACvWaV7SJ+ge+3uZ0Osm0Bi/o";

  private final Store store;
  private final InstantSource clock;

  public LocalAuthenticator(Store store, InstantSource clock) {
    this.store = requireNonNull(store, "store");
    this.clock = requireNonNull(clock, "clock");
  }

  /** The outcome of one sign-in attempt. */
  public sealed interface Result {
    record Success(Identity identity) implements Result {}

    /**
     * @param reason a stable code: {@code bad-credentials}, {@code totp-required}, {@code totp-invalid},
     *     {@code totp-replayed} or {@code throttled}
     */
    record Failure(String reason) implements Result {}
  }

  public Result authenticate(LocalProviderConfig provider, String username, char[] password, String totpCode) {
    String name = username == null ? "" : username.strip();
    Instant now = clock.instant();
    String throttleKey = "login-failures/" + provider.name() + "/" + sanitize(name);
    if (failures(throttleKey) >= MAX_FAILURES) {
      return new Result.Failure("throttled");
    }
    Optional<LocalUserConfig> user = provider.user(name);
    boolean passwordOk = PasswordHasher.verify(password, user.map(u -> u.passwordHash().value()).orElse(DECOY_HASH));
    if (user.isEmpty() || !passwordOk) {
      return fail(throttleKey, "bad-credentials", now);
    }
    if (user.get().totpSecret().isPresent()) {
      if (totpCode == null || totpCode.isBlank()) {
        return new Result.Failure("totp-required");
      }
      OptionalLong step = Totp.fromBase32(user.get().totpSecret().get().value()).matchingStep(totpCode.strip(), now);
      if (step.isEmpty()) {
        return fail(throttleKey, "totp-invalid", now);
      }
      String usedKey = "totp-used/" + provider.name() + "/" + name + "/" + step.getAsLong();
      if (store.create(usedKey, new byte[] {1}, Optional.of(now.plus(Duration.ofMinutes(3)))).isEmpty()) {
        return fail(throttleKey, "totp-replayed", now);
      }
    }
    store.delete(throttleKey);
    return new Result.Success(identityOf(provider, user.get()));
  }

  /** The identity of a local user as configured now: what sign-in gives, and what nodes judge the user by. */
  public static Identity identityOf(LocalProviderConfig provider, LocalUserConfig user) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("sub", user.username());
    claims.put("preferred_username", user.username());
    user.email().ifPresent(email -> claims.put("email", email));
    claims.put("groups", user.groups());
    return new Identity(user.username(), user.email().orElse(""), user.groups(), claims, provider.name(), user.username());
  }

  private Result fail(String throttleKey, String reason, Instant now) {
    // Count with compare-and-swap so concurrent failures are all counted.
    for (int attempt = 0; attempt < 10; attempt++) {
      Optional<Item> current = store.get(throttleKey);
      Optional<Instant> expires = Optional.of(now.plus(FAILURE_WINDOW));
      if (current.isEmpty()) {
        if (store.create(throttleKey, bytes(1), expires).isPresent()) {
          break;
        }
      } else if (store.compareAndSwap(throttleKey, current.get().revision(), bytes(count(current.get()) + 1),
          current.get().expires()).isPresent()) {
        break;
      }
    }
    return new Result.Failure(reason);
  }

  private int failures(String throttleKey) {
    return store.get(throttleKey).map(LocalAuthenticator::count).orElse(0);
  }

  private static int count(Item item) {
    return Integer.parseInt(new String(item.value(), StandardCharsets.US_ASCII));
  }

  private static byte[] bytes(int count) {
    return Integer.toString(count).getBytes(StandardCharsets.US_ASCII);
  }

  /** User names from a form are untrusted; keep store keys to a safe alphabet and length. */
  private static String sanitize(String name) {
    String safe = name.replaceAll("[^A-Za-z0-9_.@-]", "_");
    return safe.length() > 64 ? safe.substring(0, 64) : safe;
  }
}
