package dev.portcullis.http.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides where the browser may be sent after signing in: only back to Portcullis itself or to a
 * configured app, never to another site (no open redirect).
 *
 * <p>Anything unusual is refused rather than repaired: backslashes (browsers read {@code /\evil} as
 * {@code //evil}), control characters, scheme-relative {@code //host} and user-info.
 */
final class ReturnUrls {
  private final URI publicUrl;
  private final Set<String> allowedAuthorities;

  /**
   * @param publicUrl the sign-in host's origin, where relative return paths resolve
   * @param allowedAuthorities lower-case {@code host:port} of every app and of the sign-in host
   */
  ReturnUrls(URI publicUrl, Set<String> allowedAuthorities) {
    this.publicUrl = publicUrl;
    this.allowedAuthorities = Set.copyOf(allowedAuthorities);
  }

  /** The absolute URL to return to, when the candidate is safe. */
  Optional<URI> validate(String candidate) {
    if (candidate == null || candidate.isEmpty() || candidate.length() > 2048) {
      return Optional.empty();
    }
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      if (c < 0x21 || c == 0x7f || c == '\\') {
        return Optional.empty();
      }
    }
    if (candidate.startsWith("/")) {
      if (candidate.startsWith("//")) {
        return Optional.empty();
      }
      return parse(publicUrl.getScheme() + "://" + publicUrl.getRawAuthority() + candidate).filter(this::allowed);
    }
    return parse(candidate).filter(this::allowed);
  }

  private boolean allowed(URI uri) {
    if (!uri.isAbsolute() || uri.isOpaque() || uri.getRawUserInfo() != null || uri.getHost() == null) {
      return false;
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals(publicUrl.getScheme())) {
      return false;
    }
    return allowedAuthorities.contains(authority(uri));
  }

  /** Lower-case {@code host:port}, with the scheme's default port made explicit. */
  static String authority(URI uri) {
    int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    return uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
  }

  private static Optional<URI> parse(String text) {
    try {
      return Optional.of(new URI(text));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }
}
