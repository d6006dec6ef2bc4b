package dev.portcullis.bastion.internal;

import static java.util.Objects.requireNonNull;

import dev.portcullis.identity.Identity;
import java.time.Instant;
import org.apache.sshd.common.config.keys.OpenSshCertificate;

/**
 * Who is on the other end of a bastion connection: the user named by their certificate's key id, with today's
 * facts, and the certificate itself (its end is when the bastion ends their sessions).
 *
 * @param identity the user as the current configuration has them
 * @param keyId the certificate's key id, {@code user@provider}
 * @param certificate the certificate the client authenticated with
 */
public record BastionUser(Identity identity, String keyId, OpenSshCertificate certificate) {

  public BastionUser {
    requireNonNull(identity, "identity");
    requireNonNull(keyId, "keyId");
    requireNonNull(certificate, "certificate");
  }

  public String username() {
    return identity.username();
  }

  /** When the certificate expires: the end of every session it opened. */
  public Instant validBefore() {
    return UserCertificates.validBefore(certificate);
  }
}
