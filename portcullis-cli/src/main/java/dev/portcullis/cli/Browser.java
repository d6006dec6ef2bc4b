package dev.portcullis.cli;

import java.io.IOException;
import java.net.URI;

/** Opens a URL in the user's web browser, for the browser sign-in. */
@FunctionalInterface
public interface Browser {

  /**
   * Starts showing {@code uri} and returns without waiting for the user.
   *
   * @throws IOException if no browser could be started (the CLI has printed the URL for the user anyway)
   */
  void open(URI uri) throws IOException;
}
