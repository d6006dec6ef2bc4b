package dev.portcullis.ssh.ca;

import dev.portcullis.ssh.ca.internal.RequestChecks;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to put in a user certificate. Every field is checked here, so a request that exists is safe to sign.
 *
 * @param publicKey       the user's key: Ed25519, ECDSA, or RSA of at least 2048 bits
 * @param keyId           names the user in sshd's logs, e.g. {@code alice@local (session 7f3a)}; printable ASCII
 * @param principals      the logins the certificate allows: 1 to 256 distinct names matching {@code [a-z_][a-z0-9_-]{0,31}}
 * @param ttl             how long from now the certificate is valid (at least one second)
 * @param extensions      permissions beyond {@code permit-pty}, which is always granted; none by default
 * @param sourceAddresses the {@code source-address} critical option: client addresses or CIDRs the certificate
 *                        works from; empty (the default) means no restriction
 */
public record UserCertificateRequest(
    PublicKey publicKey,
    String keyId,
    List<String> principals,
    Duration ttl,
    Set<UserExtension> extensions,
    List<String> sourceAddresses) {

  public UserCertificateRequest {
    publicKey = RequestChecks.subjectKey("publicKey", publicKey);
    keyId = RequestChecks.keyId(keyId);
    principals = RequestChecks.logins(principals);
    ttl = RequestChecks.ttl(ttl);
    Objects.requireNonNull(extensions, "extensions");
    EnumSet<UserExtension> copy = EnumSet.noneOf(UserExtension.class);
    for (UserExtension extension : extensions) {
      copy.add(Objects.requireNonNull(extension, "extensions: null entry"));
    }
    extensions = Collections.unmodifiableSet(copy);
    sourceAddresses = RequestChecks.sourceAddresses(sourceAddresses);
  }

  /** A request with no extensions beyond {@code permit-pty} and no source restriction. */
  public static UserCertificateRequest of(PublicKey publicKey, String keyId, List<String> principals, Duration ttl) {
    return new UserCertificateRequest(publicKey, keyId, principals, ttl, Set.of(), List.of());
  }

  /** As {@link #of(PublicKey, String, List, Duration)}, with the key as an OpenSSH public key line. */
  public static UserCertificateRequest of(String publicKeyLine, String keyId, List<String> principals, Duration ttl) {
    return of(SshPublicKeys.parse(publicKeyLine), keyId, principals, ttl);
  }

  /** A copy that grants exactly {@code extensions} (plus {@code permit-pty}). */
  public UserCertificateRequest withExtensions(Set<UserExtension> extensions) {
    return new UserCertificateRequest(publicKey, keyId, principals, ttl, extensions, sourceAddresses);
  }

  /** A copy restricted to clients from {@code sourceAddresses} (empty removes the restriction). */
  public UserCertificateRequest withSourceAddresses(List<String> sourceAddresses) {
    return new UserCertificateRequest(publicKey, keyId, principals, ttl, extensions, sourceAddresses);
  }
}
