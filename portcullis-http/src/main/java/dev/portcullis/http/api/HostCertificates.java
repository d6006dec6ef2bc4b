package dev.portcullis.http.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.nodes.NodeRecord;
import dev.portcullis.ssh.ca.HostCertificateRequest;
import dev.portcullis.ssh.ca.IssuedCertificate;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import dev.portcullis.ssh.ca.SshPublicKeys;
import dev.portcullis.store.Item;
import dev.portcullis.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * Nodes' host certificates: issued at join for {@link #TTL}, and issued again at a heartbeat once less than a
 * third of that is left, for the same host key and names, so clients keep trusting the node through the host CA.
 * What was certified is kept under {@code node-hosts/NAME} until the certificate expires.
 */
final class HostCertificates {
  static final Duration TTL = Duration.ofDays(30);
  private static final Duration RENEW_WHEN_LEFT = TTL.dividedBy(3);
  private static final String PREFIX = "node-hosts/";
  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

  /** What a node's current host certificate certifies. */
  record Certified(String hostPublicKey, List<String> principals, Instant validBefore) {
    Certified {
      requireNonNull(hostPublicKey, "hostPublicKey");
      principals = List.copyOf(principals);
      requireNonNull(validBefore, "validBefore");
    }
  }

  private final SshCertificateAuthority hostCa;
  private final Store store;
  private final InstantSource clock;

  HostCertificates(SshCertificateAuthority hostCa, Store store, InstantSource clock) {
    this.hostCa = requireNonNull(hostCa, "hostCa");
    this.store = requireNonNull(store, "store");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * Certifies {@code hostPublicKey} for {@code principals} and remembers it for renewal.
   *
   * @throws IllegalArgumentException if the key or a principal is not acceptable
   */
  IssuedCertificate issue(String node, String hostPublicKey, List<String> principals) {
    IssuedCertificate certificate = hostCa.issueHost(HostCertificateRequest.of(hostPublicKey, "node:" + node,
        principals, TTL));
    Certified certified = new Certified(hostPublicKey, certificate.principals(), certificate.validBefore());
    try {
      store.put(PREFIX + node, JSON.writeValueAsBytes(certified), Optional.of(certificate.validBefore()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return certificate;
  }

  /**
   * A new certificate for {@code node} when its current one has less than a third of its lifetime left; empty
   * while it has more, and for a node whose certified key is unknown or is not the key it joined with.
   */
  Optional<IssuedCertificate> renewIfDue(NodeRecord node) {
    Optional<Certified> current = store.get(PREFIX + node.name()).map(HostCertificates::read);
    if (current.isEmpty() || Duration.between(clock.instant(), current.get().validBefore()).compareTo(RENEW_WHEN_LEFT) > 0
        || !SshPublicKeys.fingerprint(SshPublicKeys.parse(current.get().hostPublicKey())).equals(node.hostKeyFingerprint())) {
      return Optional.empty();
    }
    return Optional.of(issue(node.name(), current.get().hostPublicKey(), current.get().principals()));
  }

  private static Certified read(Item item) {
    try {
      return JSON.readValue(item.value(), Certified.class);
    } catch (IOException e) {
      throw new UncheckedIOException("stored host certificate record is malformed", e);
    }
  }
}
