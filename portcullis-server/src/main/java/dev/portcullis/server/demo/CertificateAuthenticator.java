package dev.portcullis.server.demo;

import static java.util.Objects.requireNonNull;

import dev.portcullis.policy.NodeResource;
import dev.portcullis.policy.PolicySnapshot;
import dev.portcullis.ssh.ca.CaKey;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import dev.portcullis.ssh.ca.SshPublicKeys;
import dev.portcullis.ssh.users.NodeLogins;
import java.security.PublicKey;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a user in only with an OpenSSH user certificate from a trusted user CA key, valid now, that lists the login,
 * and only while {@link NodeLogins} allows that login on this node now: what sshd with {@code TrustedUserCAKeys} and
 * the node agent's principals command decide for an enrolled node. Plain keys are refused.
 *
 * <p>MINA has already checked the certificate's signature against the CA key it names, and its
 * {@code source-address}, before it calls this.
 */
final class CertificateAuthenticator implements PublickeyAuthenticator {
  /** The key id of the certificate a session logged in with, for its log lines. */
  static final AttributeKey<String> KEY_ID = new AttributeKey<>();
  private static final Logger log = LoggerFactory.getLogger(CertificateAuthenticator.class);
  /** Critical options this node enforces (MINA does); a certificate with any other is refused, as sshd would. */
  private static final Set<String> ENFORCED_CRITICAL_OPTIONS = Set.of("source-address");

  private final SshCertificateAuthority userCa;
  private final NodeLogins logins;
  private final Supplier<PolicySnapshot> policy;
  private final NodeResource node;
  private final InstantSource clock;

  CertificateAuthenticator(SshCertificateAuthority userCa, NodeLogins logins, Supplier<PolicySnapshot> policy,
      NodeResource node, InstantSource clock) {
    this.userCa = requireNonNull(userCa, "userCa");
    this.logins = requireNonNull(logins, "logins");
    this.policy = requireNonNull(policy, "policy");
    this.node = requireNonNull(node, "node");
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public boolean authenticate(String login, PublicKey key, ServerSession session) {
    Optional<String> refusal;
    try {
      refusal = refusal(login, key);
    } catch (RuntimeException e) {
      log.error("{}: refused {} for login {}: the check failed", node.name(), describe(key), printable(login), e);
      return false;
    }
    if (refusal.isPresent()) {
      // ssh offers a certificate's plain key too, so plain keys are refused at every login: not worth a line.
      if (key instanceof OpenSshCertificate) {
        log.info("{}: refused {} for login {} from {}: {}", node.name(), describe(key), printable(login),
            session.getClientAddress(), refusal.get());
      } else {
        log.debug("{}: refused {} for login {} from {}: {}", node.name(), describe(key), printable(login),
            session.getClientAddress(), refusal.get());
      }
      return false;
    }
    session.setAttribute(KEY_ID, ((OpenSshCertificate) key).getId());
    return true;
  }

  /** Why {@code key} may not log in as {@code login} here now; empty when it may. */
  Optional<String> refusal(String login, PublicKey key) {
    if (!(key instanceof OpenSshCertificate certificate)) {
      return Optional.of("a plain key (expected: a certificate from the Portcullis user CA; run portcullis login)");
    }
    if (certificate.getType() != OpenSshCertificate.Type.USER) {
      return Optional.of("a " + certificate.getType() + " certificate (expected: a user certificate)");
    }
    if (userCa.keys().stream().map(CaKey::publicKey).noneMatch(ca -> KeyUtils.compareKeys(ca, certificate.getCaPubKey()))) {
      return Optional.of("signed by " + SshPublicKeys.fingerprint(certificate.getCaPubKey())
          + " (expected: a trusted user CA key)");
    }
    if (!OpenSshCertificate.isValidAt(certificate, clock.instant())) {
      return Optional.of("not valid now (expected: valid from " + time(certificate.getValidAfter()) + " until "
          + time(certificate.getValidBefore()) + ")");
    }
    for (String option : certificate.getCriticalOptionsMap().keySet()) {
      if (!ENFORCED_CRITICAL_OPTIONS.contains(option)) {
        return Optional.of("critical option " + printable(option) + " (expected: none but source-address)");
      }
    }
    if (!certificate.getPrincipals().contains(login)) {
      return Optional.of("login not among the certificate's principals " + certificate.getPrincipals());
    }
    if (!logins.allows(certificate.getId(), login, node, policy.get())) {
      return Optional.of("not allowed now (unknown or locked user, or the roles do not grant this login here)");
    }
    return Optional.empty();
  }

  /** A validity bound as OpenSSH encodes it: unsigned seconds, all ones meaning forever. */
  private static String time(long epochSeconds) {
    return epochSeconds < 0 ? "forever" : Instant.ofEpochSecond(epochSeconds).toString();
  }

  private static String describe(PublicKey key) {
    if (key instanceof OpenSshCertificate certificate) {
      return "certificate ID \"" + printable(certificate.getId()) + "\" serial "
          + Long.toUnsignedString(certificate.getSerial());
    }
    return "key " + SshPublicKeys.fingerprint(key);
  }

  /** Client-chosen text for a log line: no control characters, bounded. */
  static String printable(String value) {
    if (value == null) {
      return "(none)";
    }
    String shown = value.length() > 64 ? value.substring(0, 64) + "..." : value;
    return shown.replaceAll("\\p{Cntrl}", "?");
  }
}
