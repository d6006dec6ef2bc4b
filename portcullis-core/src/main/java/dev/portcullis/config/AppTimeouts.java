package dev.portcullis.config;

import java.time.Duration;

/**
 * Upstream timeouts of an app.
 *
 * @param connect to open the upstream connection; default 5s
 * @param response until the first response byte; default 30s
 * @param idle without traffic on an open exchange; default 60s
 */
public record AppTimeouts(Duration connect, Duration response, Duration idle) {
  public static final AppTimeouts DEFAULT = new AppTimeouts(null, null, null);

  public AppTimeouts {
    connect = Durations.positive(connect, "connect", Duration.ofSeconds(5));
    response = Durations.positive(response, "response", Duration.ofSeconds(30));
    idle = Durations.positive(idle, "idle", Duration.ofSeconds(60));
  }
}
