package dev.portcullis.config;

import java.util.Optional;

/**
 * The {@code ssh} section.
 *
 * @param bastion the SSH jump host that terminates, authorizes and records sessions to enrolled nodes; none by
 *     default
 */
public record SshConfig(Optional<BastionConfig> bastion) {
  public static final SshConfig DEFAULT = new SshConfig(Optional.empty());

  public SshConfig {
    bastion = bastion == null ? Optional.empty() : bastion;
  }
}
