package dev.portcullis.bastion.internal;

import static java.util.Objects.requireNonNull;

import dev.portcullis.ssh.ca.CaKey;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import java.security.PublicKey;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;

/**
 * Checks a key that a client offers against the Portcullis user CA. MINA has already verified the certificate's
 * own signature and source-address option by the time this runs; this decides whether WE signed it and whether
 * it is valid at the injected clock's now.
 */
public final class UserCertificates {
  private final SshCertificateAuthority userCa;
  private final InstantSource clock;

  public UserCertificates(SshCertificateAuthority userCa, InstantSource clock) {
    this.userCa = requireNonNull(userCa, "userCa");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Why {@code key} is not a usable Portcullis user certificate now, or empty when it is. */
  public Optional<String> problem(PublicKey key) {
    if (!(key instanceof OpenSshCertificate certificate)) {
      return Optional.of("a plain key (expected: a Portcullis certificate; run portcullis login)");
    }
    if (certificate.getType() != OpenSshCertificate.Type.USER) {
      return Optional.of("a host certificate (expected: a user certificate)");
    }
    if (!trusted(certificate.getCaPubKey())) {
      return Optional.of("a certificate from another CA (key id " + printable(certificate.getId()) + ")");
    }
    Instant now = clock.instant();
    if (now.isBefore(Instant.ofEpochSecond(certificate.getValidAfter()))) {
      return Optional.of("a certificate that is not valid yet");
    }
    if (!now.isBefore(validBefore(certificate))) {
      return Optional.of("an expired certificate (expired " + validBefore(certificate) + "; run portcullis login)");
    }
    return Optional.empty();
  }

  private boolean trusted(PublicKey caKey) {
    for (CaKey trusted : userCa.keys()) {
      if (KeyUtils.compareKeys(trusted.publicKey(), caKey)) {
        return true;
      }
    }
    return false;
  }

  /** The certificate's end; OpenSSH's "forever" (all ones, unsigned) is read as the end of time. */
  static Instant validBefore(OpenSshCertificate certificate) {
    long seconds = certificate.getValidBefore();
    return seconds < 0 ? Instant.MAX : Instant.ofEpochSecond(seconds);
  }

  static String printable(String text) {
    String shown = text == null ? "" : text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return shown.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
