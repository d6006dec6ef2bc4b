package dev.portcullis.ssh.issuance;

import static java.util.Objects.requireNonNull;

import dev.portcullis.identity.Identity;
import dev.portcullis.policy.PolicySnapshot;
import dev.portcullis.policy.Reason;
import dev.portcullis.policy.SshGrant;
import dev.portcullis.ssh.ca.IssuedCertificate;
import dev.portcullis.ssh.ca.SshCaType;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import dev.portcullis.ssh.ca.SshPublicKeys;
import dev.portcullis.ssh.ca.UserCertificateRequest;
import dev.portcullis.ssh.ca.UserExtension;
import dev.portcullis.ssh.ca.internal.RequestChecks;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Issues OpenSSH user certificates from policy. For a signed-in identity it reads the user's
 * {@link SshGrant} from the snapshot and signs with the user CA:
 *
 * <ul>
 *   <li>principals: every login of every role (templates expanded, invalid values dropped) minus every
 *       denied login; no login means no certificate;
 *   <li>lifetime: the smallest {@code max_session_ttl} among the roles, and no more than a requested TTL;
 *   <li>KeyId: {@code username@provider} ({@link SshKeyId});
 *   <li>extensions: {@code permit-pty}, plus port, agent or X11 forwarding when ANY role allows it. Roles
 *       add up and every option is off by default, so a role that never mentions forwarding cannot veto
 *       one that grants it on purpose (Teleport decides the same way); the lifetime, in contrast, takes
 *       the strictest role;
 *   <li>validity back-dated one minute for clock skew (by the CA).
 * </ul>
 *
 * <p>Thread-safe and free of I/O; nothing is logged or audited here: the caller records
 * {@link Issuance#auditCode()} with the result's reasons and details.
 */
public final class SshCertificateIssuer {
  /** The most principals one certificate may carry, as the CA enforces. */
  public static final int MAX_PRINCIPALS = 256;
  private static final int MAX_KEY_ID = 255;
  private static final Duration MIN_TTL = Duration.ofSeconds(1);

  private final SshCertificateAuthority userCa;
  private final Locks locks;

  /**
   * @param userCa the CA that signs; must be the {@link SshCaType#USER} CA
   * @param locks the locks to honour; {@link Locks#NONE} for none
   */
  public SshCertificateIssuer(SshCertificateAuthority userCa, Locks locks) {
    this.userCa = requireNonNull(userCa, "userCa");
    this.locks = requireNonNull(locks, "locks");
    if (userCa.type() != SshCaType.USER) {
      throw new IllegalArgumentException("userCa: the " + userCa.type().id() + " CA (expected: the ssh-user CA)");
    }
  }

  /**
   * Issues a certificate for {@code publicKey}, or refuses with reasons.
   *
   * @param identity the signed-in user
   * @param publicKey the user's key: Ed25519, ECDSA, or RSA of at least 2048 bits
   * @param policy the snapshot to decide with, such as {@code engine.snapshot()}
   * @param requestedTtl a shorter lifetime the client asks for, at least one second; empty for the roles'
   * @throws IllegalArgumentException if the key or the requested TTL is unacceptable (an input error, not a
   *     policy refusal)
   */
  public Issuance issue(Identity identity, PublicKey publicKey, PolicySnapshot policy, Optional<Duration> requestedTtl) {
    requireNonNull(identity, "identity");
    RequestChecks.subjectKey("publicKey", publicKey);
    requireNonNull(policy, "policy");
    requireNonNull(requestedTtl, "requestedTtl");
    requestedTtl.ifPresent(ttl -> {
      if (ttl.compareTo(MIN_TTL) < 0) {
        throw new IllegalArgumentException("requestedTtl: " + ttl + " (expected: >= 1s)");
      }
    });
    String fingerprint = SshPublicKeys.fingerprint(publicKey);

    Optional<String> lock = locks.lockOn(identity);
    if (lock.isPresent()) {
      return refuse(identity, fingerprint, List.of(), Issuance.Refused.USER_LOCKED,
          "user " + identity.username() + " is locked: " + lock.get());
    }
    SshGrant grant = policy.sshGrant(identity);
    if (!grant.granted()) {
      return new Issuance.Refused(identity.username(), identity.provider(), fingerprint, grant.reasons());
    }
    if (grant.logins().size() > MAX_PRINCIPALS) {
      return refuse(identity, fingerprint, grant.reasons(), Issuance.Refused.TOO_MANY_LOGINS,
          "user " + identity.username() + " has " + grant.logins().size() + " logins (expected: at most "
              + MAX_PRINCIPALS + " in one certificate)");
    }
    String keyId = SshKeyId.of(identity).encode();
    if (keyId.length() > MAX_KEY_ID) {
      return refuse(identity, fingerprint, grant.reasons(), Issuance.Refused.KEY_ID_TOO_LONG,
          "the key id for user and provider is " + keyId.length() + " characters (expected: at most " + MAX_KEY_ID
              + ")");
    }
    // A granted user has roles, and every role has a max_session_ttl.
    Duration ttl = grant.maxSessionTtl().orElseThrow();
    if (requestedTtl.isPresent() && requestedTtl.get().compareTo(ttl) < 0) {
      ttl = requestedTtl.get();
    }
    IssuedCertificate certificate = userCa.issueUser(new UserCertificateRequest(
        publicKey, keyId, grant.logins(), ttl, UserExtension.grantedBy(grant), List.of()));
    return new Issuance.Issued(identity.username(), identity.provider(), certificate.line(), keyId,
        certificate.principals(), grant.roles(), signedExtensions(certificate), certificate.serial(), certificate.validAfter(), certificate.validBefore(), certificate.caFingerprint(),
        fingerprint, grant.reasons());
  }

  /** The optional extensions as signed, read back from the certificate rather than from the request. */
  private static EnumSet<UserExtension> signedExtensions(IssuedCertificate certificate) {
    EnumSet<UserExtension> signed = EnumSet.noneOf(UserExtension.class);
    for (UserExtension extension : UserExtension.values()) {
      if (certificate.certificate().getExtensionsMap().containsKey(extension.wireName())) {
        signed.add(extension);
      }
    }
    return signed;
  }

  private static Issuance refuse(Identity identity, String fingerprint, List<Reason> reasons, String code,
      String detail) {
    List<Reason> all = new ArrayList<>(reasons);
    all.add(new Reason(code, detail));
    return new Issuance.Refused(identity.username(), identity.provider(), fingerprint, all);
  }
}
