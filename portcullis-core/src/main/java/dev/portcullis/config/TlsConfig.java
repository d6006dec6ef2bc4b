package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import java.nio.file.Path;

/**
 * A PEM certificate chain and its private key for the public listener.
 *
 * @param certFile the PEM certificate chain, leaf first
 * @param keyFile the PEM private key
 */
public record TlsConfig(Path certFile, Path keyFile) {

  public TlsConfig {
    Check.required(certFile, "cert_file", "the path of a PEM certificate chain");
    Check.required(keyFile, "key_file", "the path of a PEM private key");
  }
}
