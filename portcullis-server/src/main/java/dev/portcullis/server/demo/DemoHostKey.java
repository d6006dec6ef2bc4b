package dev.portcullis.server.demo;

import static java.util.Objects.requireNonNull;

import dev.portcullis.ssh.ca.HostCertificateRequest;
import dev.portcullis.ssh.ca.IssuedCertificate;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import dev.portcullis.ssh.ca.SshPublicKeys;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import org.apache.sshd.common.keyprovider.HostKeyCertificateProvider;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The demo node's Ed25519 host key, made at every start and kept only in memory, with a host certificate from the
 * server's host CA, so clients trust the node through the host CA alone, as they trust an enrolled node.
 */
final class DemoHostKey {
  /** As long as an enrolled node's host certificate. */
  static final Duration TTL = Duration.ofDays(30);
  private static final Duration RENEW_WHEN_LEFT = TTL.dividedBy(3);

  private final KeyPair pair;
  private final SshCertificateAuthority hostCa;
  private final String keyId;
  private final List<String> principals;
  private final InstantSource clock;
  private volatile IssuedCertificate certificate;

  private DemoHostKey(KeyPair pair, SshCertificateAuthority hostCa, String keyId, List<String> principals,
      InstantSource clock) {
    this.pair = pair;
    this.hostCa = hostCa;
    this.keyId = keyId;
    this.principals = List.copyOf(principals);
    this.clock = clock;
    this.certificate = issue();
  }

  /**
   * A new key certified for {@code principals}, the names clients may dial.
   *
   * @param keyId names the host in logs, such as {@code node:demo-node}
   */
  static DemoHostKey create(SshCertificateAuthority hostCa, String keyId, List<String> principals,
      InstantSource clock, SecureRandom random) {
    return new DemoHostKey(generate(requireNonNull(random, "random")), requireNonNull(hostCa, "hostCa"),
        requireNonNull(keyId, "keyId"), principals, requireNonNull(clock, "clock"));
  }

  /** The host key itself; sessions pair it with {@link #certificateProvider()}. */
  KeyPairProvider keyPairProvider() {
    return KeyPairProvider.wrap(pair);
  }

  /** Serves the current certificate, so a renewal reaches the next connection. */
  HostKeyCertificateProvider certificateProvider() {
    return session -> List.of(certificate.certificate());
  }

  /** The {@code SHA256:...} fingerprint of the plain host key, as the node registry records it. */
  String fingerprint() {
    return SshPublicKeys.fingerprint(pair.getPublic());
  }

  IssuedCertificate certificate() {
    return certificate;
  }

  /** Certifies the key again once less than a third of the certificate's lifetime is left; true when it did. */
  boolean renewIfDue() {
    if (Duration.between(clock.instant(), certificate.validBefore()).compareTo(RENEW_WHEN_LEFT) > 0) {
      return false;
    }
    certificate = issue();
    return true;
  }

  private IssuedCertificate issue() {
    return hostCa.issueHost(new HostCertificateRequest(pair.getPublic(), keyId, principals, TTL));
  }

  /** MINA 2.x signs Ed25519 with Bouncy Castle's keys, not the JDK's, so the pair is made through its utilities. */
  private static KeyPair generate(SecureRandom random) {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    try {
      PrivateKey privateKey = SecurityUtils.generateEDDSAPrivateKey(KeyPairProvider.SSH_ED25519, seed);
      return new KeyPair(SecurityUtils.recoverEDDSAPublicKey(privateKey), privateKey);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("demo node: could not make an Ed25519 host key (expected: Bouncy Castle on"
          + " the class path)", e);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }
}
