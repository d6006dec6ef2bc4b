package dev.portcullis.config;

import static java.util.Objects.requireNonNull;

/**
 * A secret from the configuration (password, client secret, TOTP seed, password hash). It never shows
 * its value in {@link #toString()}, so a logged config record cannot leak it.
 *
 * @param value the secret text; read it only where it is used
 */
public record Secret(String value) {

  public Secret {
    requireNonNull(value, "value");
  }

  @Override
  public String toString() {
    return "Secret[***]";
  }
}
