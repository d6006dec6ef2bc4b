package dev.portcullis.policy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What SSH certificate a user may receive, whatever the node: the node itself checks its own labels
 * later through {@link PolicySnapshot#loginsFor}.
 *
 * <p>Forwarding is granted when ANY of the user's roles allows it, as Teleport does. Roles add up: each
 * option is off unless a role turns it on, so a role that never mentions forwarding (an app-only role,
 * say) must not take away what another role deliberately granted. The TTL, by contrast, takes the
 * strictest role, because a shorter lifetime is the safe side of a disagreement.
 *
 * @param roles all roles of the user, sorted
 * @param logins the certificate principals: every login of every role (templates expanded, invalid values
 *     dropped) minus every login any role denies; sorted; empty means no certificate
 * @param maxSessionTtl the smallest {@code max_session_ttl} among the roles; empty when the user has none
 * @param portForwarding whether some role allows port forwarding
 * @param agentForwarding whether some role allows agent forwarding
 * @param x11Forwarding whether some role allows X11 forwarding
 * @param reasons the mappings that gave the roles, each role's logins, dropped template values, and,
 *     when {@code logins} is empty, a final {@code no-logins} reason
 */
public record SshGrant(
    List<String> roles,
    List<String> logins,
    Optional<Duration> maxSessionTtl,
    boolean portForwarding,
    boolean agentForwarding,
    boolean x11Forwarding,
    List<Reason> reasons) {

  public SshGrant {
    roles = List.copyOf(requireNonNull(roles, "roles"));
    logins = List.copyOf(requireNonNull(logins, "logins"));
    requireNonNull(maxSessionTtl, "maxSessionTtl");
    reasons = List.copyOf(requireNonNull(reasons, "reasons"));
  }

  /** Whether a certificate may be issued: the user has at least one login. */
  public boolean granted() {
    return !logins.isEmpty();
  }
}
