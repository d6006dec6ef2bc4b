package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The {@code session} section: the browser cookie's name and how long a sign-in lasts.
 *
 * @param cookieName the session cookie's name, an RFC 6265 token; default {@code _portcullis}
 * @param idleTimeout how long a session survives without requests; default 1h
 * @param absoluteTimeout how long a session lasts at most; default 12h, never less than {@code idleTimeout}
 */
public record SessionConfig(String cookieName, Duration idleTimeout, Duration absoluteTimeout) {
  // RFC 6265 section 4.1.1: cookie-name is an RFC 2616 token.
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  public static final SessionConfig DEFAULT = new SessionConfig(null, null, null);

  public SessionConfig {
    cookieName = cookieName == null ? "_portcullis" : cookieName;
    Check.matches(cookieName, TOKEN, "cookie_name", "a cookie name token: letters, digits and !#$%&'*+-.^_`|~");
    idleTimeout = Durations.positive(idleTimeout, "idle_timeout", Duration.ofHours(1));
    absoluteTimeout = Durations.positive(absoluteTimeout, "absolute_timeout", Duration.ofHours(12));
    Duration idle = idleTimeout;
    Duration absolute = absoluteTimeout;
    Check.that(absolute.compareTo(idle) >= 0, "absolute_timeout", () -> Durations.format(absolute)
        + " is shorter than idle_timeout " + Durations.format(idle) + " (expected: >= idle_timeout)");
  }
}
