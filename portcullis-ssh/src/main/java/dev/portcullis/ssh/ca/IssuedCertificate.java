package dev.portcullis.ssh.ca;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.sshd.common.config.keys.OpenSshCertificate;

/**
 * A signed OpenSSH certificate.
 *
 * @param line          the certificate as one {@code *-cert.pub} line, {@code ssh-ed25519-cert-v01@openssh.com AAAA...}
 * @param certificate   MINA SSHD's view of the same certificate
 * @param caFingerprint the fingerprint of the CA key that signed it
 */
public record IssuedCertificate(String line, OpenSshCertificate certificate, String caFingerprint) {

  public IssuedCertificate {
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(caFingerprint, "caFingerprint");
  }

  /** The serial as Java sees it; OpenSSH prints it unsigned ({@link Long#toUnsignedString(long)}). */
  public long serial() {
    return certificate.getSerial();
  }

  public String keyId() {
    return certificate.getId();
  }

  public List<String> principals() {
    return List.copyOf(certificate.getPrincipals());
  }

  public Instant validAfter() {
    return Instant.ofEpochSecond(certificate.getValidAfter());
  }

  public Instant validBefore() {
    return Instant.ofEpochSecond(certificate.getValidBefore());
  }
}
