package dev.portcullis.oidc.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/** Random values for state, nonce and PKCE, and constant-time comparison of them. */
public final class Secrets {

  /** 256 bits: well above the 128-bit floor for state, nonce and the PKCE verifier. */
  private static final int BYTES = 32;

  private Secrets() {}

  /** 32 random bytes, base64url without padding (43 characters, a valid PKCE verifier). */
  public static String random(SecureRandom random) {
    byte[] bytes = new byte[BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Compares without leaking the position of the first difference through timing. */
  public static boolean constantTimeEquals(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
