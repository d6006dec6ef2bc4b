package dev.portcullis.cli.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A PKCE pair (RFC 7636, S256): the secret {@code verifier} stays in the CLI until the code exchange, the
 * {@code challenge} goes through the browser. Also makes the random {@code state} of the browser sign-in.
 *
 * @param verifier  43 characters of base64url from 32 random bytes
 * @param challenge {@code BASE64URL(SHA256(verifier))}
 */
public record Pkce(String verifier, String challenge) {

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  public static Pkce create(SecureRandom random) {
    String verifier = randomToken(random);
    return new Pkce(verifier, challengeOf(verifier));
  }

  public static String challengeOf(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return BASE64URL.encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** 256 random bits as 43 base64url characters. */
  public static String randomToken(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return BASE64URL.encodeToString(bytes);
  }

  @Override
  public String toString() {
    return "Pkce[challenge=" + challenge + "]";
  }
}
