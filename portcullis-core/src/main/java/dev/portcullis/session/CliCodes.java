package dev.portcullis.session;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Optional;

/**
 * One-time codes that hand a browser session's identity to the command line (RFC 8252 loopback
 * redirect with PKCE, RFC 7636): issued after the user confirms in the browser, redeemed once, within
 * a minute, only with the verifier whose hash the command line sent first.
 */
public final class CliCodes {
  private static final String PREFIX = "cli-codes/";
  private static final Duration LIFETIME = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Store store;
  private final InstantSource clock;
  private final SecureRandom random;

  public CliCodes(Store store, InstantSource clock, SecureRandom random) {
    this.store = requireNonNull(store, "store");
    this.clock = requireNonNull(clock, "clock");
    this.random = requireNonNull(random, "random");
  }

  private record Grant(String sessionId, String challenge) {}

  /** A code for the session, bound to the PKCE challenge (BASE64URL(SHA-256(verifier))). */
  public String issue(String sessionId, String challenge) {
    if (challenge == null || !challenge.matches("[A-Za-z0-9_-]{43}")) {
      throw new IllegalArgumentException("challenge: expected BASE64URL(SHA-256(verifier)), 43 characters");
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    try {
      store.put(PREFIX + code, JSON.writeValueAsBytes(new Grant(sessionId, challenge)),
          Optional.of(clock.instant().plus(LIFETIME)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return code;
  }

  /** The session the code stands for; the code is spent whether or not the verifier matches. */
  public Optional<String> redeem(String code, String verifier) {
    if (code == null || !code.matches("[A-Za-z0-9_-]{43}") || verifier == null
        || !verifier.matches("[A-Za-z0-9._~-]{43,128}")) {
      return Optional.empty();
    }
    return store.take(PREFIX + code).flatMap(item -> {
      try {
        Grant grant = JSON.readValue(item.value(), Grant.class);
        return MessageDigest.isEqual(challengeOf(verifier).getBytes(StandardCharsets.US_ASCII),
            grant.challenge().getBytes(StandardCharsets.US_ASCII)) ? Optional.of(grant.sessionId()) : Optional.empty();
      } catch (IOException e) {
        throw new UncheckedIOException("stored CLI code is malformed", e);
      }
    });
  }

  /** BASE64URL(SHA-256(verifier)), the S256 challenge. */
  public static String challengeOf(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }
}
