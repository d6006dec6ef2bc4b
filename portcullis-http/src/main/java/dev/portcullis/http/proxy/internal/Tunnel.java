package dev.portcullis.http.proxy.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Pipes raw bytes both ways between an upgraded client connection and its upstream (WebSocket after
 * {@code 101}), with back-pressure, closing both when either closes or both stay silent too long.
 */
public final class Tunnel {

  private Tunnel() {}

  /** Both channels must be stripped of HTTP handlers; {@code early*} bytes are delivered first. */
  public static void join(Channel client, Channel upstream, List<ByteBuf> earlyFromClient,
      List<ByteBuf> earlyFromUpstream, Duration idleTimeout) {
    long idleMillis = idleTimeout.toMillis();
    client.pipeline().addLast("tunnel-idle", new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
    client.pipeline().addLast("tunnel", new Relay(upstream));
    upstream.pipeline().addLast("tunnel-idle", new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
    upstream.pipeline().addLast("tunnel", new Relay(client));
    earlyFromUpstream.forEach(bytes -> client.write(bytes, client.voidPromise()));
    client.flush();
    earlyFromClient.forEach(bytes -> upstream.write(bytes, upstream.voidPromise()));
    upstream.flush();
    if (!client.isActive() || !upstream.isActive()) {
      client.close();
      upstream.close();
      return;
    }
    client.config().setAutoRead(true);
    upstream.config().setAutoRead(true);
  }

  /** Copies what one side reads to its peer, pausing reads while the peer cannot take more. */
  private static final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel peer;

    Relay(Channel peer) {
      this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      peer.write(msg, peer.voidPromise());
      if (!peer.isWritable()) {
        ctx.channel().config().setAutoRead(false);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      peer.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        peer.config().setAutoRead(true);
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent) {
        ctx.close();
      } else {
        ctx.fireUserEventTriggered(evt);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
