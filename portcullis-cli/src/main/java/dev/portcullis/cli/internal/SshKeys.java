package dev.portcullis.cli.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/** The user's Ed25519 key pair in OpenSSH's formats, and reading back the certificate the server signed for it. */
public final class SshKeys {

  private static final int MAX_LINE = 16 * 1024;

  /** What the CLI shows and checks of a user certificate. */
  public record CertificateInfo(OpenSshCertificate.Type type, String keyId, String serial, List<String> principals,
      Instant validAfter, Instant validBefore, PublicKey subject) {
    public CertificateInfo {
      principals = List.copyOf(principals);
    }

    public boolean expiredAt(Instant now) {
      return !now.isBefore(validBefore);
    }
  }

  private SshKeys() {}

  /** A fresh Ed25519 key pair from {@code random}'s 32-byte seed. */
  public static KeyPair generate(SecureRandom random) {
    if (!SecurityUtils.isEDDSACurveSupported()) {
      throw new IllegalStateException("Ed25519 is not available (expected: Bouncy Castle on the class path)");
    }
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    try {
      PrivateKey privateKey = SecurityUtils.generateEDDSAPrivateKey(KeyPairProvider.SSH_ED25519, seed);
      return new KeyPair(SecurityUtils.recoverEDDSAPublicKey(privateKey), privateKey);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot generate an Ed25519 key pair", e);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** The unencrypted OpenSSH private key file, as {@code ssh-keygen} writes it. */
  public static byte[] privateKeyFile(KeyPair pair, String comment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, comment, null, out);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode the private key", e);
    }
    return out.toByteArray();
  }

  /** {@code ssh-ed25519 AAAA...} without a comment. */
  public static String publicKeyLine(PublicKey key) {
    return PublicKeyEntry.toString(key);
  }

  /**
   * Parses a {@code *-cert.pub} line.
   *
   * @throws IllegalArgumentException if it is not one readable OpenSSH certificate
   */
  public static CertificateInfo readCertificate(String line) {
    String trimmed = line.strip();
    if (trimmed.isEmpty() || trimmed.length() > MAX_LINE || trimmed.contains("\n")) {
      throw new IllegalArgumentException("not one certificate line");
    }
    PublicKey key;
    try {
      key = PublicKeyEntry.parsePublicKeyEntry(trimmed).resolvePublicKey(null, null, null);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("not a readable OpenSSH certificate (" + e.getClass().getSimpleName() + ")", e);
    }
    if (!(key instanceof OpenSshCertificate certificate)) {
      throw new IllegalArgumentException("a plain " + KeyUtils.getKeyType(key) + " key (expected: a certificate)");
    }
    return new CertificateInfo(certificate.getType(), certificate.getId(), Long.toUnsignedString(certificate.getSerial()),
        List.copyOf(certificate.getPrincipals()), epoch(certificate.getValidAfter()),
        epoch(certificate.getValidBefore()), certificate.getCertPubKey());
  }

  /** Whether {@code certificate} certifies exactly {@code key}. */
  public static boolean certifies(CertificateInfo certificate, PublicKey key) {
    return KeyUtils.compareKeys(certificate.subject(), key);
  }

  /** OpenSSH times are unsigned seconds; "forever" (all ones) and anything past Instant's range is the end of time. */
  private static Instant epoch(long seconds) {
    if (seconds < 0 || seconds > Instant.MAX.getEpochSecond()) {
      return Instant.MAX;
    }
    return Instant.ofEpochSecond(seconds);
  }
}
