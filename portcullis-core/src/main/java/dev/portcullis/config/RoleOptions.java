package dev.portcullis.config;

import java.time.Duration;

/**
 * Session options of a role. Forwarding is off unless a role turns it on.
 *
 * @param maxSessionTtl the longest session or certificate the role allows; default 8h
 * @param portForwarding whether SSH certificates may permit port forwarding; default false
 * @param agentForwarding whether SSH certificates may permit agent forwarding; default false
 * @param x11Forwarding whether SSH certificates may permit X11 forwarding; default false
 */
public record RoleOptions(
    Duration maxSessionTtl, boolean portForwarding, boolean agentForwarding, boolean x11Forwarding) {
  public static final RoleOptions DEFAULT = new RoleOptions(null, false, false, false);

  public RoleOptions {
    maxSessionTtl = Durations.positive(maxSessionTtl, "max_session_ttl", Duration.ofHours(8));
  }
}
