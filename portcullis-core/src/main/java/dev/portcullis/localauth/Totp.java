package dev.portcullis.localauth;

import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps) as authenticator apps
 * produce them.
 *
 * <p>One step of clock drift is accepted either way. {@link #matchingStep} returns the step that
 * matched so the caller can refuse a code that was already used (replay).
 */
public final class Totp {
  private static final int DIGITS = 6;
  private static final long STEP_SECONDS = 30;
  private static final int DRIFT_STEPS = 1;

  private final byte[] secret;

  private Totp(byte[] secret) {
    this.secret = secret;
  }

  /** A TOTP generator for a base32 secret as shown in authenticator QR codes. */
  public static Totp fromBase32(String base32Secret) {
    byte[] secret = Base32.decode(requireNonNull(base32Secret, "base32Secret"));
    if (secret.length < 10) {
      throw new IllegalArgumentException("totp_secret: " + secret.length + " bytes (expected: >= 10 bytes, 16 base32 characters)");
    }
    return new Totp(secret);
  }

  /** The code for the step that contains the instant. */
  public String codeAt(Instant instant) {
    return format(truncate(hmac(step(instant))));
  }

  /** The step whose code equals the candidate, within the allowed drift, or empty. */
  public OptionalLong matchingStep(String candidate, Instant now) {
    if (candidate == null || !candidate.matches("\\d{" + DIGITS + "}")) {
      return OptionalLong.empty();
    }
    long current = step(now);
    OptionalLong match = OptionalLong.empty();
    // Check every step in the window so timing does not reveal which one matched.
    for (long step = current - DRIFT_STEPS; step <= current + DRIFT_STEPS; step++) {
      boolean equal = MessageDigest.isEqual(format(truncate(hmac(step))).getBytes(), candidate.getBytes());
      if (equal && match.isEmpty()) {
        match = OptionalLong.of(step);
      }
    }
    return match;
  }

  private static long step(Instant instant) {
    return Math.floorDiv(instant.getEpochSecond(), STEP_SECONDS);
  }

  private byte[] hmac(long step) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret, "HmacSHA1"));
      byte[] counter = new byte[8];
      for (int i = 7; i >= 0; i--) {
        counter[i] = (byte) (step & 0xff);
        step >>>= 8;
      }
      return mac.doFinal(counter);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is unavailable", e);
    }
  }

  private static int truncate(byte[] hash) {
    int offset = hash[hash.length - 1] & 0x0f;
    return ((hash[offset] & 0x7f) << 24)
        | ((hash[offset + 1] & 0xff) << 16)
        | ((hash[offset + 2] & 0xff) << 8)
        | (hash[offset + 3] & 0xff);
  }

  private static String format(int binary) {
    return String.format("%0" + DIGITS + "d", binary % 1_000_000);
  }
}
