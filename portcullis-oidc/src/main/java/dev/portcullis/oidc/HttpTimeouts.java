package dev.portcullis.oidc;

import java.time.Duration;
import java.util.Objects;

/**
 * Connect and read timeouts for every call to a provider (discovery, JWKS, token, userinfo).
 *
 * @param connect how long to wait for the TCP (and TLS) connection
 * @param read    how long to wait for the response once connected
 */
public record HttpTimeouts(Duration connect, Duration read) {

  private static final Duration MAX = Duration.ofMinutes(5);

  public HttpTimeouts {
    Objects.requireNonNull(connect, "connect");
    Objects.requireNonNull(read, "read");
    if (connect.isNegative() || connect.isZero() || connect.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("connect: " + connect + " (expected: > 0 and <= " + MAX + ")");
    }
    if (read.isNegative() || read.isZero() || read.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("read: " + read + " (expected: > 0 and <= " + MAX + ")");
    }
  }

  /** The same timeout for connecting and reading. */
  public static HttpTimeouts of(Duration both) {
    return new HttpTimeouts(both, both);
  }

  /** Five seconds to connect and ten to read: generous for a provider, short enough to fail a login fast. */
  public static HttpTimeouts defaults() {
    return new HttpTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));
  }
}
