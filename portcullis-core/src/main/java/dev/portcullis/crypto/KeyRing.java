package dev.portcullis.crypto;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.portcullis.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The server's long-lived secrets, generated on first start and kept in the {@link Store} so that every
 * replica of a deployment signs and verifies with the same keys.
 *
 * <p>Each key is created with create-if-absent, so replicas starting together agree on one key.
 */
public final class KeyRing {
  private static final String SESSION_HMAC = "keys/session-hmac";
  private static final String ASSERTION_ES256 = "keys/assertion-es256";

  private final byte[] sessionHmacKey;
  private final ECKey assertionSigningKey;

  private KeyRing(byte[] sessionHmacKey, ECKey assertionSigningKey) {
    this.sessionHmacKey = sessionHmacKey.clone();
    this.assertionSigningKey = requireNonNull(assertionSigningKey, "assertionSigningKey");
  }

  /** The key that signs session cookie handles. */
  public byte[] sessionHmacKey() {
    return sessionHmacKey.clone();
  }

  /** The private P-256 key that signs identity assertions. */
  public ECKey assertionSigningKey() {
    return assertionSigningKey;
  }

  @Override
  public String toString() {
    return "KeyRing[assertion key " + assertionSigningKey.getKeyID() + ", secrets redacted]";
  }

  /** Loads the keys, creating any that do not exist yet. */
  public static KeyRing loadOrCreate(Store store, SecureRandom random) {
    byte[] hmac = HexFormat.of().parseHex(text(loadOrCreate(store, SESSION_HMAC, () -> {
      byte[] key = new byte[32];
      random.nextBytes(key);
      return HexFormat.of().formatHex(key);
    })));
    String jwk = text(loadOrCreate(store, ASSERTION_ES256, () -> {
      try {
        String kid = "pc-" + HexFormat.of().formatHex(randomBytes(random, 8));
        return new ECKeyGenerator(Curve.P_256).keyID(kid).secureRandom(random).generate().toJSONString();
      } catch (JOSEException e) {
        throw new IllegalStateException("cannot generate the assertion signing key", e);
      }
    }));
    try {
      return new KeyRing(hmac, ECKey.parse(jwk));
    } catch (ParseException e) {
      throw new IllegalStateException("stored assertion signing key is malformed", e);
    }
  }

  private static byte[] loadOrCreate(Store store, String key, java.util.function.Supplier<String> generator) {
    Optional<byte[]> existing = store.get(key).map(item -> item.value());
    if (existing.isPresent()) {
      return existing.get();
    }
    byte[] fresh = generator.get().getBytes(StandardCharsets.UTF_8);
    // Another replica may have won the race; its key is the one everyone uses.
    return store.create(key, fresh, Optional.empty())
        .map(item -> item.value())
        .orElseGet(() -> store.get(key).orElseThrow().value());
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] randomBytes(SecureRandom random, int count) {
    byte[] bytes = new byte[count];
    random.nextBytes(bytes);
    return bytes;
  }
}
