package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import java.util.Optional;

/**
 * The {@code ssh.bastion} section: where the SSH jump host listens and what clients are told to dial.
 *
 * @param listen the SSH listener, such as {@code 0.0.0.0:3022}; required
 * @param publicAddress {@code host:port} that {@code portcullis ssh-config} writes as ProxyJump; default the
 *     public URL's host with the listen port
 * @param reuseNodeConnections whether a user's login to a node waits a little after their connection ends, for
 *     their next connection with the same login to the same node (as OpenSSH's ControlPersist); default true
 */
public record BastionConfig(ListenAddress listen, Optional<String> publicAddress, Boolean reuseNodeConnections) {

  public BastionConfig {
    Check.required(listen, "listen", "host:port, for example 0.0.0.0:3022");
    publicAddress = publicAddress == null ? Optional.empty() : publicAddress;
    reuseNodeConnections = reuseNodeConnections == null || reuseNodeConnections;
    publicAddress.ifPresent(BastionConfig::requireDialable);
  }

  private static void requireDialable(String address) {
    ListenAddress parsed;
    try {
      parsed = ListenAddress.parse(address);
    } catch (RuntimeException e) {
      parsed = null;
    }
    if (parsed == null || parsed.port() == 0) {
      throw Check.invalid("public_address", Check.quote(address)
          + " is not dialable (expected: host:port that clients dial, for example bastion.example.com:3022)");
    }
  }

  /** What clients dial: {@link #publicAddress()}, or {@code publicHost} with the listen port. */
  public String publicAddress(String publicHost) {
    return publicAddress.orElseGet(() -> new ListenAddress(publicHost, listen.port()).toString());
  }
}
