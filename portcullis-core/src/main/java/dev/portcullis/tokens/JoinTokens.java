package dev.portcullis.tokens;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.store.Item;
import dev.portcullis.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One-time join tokens that an admin hands to a new server: each works once, until it expires.
 *
 * <p>Only a SHA-256 of each token is stored, so reading the store does not reveal a usable token.
 */
public final class JoinTokens {
  private static final String PREFIX = "tokens/";
  private static final Duration MAX_TTL = Duration.ofDays(7);
  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

  private final Store store;
  private final InstantSource clock;
  private final SecureRandom random;

  public JoinTokens(Store store, InstantSource clock, SecureRandom random) {
    this.store = requireNonNull(store, "store");
    this.clock = requireNonNull(clock, "clock");
    this.random = requireNonNull(random, "random");
  }

  /** What a token lets its holder join as. */
  public enum Kind {
    NODE
  }

  /** A token as listed: never the token itself, only its hash prefix. */
  public record TokenInfo(String id, Kind kind, Instant created, Instant expires) {}

  /** A freshly created token; {@link #token()} is shown once to the admin and never stored. */
  public record Issued(String token, TokenInfo info) {
    @Override
    public String toString() {
      return "Issued[token=redacted, info=" + info + "]";
    }
  }

  private record Stored(Kind kind, Instant created, Instant expires) {}

  public Issued create(Kind kind, Duration ttl) {
    requireNonNull(kind, "kind");
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("ttl: " + ttl + " (expected: more than 0 and at most 7d)");
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant();
    Stored stored = new Stored(kind, now, now.plus(ttl));
    String id = hash(token);
    store.put(PREFIX + id, write(stored), Optional.of(stored.expires()));
    return new Issued(token, new TokenInfo(id.substring(0, 12), kind, now, stored.expires()));
  }

  /** Uses the token up: the kind it grants, once; empty when unknown, expired or already used. */
  public Optional<Kind> redeem(String token) {
    if (token == null || !token.matches("[A-Za-z0-9_-]{43}")) {
      return Optional.empty();
    }
    return store.take(PREFIX + hash(token)).map(item -> read(item).kind());
  }

  public List<TokenInfo> list() {
    return store.range(PREFIX, 10_000).stream().map(item -> {
      Stored stored = read(item);
      return new TokenInfo(item.key().substring(PREFIX.length(), PREFIX.length() + 12), stored.kind(),
          stored.created(), stored.expires());
    }).toList();
  }

  private static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  private static byte[] write(Stored stored) {
    try {
      return JSON.writeValueAsBytes(stored);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stored read(Item item) {
    try {
      return JSON.readValue(item.value(), Stored.class);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("stored join token " + item.key() + " is malformed", e);
    }
  }
}
