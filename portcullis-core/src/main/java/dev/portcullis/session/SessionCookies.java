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
    return MessageDigest.isEqual(presented, tag(sessionId, host)) ? Optional.of(sessionId) : Optional.empty();
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
