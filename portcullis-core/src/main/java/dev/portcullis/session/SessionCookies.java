package dev.portcullis.session;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encodes and verifies the opaque session handle a browser holds: the session id and an HMAC-SHA256
 * over it and the host the cookie belongs to.
 *
 * <p>Binding the host means a handle copied from one app's cookie jar is refused on every other host,
 * so each host gets its own handle through the sign-in handshake.
 */
public final class SessionCookies {
  private static final String CONTEXT = "portcullis-session-v1";
  private static final int TAG_BYTES = 32;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  // Every proxied request verifies a handle; a Mac per thread avoids a provider lookup per request.
  private final ThreadLocal<Mac> macs;
  /**
   * The last handle each thread verified. A session's requests present the same handle again and again,
   * and verifying is a pure function of handle, host and key, so an identical handle for the same host
   * gets the same answer without another HMAC. It is compared in constant time: it may be another user's.
   */
  private final ThreadLocal<Verified> lastVerified = new ThreadLocal<>();

  private record Verified(String cookieValue, String host, String sessionId) {}

  public SessionCookies(byte[] hmacKey) {
    requireNonNull(hmacKey, "hmacKey");
    if (hmacKey.length < 32) {
      throw new IllegalArgumentException("hmacKey: " + hmacKey.length + " bytes (expected: >= 32)");
    }
    SecretKeySpec key = new SecretKeySpec(hmacKey.clone(), "HmacSHA256");
    this.macs = ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is unavailable", e);
      }
    });
  }

  /** The cookie value for a session on a host. */
  public String encode(String sessionId, String host) {
    return sessionId + "." + ENCODER.encodeToString(tag(sessionId, host));
  }

  /** The session id, when the value is a handle this key signed for this host. */
  public Optional<String> decode(String cookieValue, String host) {
    if (cookieValue == null || cookieValue.length() > 256) {
      return Optional.empty();
    }
    Verified last = lastVerified.get();
    if (last != null && last.host().equals(host) && sameHandle(last.cookieValue(), cookieValue)) {
      return Optional.of(last.sessionId());
    }
    int dot = cookieValue.indexOf('.');
    if (dot <= 0 || dot != cookieValue.lastIndexOf('.')) {
      return Optional.empty();
    }
    String sessionId = cookieValue.substring(0, dot);
    byte[] presented;
    try {
      presented = DECODER.decode(cookieValue.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!MessageDigest.isEqual(presented, tag(sessionId, host))) {
      return Optional.empty();
    }
    lastVerified.set(new Verified(cookieValue, host, sessionId));
    return Optional.of(sessionId);
  }

  /** Equal strings, in time that depends on their length only. */
  private static boolean sameHandle(String known, String presented) {
    if (known.length() != presented.length()) {
      return false;
    }
    int difference = 0;
    for (int i = 0; i < known.length(); i++) {
      difference |= known.charAt(i) ^ presented.charAt(i);
    }
    return difference == 0;
  }

  private byte[] tag(String sessionId, String host) {
    Mac mac = macs.get();
    mac.update(CONTEXT.getBytes(StandardCharsets.US_ASCII));
    mac.update((byte) 0);
    mac.update(host.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    byte[] full = mac.doFinal(sessionId.getBytes(StandardCharsets.UTF_8));
    return java.util.Arrays.copyOf(full, TAG_BYTES);
  }
}
