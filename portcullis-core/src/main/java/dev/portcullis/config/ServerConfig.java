package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import dev.portcullis.config.internal.Urls;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The {@code server} section: where Portcullis listens and under which origin users sign in.
 *
 * @param listen the address of the HTTPS listener; default {@code 127.0.0.1:8443}
 * @param publicUrl the origin of the sign-in ("auth") host, normalized to {@code scheme://host[:port]};
 *     https, or http only for loopback hosts
 * @param tls the certificate and key; empty means a self-signed certificate generated in {@code dataDir}
 * @param dataDir the directory for the database, keys and default audit file; default {@code ./data}
 * @param trustedProxies the networks whose {@code X-Forwarded-For} is believed; default none
 */
public record ServerConfig(
    ListenAddress listen, URI publicUrl, Optional<TlsConfig> tls, Path dataDir, List<Cidr> trustedProxies) {
  public static final Path DEFAULT_DATA_DIR = Path.of("./data");
  private static final String ORIGIN = "https://host[:port], or http://host[:port] for a loopback host";

  public ServerConfig {
    listen = listen == null ? ListenAddress.DEFAULT : listen;
    Check.required(publicUrl, "public_url", ORIGIN);
    Urls.requireHttpUrl(publicUrl, "public_url", false, ORIGIN);
    publicUrl = Urls.origin(publicUrl, "public_url", ORIGIN);
    tls = tls == null ? Optional.empty() : tls;
    dataDir = dataDir == null ? DEFAULT_DATA_DIR : dataDir;
    trustedProxies = Check.list(trustedProxies, "trusted_proxies");
  }

  /** The public host name of the sign-in origin, lower case. */
  public String publicHost() {
    return publicUrl.getHost();
  }
}
