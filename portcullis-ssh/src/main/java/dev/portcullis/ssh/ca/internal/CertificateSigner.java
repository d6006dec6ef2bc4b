package dev.portcullis.ssh.ca.internal;

import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.sshd.certificate.OpenSshCertificateBuilder;
import org.apache.sshd.common.config.keys.OpenSshCertificate;

/**
 * Fills MINA SSHD's certificate builder and signs. It owns the rules every certificate shares: a random
 * non-zero 64-bit serial, a random 32-byte nonce, and a validity window back-dated one minute for clock skew.
 */
public final class CertificateSigner {

  /** How far ValidAfter lies before the issuing time, so a server whose clock is a little behind accepts it. */
  public static final Duration BACKDATE = Duration.ofMinutes(1);

  private final SecureRandom random;

  public CertificateSigner(SecureRandom random) {
    this.random = random;
  }

  /** The fields of one certificate, already validated. */
  public record Fields(
      OpenSshCertificate.Type type,
      PublicKey subject,
      String keyId,
      List<String> principals,
      Instant now,
      Duration ttl,
      Map<String, String> criticalOptions,
      Map<String, String> extensions) {}

  public OpenSshCertificate sign(Fields fields, KeyPair caKey) {
    OpenSshCertificateBuilder builder = fields.type() == OpenSshCertificate.Type.USER
        ? OpenSshCertificateBuilder.userCertificate()
        : OpenSshCertificateBuilder.hostCertificate();
    long validAfter = Math.max(0, fields.now().minus(BACKDATE).getEpochSecond());
    long validBefore = fields.now().plus(fields.ttl()).getEpochSecond();
    if (validBefore <= validAfter) {
      throw new IllegalArgumentException("ttl: " + fields.ttl() + " ends before the certificate starts at "
          + Instant.ofEpochSecond(validAfter) + " (expected: a window after " + fields.now() + ")");
    }
    byte[] nonce = new byte[32];
    random.nextBytes(nonce);
    builder.publicKey(fields.subject())
        .serial(serial())
        .id(fields.keyId())
        .principals(fields.principals())
        .validAfter(validAfter)
        .validBefore(validBefore)
        .criticalOptions(fields.criticalOptions())
        .extensions(fields.extensions())
        .nonce(nonce);
    try {
      // Naming the algorithm skips MINA's search through its signature preference list on every call.
      return builder.sign(caKey, OpenSshKeys.ED25519);
    } catch (Exception e) {
      throw new IllegalStateException("could not sign the " + fields.type() + " certificate for "
          + fields.keyId(), e);
    }
  }

  /** Random and non-zero: ssh-keygen's key revocation lists cannot name serial zero. */
  private long serial() {
    long serial;
    do {
      serial = random.nextLong();
    } while (serial == 0);
    return serial;
  }
}
