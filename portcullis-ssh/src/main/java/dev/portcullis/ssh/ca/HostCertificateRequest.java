package dev.portcullis.ssh.ca;

import dev.portcullis.ssh.ca.internal.RequestChecks;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;

/**
 * What to put in a host certificate. Clients accept the host only under a name listed here.
 *
 * @param hostKey    the server's host public key (sshd's {@code HostKey})
 * @param keyId      names the host in logs, e.g. {@code node web-1}; printable ASCII
 * @param principals the names clients connect to: 1 to 256 distinct lowercase DNS names or IP addresses
 * @param ttl        how long from now the certificate is valid (at least one second)
 */
public record HostCertificateRequest(PublicKey hostKey, String keyId, List<String> principals, Duration ttl) {

  public HostCertificateRequest {
    hostKey = RequestChecks.subjectKey("hostKey", hostKey);
    keyId = RequestChecks.keyId(keyId);
    principals = RequestChecks.hostNames(principals);
    ttl = RequestChecks.ttl(ttl);
  }

  /** As the canonical constructor, with the key as an OpenSSH public key line ({@code ssh_host_ed25519_key.pub}). */
  public static HostCertificateRequest of(String hostKeyLine, String keyId, List<String> principals, Duration ttl) {
    return new HostCertificateRequest(SshPublicKeys.parse(hostKeyLine), keyId, principals, ttl);
  }
}
