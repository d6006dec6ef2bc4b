package dev.portcullis.http.proxy.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.resolver.NoopAddressResolverGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SSLException;

/**
 * Opens HTTP/1.1 connections to upstream origins on the caller's event loop (so a proxied exchange never
 * changes threads), over TCP or verified TLS. TLS contexts are built once per set of trusted CAs.
 */
public final class UpstreamConnector {

  static final int MAX_RESPONSE_LINE = 8 * 1024;
  static final int MAX_RESPONSE_HEADERS = 64 * 1024;
  static final int MAX_CHUNK = 64 * 1024;

  private final ConcurrentMap<List<X509Certificate>, SslContext> sslContexts = new ConcurrentHashMap<>();

  /**
   * Connects and, for TLS, completes the handshake; the promise fails with a short reason on any error. The
   * new channel's pipeline ends in an {@link UpstreamHandler} bound to {@code pool}.
   */
  public Future<Channel> connect(EventLoop loop, UpstreamKey key, UpstreamPool pool) {
    Promise<Channel> promise = loop.newPromise();
    SslContext sslContext;
    try {
      sslContext = key.tls() ? sslContext(key.options().caCertificates()) : null;
    } catch (SSLException e) {
      promise.setFailure(new UpstreamException(502, "upstream TLS configuration invalid", e));
      return promise;
    }
    InetAddress literal = ipLiteral(key.host());
    if (literal != null) {
      connect(loop, key, pool, sslContext, new InetSocketAddress(literal, key.port()), promise);
    } else {
      // Name lookups can block for seconds; they run on a virtual thread, never on the event loop.
      Thread.ofVirtual().name("portcullis-resolve").start(() -> {
        try {
          InetSocketAddress resolved = new InetSocketAddress(InetAddress.getByName(key.host()), key.port());
          loop.execute(() -> connect(loop, key, pool, sslContext, resolved, promise));
        } catch (UnknownHostException | SecurityException e) {
          promise.tryFailure(new UpstreamException(502, "upstream name not resolved", e));
        }
      });
    }
    return promise;
  }

  private void connect(EventLoop loop, UpstreamKey key, UpstreamPool pool, SslContext sslContext,
      InetSocketAddress address, Promise<Channel> promise) {
    int connectMillis = (int) Math.min(Integer.MAX_VALUE, key.options().connectTimeout().toMillis());
    Bootstrap bootstrap = new Bootstrap().group(loop).channel(Transport.socketChannelClass())
        .resolver(NoopAddressResolverGroup.INSTANCE)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            if (sslContext != null) {
              String peerName = key.options().serverName().orElse(key.host());
              SslHandler ssl = sslContext.newHandler(ch.alloc(), peerName, key.port());
              ssl.setHandshakeTimeoutMillis(connectMillis);
              ch.pipeline().addLast("tls", ssl);
            }
            HttpDecoderConfig decoder = new HttpDecoderConfig().setMaxInitialLineLength(MAX_RESPONSE_LINE)
                .setMaxHeaderSize(MAX_RESPONSE_HEADERS).setMaxChunkSize(MAX_CHUNK);
            ch.pipeline().addLast("http", new HttpClientCodec(decoder, false, false));
            ch.pipeline().addLast("upstream", new UpstreamHandler(pool, key));
          }
        });
    ChannelFuture connected = bootstrap.connect(address);
    connected.addListener(f -> {
      if (!f.isSuccess()) {
        promise.tryFailure(new UpstreamException(502, f.cause() instanceof ConnectTimeoutException
            ? "upstream connect timed out" : "upstream connect failed", f.cause()));
        return;
      }
      Channel ch = connected.channel();
      SslHandler ssl = ch.pipeline().get(SslHandler.class);
      if (ssl == null) {
        promise.trySuccess(ch);
        return;
      }
      ssl.handshakeFuture().addListener(h -> {
        if (h.isSuccess()) {
          promise.trySuccess(ch);
        } else {
          ch.close();
          promise.tryFailure(new UpstreamException(502, "upstream TLS handshake failed", h.cause()));
        }
      });
    });
  }

  /** The address when {@code host} is an IPv4 or IPv6 literal, else {@code null}; never looks a name up. */
  private static InetAddress ipLiteral(String host) {
    try {
      return InetAddress.ofLiteral(host);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private SslContext sslContext(List<X509Certificate> trusted) throws SSLException {
    SslContext existing = sslContexts.get(trusted);
    if (existing != null) {
      return existing;
    }
    SslContextBuilder builder = SslContextBuilder.forClient()
        .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
        .protocols("TLSv1.3", "TLSv1.2")
        .endpointIdentificationAlgorithm("HTTPS");
    if (!trusted.isEmpty()) {
      builder.trustManager(trusted);
    }
    SslContext built = builder.build();
    SslContext raced = sslContexts.putIfAbsent(trusted, built);
    return raced != null ? raced : built;
  }
}
