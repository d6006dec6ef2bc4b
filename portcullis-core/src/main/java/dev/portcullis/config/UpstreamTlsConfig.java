package dev.portcullis.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS settings for an https upstream.
 *
 * @param caFile a PEM file of extra CA certificates trusted for this upstream
 * @param serverName the name sent as SNI and verified in the upstream's certificate instead of its host
 */
public record UpstreamTlsConfig(Optional<Path> caFile, Optional<String> serverName) {

  public UpstreamTlsConfig {
    caFile = caFile == null ? Optional.empty() : caFile;
    serverName = serverName == null ? Optional.empty() : serverName;
    serverName.ifPresent(n -> dev.portcullis.config.internal.Check.text(n, "server_name", "a DNS name"));
  }
}
