package dev.portcullis.cli.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** The Portcullis server's sign-in URL as given to {@code --proxy}: {@code https://host[:port]} and nothing else. */
public final class ProxyUrl {

  private ProxyUrl() {}

  /**
   * @return the URL without a trailing slash, such as {@code https://portcullis.example.com:8443}
   * @throws CliFailure (usage) naming what is wrong
   */
  public static URI parse(String value) {
    String expected = " (expected: the server's https URL, such as https://portcullis.example.com:8443)";
    URI uri;
    try {
      uri = new URI(value.strip());
    } catch (URISyntaxException e) {
      throw CliFailure.usage("--proxy: \"" + value + "\" is not a URL" + expected);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https")) {
      throw CliFailure.usage("--proxy: " + value + " does not use https" + expected);
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
        || uri.getRawFragment() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()
        || uri.getRawPath().equals("/"))) {
      throw CliFailure.usage("--proxy: " + value + " must be only scheme, host and port" + expected);
    }
    return URI.create("https://" + uri.getRawAuthority());
  }
}
