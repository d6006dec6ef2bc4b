package dev.portcullis.localauth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Hashes and verifies local-user passwords with Argon2id, stored as PHC strings
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}).
 *
 * <p>The default cost follows the OWASP password storage guidance (19 MiB, 2 passes, 1 lane).
 */
public final class PasswordHasher {
  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{16,128})");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getDecoder();
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  private final SecureRandom random;
  private final int memoryKiB;
  private final int iterations;
  private final int parallelism;

  public PasswordHasher(SecureRandom random) {
    this(random, 19_456, 2, 1);
  }

  public PasswordHasher(SecureRandom random, int memoryKiB, int iterations, int parallelism) {
    this.random = requireNonNull(random, "random");
    if (memoryKiB < 8 * parallelism) {
      throw new IllegalArgumentException("memoryKiB: " + memoryKiB + " (expected: >= 8 * parallelism)");
    }
    this.memoryKiB = memoryKiB;
    this.iterations = iterations;
    this.parallelism = parallelism;
  }

  /** A new PHC string for the password, with a fresh random salt. */
  public String hash(char[] password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = derive(password, salt, memoryKiB, iterations, parallelism, HASH_BYTES);
    return "$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s"
        .formatted(memoryKiB, iterations, parallelism, B64.encodeToString(salt), B64.encodeToString(hash));
  }

  /** Whether the password matches the PHC string; compares in constant time. */
  public static boolean verify(char[] password, String phc) {
    Matcher m = PHC.matcher(requireNonNull(phc, "phc"));
    if (!m.matches()) {
      throw new IllegalArgumentException("password_hash: not an Argon2id PHC string (expected: $argon2id$v=19$m=..,t=..,p=..$salt$hash)");
    }
    byte[] salt = B64_DECODER.decode(m.group(4));
    byte[] expected = B64_DECODER.decode(m.group(5));
    byte[] actual =
        derive(password, salt, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)), expected.length);
    return MessageDigest.isEqual(expected, actual);
  }

  /** Whether the string is a well-formed Argon2id PHC string this class can verify. */
  public static boolean isWellFormed(String phc) {
    return phc != null && PHC.matcher(phc).matches();
  }

  private static byte[] derive(char[] password, byte[] salt, int memoryKiB, int iterations, int parallelism, int length) {
    Argon2Parameters parameters =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(memoryKiB)
            .withIterations(iterations)
            .withParallelism(parallelism)
            .withSalt(salt)
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(parameters);
    byte[] out = new byte[length];
    byte[] passwordBytes = new String(password).getBytes(StandardCharsets.UTF_8);
    try {
      generator.generateBytes(passwordBytes, out);
    } finally {
      Arrays.fill(passwordBytes, (byte) 0);
    }
    return out;
  }
}
