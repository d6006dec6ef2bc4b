package dev.portcullis.config;

import java.time.Duration;

/**
 * Session options of a role.
 *
 * @param maxSessionTtl the longest session or certificate the role allows; default 8h
 */
public record RoleOptions(Duration maxSessionTtl) {
  public static final RoleOptions DEFAULT = new RoleOptions(null);

  public RoleOptions {
    maxSessionTtl = Durations.positive(maxSessionTtl, "max_session_ttl", Duration.ofHours(8));
  }
}
