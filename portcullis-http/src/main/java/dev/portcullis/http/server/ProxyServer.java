package dev.portcullis.http.server;

import static java.util.Objects.requireNonNull;

import dev.portcullis.http.proxy.internal.Transport;
import dev.portcullis.http.proxy.internal.UpstreamPools;
import dev.portcullis.http.server.internal.ServerContext;
import dev.portcullis.http.server.internal.ServerInitializer;
import dev.portcullis.http.server.internal.ServerSslContexts;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's data plane: a listener that asks a {@link RequestGate} about every request and forwards,
 * answers or consumes it. It knows nothing of sessions or policy.
 *
 * <pre>{@code
 * try (ProxyServer server = ProxyServer.start(settings, request ->
 *     CompletableFuture.completedFuture(GateResult.Forward.to(UpstreamTarget.of("app", "http://127.0.0.1:8080"))))) {
 *   ...
 * }
 * }</pre>
 */
public final class ProxyServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

  private final EventLoopGroup group;
  private final Channel serverChannel;
  private final UpstreamPools pools;

  private ProxyServer(EventLoopGroup group, Channel serverChannel, UpstreamPools pools) {
    this.group = group;
    this.serverChannel = serverChannel;
    this.pools = pools;
  }

  /**
   * Binds and starts serving. Fails with {@link UncheckedIOException} when the address cannot be bound or the
   * TLS material is unusable.
   */
  public static ProxyServer start(ProxyServerSettings settings, RequestGate gate) {
    requireNonNull(settings, "settings");
    requireNonNull(gate, "gate");
    SslContext sslContext = null;
    if (settings.tls().isPresent()) {
      try {
        sslContext = ServerSslContexts.build(settings.tls().get(), settings.http2());
      } catch (SSLException e) {
        throw new UncheckedIOException("tls: unusable certificate or key (" + e.getMessage() + ")", e);
      }
    }
    UpstreamPools pools = new UpstreamPools(settings.maxIdleUpstreamConnections());
    ServerContext context = new ServerContext(settings, gate, pools, sslContext == null ? "http" : "https");
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(
        settings.ioThreads(), new DefaultThreadFactory("portcullis-io", true), Transport.ioHandlerFactory());
    try {
      Channel channel = new ServerBootstrap()
          .group(group)
          .channel(Transport.serverChannelClass())
          .option(ChannelOption.SO_BACKLOG, 1024)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.SO_KEEPALIVE, true)
          .childHandler(new ServerInitializer(context, sslContext))
          .bind(settings.listen())
          .syncUninterruptibly()
          .channel();
      log.info("proxy listening on {} ({}, {} I/O threads, {}, TLS provider {})", channel.localAddress(),
          context.scheme(), settings.ioThreads(), Transport.nativeEpoll() ? "epoll" : "nio",
          sslContext == null ? "none" : OpenSsl.isAvailable() ? "BoringSSL" : "JDK");
      return new ProxyServer(group, channel, pools);
    } catch (Exception e) { // bind failures arrive as undeclared checked exceptions
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      if (e instanceof RuntimeException runtime && !(e.getCause() instanceof java.io.IOException)) {
        throw runtime;
      }
      BindException bind = new BindException("listen: " + settings.listen() + " (" + e.getMessage() + ")");
      bind.initCause(e);
      throw new UncheckedIOException(bind);
    }
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** Stops accepting, closes every connection and pooled upstream connection, and stops the I/O threads. */
  @Override
  public void close() {
    serverChannel.close().syncUninterruptibly();
    pools.close();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
