package dev.portcullis.config;

import java.time.Duration;

/**
 * Session options of a role. Forwarding is off unless a role turns it on; recording is on unless a role turns
 * it off, because an unrecorded session is the unsafe side of a forgotten setting.
 *
 * @param maxSessionTtl the longest session or certificate the role allows; default 8h
 * @param portForwarding whether SSH certificates and the bastion permit port forwarding; default false
 * @param agentForwarding whether SSH certificates and the bastion permit agent forwarding; default false
 * @param x11Forwarding whether SSH certificates may permit X11 forwarding; default false
 * @param recordSessions whether the bastion records this role's interactive sessions; default true. A user is
 *     recorded when any of their roles records
 */
public record RoleOptions(
    Duration maxSessionTtl, boolean portForwarding, boolean agentForwarding, boolean x11Forwarding,
    Boolean recordSessions) {
  public static final RoleOptions DEFAULT = new RoleOptions(null, false, false, false, null);

  public RoleOptions {
    maxSessionTtl = Durations.positive(maxSessionTtl, "max_session_ttl", Duration.ofHours(8));
    recordSessions = recordSessions == null ? Boolean.TRUE : recordSessions;
  }

  /** As the canonical constructor, with recording on. */
  public RoleOptions(Duration maxSessionTtl, boolean portForwarding, boolean agentForwarding, boolean x11Forwarding) {
    this(maxSessionTtl, portForwarding, agentForwarding, x11Forwarding, Boolean.TRUE);
  }

  /** Whether the bastion records sessions under this role. */
  public boolean records() {
    return recordSessions;
  }
}
