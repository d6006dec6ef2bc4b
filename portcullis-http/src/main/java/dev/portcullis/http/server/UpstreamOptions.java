package dev.portcullis.http.server;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How to talk to one upstream origin. Connections are pooled per origin and options, so equal options share
 * a pool.
 *
 * @param caCertificates the CAs trusted for an {@code https} origin; empty means the JDK's default trust
 *     store. Certificate and host name verification are always on.
 * @param serverName the TLS server name (SNI) and the name the certificate must match, when it differs from
 *     the origin's host
 * @param connectTimeout TCP connect plus TLS handshake; exceeding it answers {@code 502}
 * @param responseTimeout from the end of the request until the response head; exceeding it answers {@code 504}
 * @param idleTimeout how long an idle keep-alive connection stays in the pool
 * @param preserveHost send the client's {@code Host} upstream instead of the origin's {@code host:port}
 */
public record UpstreamOptions(
    List<X509Certificate> caCertificates,
    Optional<String> serverName,
    Duration connectTimeout,
    Duration responseTimeout,
    Duration idleTimeout,
    boolean preserveHost) {

  /** Connect 5 s, response 30 s, idle 60 s, JDK trust store, origin host name, no preserved host. */
  public static final UpstreamOptions DEFAULTS = new UpstreamOptions(
      List.of(), Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60), false);

  public UpstreamOptions {
    caCertificates = List.copyOf(requireNonNull(caCertificates, "caCertificates"));
    requireNonNull(serverName, "serverName");
    serverName.ifPresent(name -> {
      if (name.isBlank() || name.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
        throw new IllegalArgumentException("serverName: '" + name + "' (expected: a DNS name)");
      }
    });
    checkPositive(connectTimeout, "connectTimeout");
    checkPositive(responseTimeout, "responseTimeout");
    checkPositive(idleTimeout, "idleTimeout");
  }

  public UpstreamOptions withCaCertificates(List<X509Certificate> cas) {
    return new UpstreamOptions(cas, serverName, connectTimeout, responseTimeout, idleTimeout, preserveHost);
  }

  public UpstreamOptions withServerName(String name) {
    return new UpstreamOptions(caCertificates, Optional.of(name), connectTimeout, responseTimeout, idleTimeout,
        preserveHost);
  }

  public UpstreamOptions withConnectTimeout(Duration timeout) {
    return new UpstreamOptions(caCertificates, serverName, timeout, responseTimeout, idleTimeout, preserveHost);
  }

  public UpstreamOptions withResponseTimeout(Duration timeout) {
    return new UpstreamOptions(caCertificates, serverName, connectTimeout, timeout, idleTimeout, preserveHost);
  }

  public UpstreamOptions withIdleTimeout(Duration timeout) {
    return new UpstreamOptions(caCertificates, serverName, connectTimeout, responseTimeout, timeout, preserveHost);
  }

  public UpstreamOptions withPreserveHost(boolean preserve) {
    return new UpstreamOptions(caCertificates, serverName, connectTimeout, responseTimeout, idleTimeout, preserve);
  }

  /** Reads every certificate of a PEM (or DER) file, for {@link #caCertificates}. */
  public static List<X509Certificate> readCertificates(Path pemFile) throws IOException {
    try (InputStream in = Files.newInputStream(pemFile)) {
      List<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in)
          .stream().map(X509Certificate.class::cast).toList();
      if (certificates.isEmpty()) {
        throw new IOException(pemFile + ": no certificate found (expected: PEM certificates)");
      }
      return certificates;
    } catch (CertificateException e) {
      throw new IOException(pemFile + ": not a certificate file (" + e.getMessage() + ")", e);
    }
  }

  static void checkPositive(Duration duration, String what) {
    requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + ": " + duration + " (expected: > 0)");
    }
  }
}
