package dev.portcullis.http.server;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the listener needs besides the gate. Build with {@link #builder(InetSocketAddress)}; each builder
 * method documents its default.
 *
 * @param listen the address to bind; port 0 picks a free port
 * @param tls the certificate to serve; empty serves plain HTTP/1.1 (tests, benchmarks, behind a TLS balancer)
 * @param strippedCookieNames cookies removed from the {@code Cookie} header before forwarding (session cookies)
 * @param trustedProxies peers whose {@code X-Forwarded-*} headers are believed and extended
 * @param maxRequestLineBytes longer request lines are answered {@code 414}
 * @param maxHeaderBytes larger header sections are answered {@code 431}
 * @param requestHeaderTimeout a connection waiting longer than this for a complete request head is closed
 * @param clientIdleTimeout a client connection with no traffic for this long is closed
 * @param tunnelIdleTimeout an upgraded (WebSocket) connection with no traffic for this long is closed
 * @param maxConcurrentStreams HTTP/2 streams per connection
 * @param maxIdleUpstreamConnections idle pooled connections kept per origin and I/O thread
 * @param maxDiscardedBodyBytes request body read and dropped after a local answer before closing instead
 * @param ioThreads event loop threads
 * @param http2 offer {@code h2} through ALPN on the TLS listener
 */
public record ProxyServerSettings(
    InetSocketAddress listen,
    Optional<ServerTls> tls,
    Set<String> strippedCookieNames,
    List<Cidr> trustedProxies,
    int maxRequestLineBytes,
    int maxHeaderBytes,
    Duration requestHeaderTimeout,
    Duration clientIdleTimeout,
    Duration tunnelIdleTimeout,
    int maxConcurrentStreams,
    int maxIdleUpstreamConnections,
    int maxDiscardedBodyBytes,
    int ioThreads,
    boolean http2) {

  public ProxyServerSettings {
    requireNonNull(listen, "listen");
    requireNonNull(tls, "tls");
    strippedCookieNames = Set.copyOf(requireNonNull(strippedCookieNames, "strippedCookieNames"));
    trustedProxies = List.copyOf(requireNonNull(trustedProxies, "trustedProxies"));
    checkRange(maxRequestLineBytes, 256, 1 << 20, "maxRequestLineBytes");
    checkRange(maxHeaderBytes, 1024, 1 << 20, "maxHeaderBytes");
    UpstreamOptions.checkPositive(requestHeaderTimeout, "requestHeaderTimeout");
    UpstreamOptions.checkPositive(clientIdleTimeout, "clientIdleTimeout");
    UpstreamOptions.checkPositive(tunnelIdleTimeout, "tunnelIdleTimeout");
    checkRange(maxConcurrentStreams, 1, 1 << 16, "maxConcurrentStreams");
    checkRange(maxIdleUpstreamConnections, 0, 1 << 16, "maxIdleUpstreamConnections");
    checkRange(maxDiscardedBodyBytes, 0, 1 << 30, "maxDiscardedBodyBytes");
    checkRange(ioThreads, 1, 1024, "ioThreads");
  }

  public static Builder builder(InetSocketAddress listen) {
    return new Builder(listen);
  }

  public Builder toBuilder() {
    return new Builder(listen).tls(tls.orElse(null)).strippedCookieNames(strippedCookieNames)
        .trustedProxies(trustedProxies).maxRequestLineBytes(maxRequestLineBytes).maxHeaderBytes(maxHeaderBytes)
        .requestHeaderTimeout(requestHeaderTimeout).clientIdleTimeout(clientIdleTimeout)
        .tunnelIdleTimeout(tunnelIdleTimeout).maxConcurrentStreams(maxConcurrentStreams)
        .maxIdleUpstreamConnections(maxIdleUpstreamConnections).maxDiscardedBodyBytes(maxDiscardedBodyBytes)
        .ioThreads(ioThreads).http2(http2);
  }

  private static void checkRange(int value, int min, int max, String what) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(what + ": " + value + " (expected: " + min + ".." + max + ")");
    }
  }

  /** A mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private final InetSocketAddress listen;
    private ServerTls tls;
    private Set<String> strippedCookieNames = Set.of();
    private List<Cidr> trustedProxies = List.of();
    private int maxRequestLineBytes = 8 * 1024;
    private int maxHeaderBytes = 16 * 1024;
    private Duration requestHeaderTimeout = Duration.ofSeconds(30);
    private Duration clientIdleTimeout = Duration.ofSeconds(75);
    private Duration tunnelIdleTimeout = Duration.ofMinutes(10);
    private int maxConcurrentStreams = 256;
    private int maxIdleUpstreamConnections = 128;
    private int maxDiscardedBodyBytes = 256 * 1024;
    private int ioThreads = Runtime.getRuntime().availableProcessors();
    private boolean http2 = true;

    private Builder(InetSocketAddress listen) {
      this.listen = requireNonNull(listen, "listen");
    }

    /** Serve TLS with this certificate; default none (plain HTTP/1.1). */
    public Builder tls(ServerTls value) {
      this.tls = value;
      return this;
    }

    /** Cookies never forwarded upstream; default none. */
    public Builder strippedCookieNames(Set<String> value) {
      this.strippedCookieNames = requireNonNull(value, "strippedCookieNames");
      return this;
    }

    /** Peers trusted to set {@code X-Forwarded-*}; default none (client values are replaced). */
    public Builder trustedProxies(List<Cidr> value) {
      this.trustedProxies = requireNonNull(value, "trustedProxies");
      return this;
    }

    /** Default 8 KiB; longer request lines get {@code 414}. */
    public Builder maxRequestLineBytes(int value) {
      this.maxRequestLineBytes = value;
      return this;
    }

    /** Default 16 KiB; larger header sections get {@code 431}. */
    public Builder maxHeaderBytes(int value) {
      this.maxHeaderBytes = value;
      return this;
    }

    /** Default 30 s, counted from connection start or the end of the previous response. */
    public Builder requestHeaderTimeout(Duration value) {
      this.requestHeaderTimeout = value;
      return this;
    }

    /** Default 75 s of neither reads nor writes. */
    public Builder clientIdleTimeout(Duration value) {
      this.clientIdleTimeout = value;
      return this;
    }

    /** Default 10 min of no WebSocket traffic either way. */
    public Builder tunnelIdleTimeout(Duration value) {
      this.tunnelIdleTimeout = value;
      return this;
    }

    /** Default 256 HTTP/2 streams per connection. */
    public Builder maxConcurrentStreams(int value) {
      this.maxConcurrentStreams = value;
      return this;
    }

    /** Default 128 idle connections per origin and I/O thread. */
    public Builder maxIdleUpstreamConnections(int value) {
      this.maxIdleUpstreamConnections = value;
      return this;
    }

    /** Default 256 KiB read and dropped after a local answer; beyond it the connection is closed. */
    public Builder maxDiscardedBodyBytes(int value) {
      this.maxDiscardedBodyBytes = value;
      return this;
    }

    /** Default: one per available processor. */
    public Builder ioThreads(int value) {
      this.ioThreads = value;
      return this;
    }

    /** Default true: offer {@code h2} on TLS. */
    public Builder http2(boolean value) {
      this.http2 = value;
      return this;
    }

    public ProxyServerSettings build() {
      return new ProxyServerSettings(listen, Optional.ofNullable(tls), strippedCookieNames, trustedProxies,
          maxRequestLineBytes, maxHeaderBytes, requestHeaderTimeout, clientIdleTimeout, tunnelIdleTimeout,
          maxConcurrentStreams, maxIdleUpstreamConnections, maxDiscardedBodyBytes, ioThreads, http2);
    }
  }
}
