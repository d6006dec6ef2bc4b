package dev.portcullis.nodes;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An enrolled server as Portcullis knows it.
 *
 * @param name unique node name: lower-case letters, digits, dots and hyphens
 * @param labels what roles select it by, for example {@code env=dev}
 * @param address where its sshd listens, {@code host:port}
 * @param hostKeyFingerprint SHA256 fingerprint of the host key its certificate was issued for
 * @param credentialHash SHA-256 (hex) of the node's secret, which authenticates its heartbeats
 * @param joinedAt when it joined
 * @param lastSeen its latest heartbeat
 */
public record NodeRecord(
    String name,
    Map<String, String> labels,
    String address,
    String hostKeyFingerprint,
    String credentialHash,
    Instant joinedAt,
    Instant lastSeen) {
  public static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?");

  public NodeRecord {
    requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name: '" + name + "' (expected: 1-63 characters a-z, 0-9, '.', '-')");
    }
    labels = Map.copyOf(labels);
    requireNonNull(address, "address");
    requireNonNull(hostKeyFingerprint, "hostKeyFingerprint");
    requireNonNull(credentialHash, "credentialHash");
    requireNonNull(joinedAt, "joinedAt");
    requireNonNull(lastSeen, "lastSeen");
  }

  public NodeRecord seen(Instant at, Map<String, String> currentLabels) {
    return new NodeRecord(name, currentLabels, address, hostKeyFingerprint, credentialHash, joinedAt, at);
  }

  @Override
  public String toString() {
    return "NodeRecord[" + name + " " + labels + " at " + address + ", last seen " + lastSeen + "]";
  }
}
