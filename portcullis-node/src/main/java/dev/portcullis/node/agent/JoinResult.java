package dev.portcullis.node.agent;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code node join} did, for the admin.
 *
 * @param state                 the node as saved in {@code node.json}
 * @param hostNames             the names the host certificate is valid for
 * @param hostCertificateExpiry when the host certificate expires (heartbeats renew it)
 * @param userCaKeys            how many user CA keys sshd now trusts
 * @param principalsUser        the account sshd runs the principals command as
 * @param written               the files written, in order
 * @param reload                how sshd was reloaded; empty when it was not ({@code --no-reload})
 */
public record JoinResult(NodeState state, List<String> hostNames, Instant hostCertificateExpiry, int userCaKeys,
    String principalsUser, List<Path> written, Optional<String> reload) {

  public JoinResult {
    Objects.requireNonNull(state, "state");
    hostNames = List.copyOf(hostNames);
    Objects.requireNonNull(hostCertificateExpiry, "hostCertificateExpiry");
    Objects.requireNonNull(principalsUser, "principalsUser");
    written = List.copyOf(written);
    Objects.requireNonNull(reload, "reload");
  }

  /** The labels the node joined with. */
  public Map<String, String> labels() {
    return state.labels();
  }
}
