package dev.portcullis.bastion.internal;

import dev.portcullis.ssh.ca.HostCertificateRequest;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.config.keys.OpenSshCertificate;

/**
 * Host certificates for the bastion's own key, per name: the bastion's public names on the outer listener, and
 * each node's name on the inner server (the client asked for that node, and checks the certificate against the
 * name it typed). Issued on first use and again once a third of the lifetime is left.
 */
final class HostCertificates {
  private static final Duration TTL = Duration.ofDays(1);

  private final SshCertificateAuthority hostCa;
  private final InstantSource clock;
  private final KeyPair key;
  private final Map<List<String>, OpenSshCertificate> issued = new ConcurrentHashMap<>();

  HostCertificates(SshCertificateAuthority hostCa, InstantSource clock, KeyPair key) {
    this.hostCa = hostCa;
    this.clock = clock;
    this.key = key;
  }

  KeyPair key() {
    return key;
  }

  OpenSshCertificate forNames(List<String> names) {
    Instant renewAt = clock.instant().plus(TTL.dividedBy(3));
    return issued.compute(names, (key, current) -> current != null
        && renewAt.isBefore(UserCertificates.validBefore(current)) ? current : issue(names));
  }

  private OpenSshCertificate issue(List<String> names) {
    return hostCa.issueHost(new HostCertificateRequest(key.getPublic(), "portcullis bastion " + names.getFirst(),
        names, TTL)).certificate();
  }
}
