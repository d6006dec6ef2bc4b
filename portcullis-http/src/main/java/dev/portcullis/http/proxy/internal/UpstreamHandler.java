package dev.portcullis.http.proxy.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an upstream connection: it hands events to the exchange currently using the
 * connection, and while the connection sits idle in the pool it notices the upstream closing it.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

  private final UpstreamPool pool;
  private final UpstreamKey key;
  private ForwardExchange exchange;

  UpstreamHandler(UpstreamPool pool, UpstreamKey key) {
    this.pool = pool;
    this.key = key;
  }

  void attach(ForwardExchange owner) {
    this.exchange = owner;
  }

  void detach() {
    this.exchange = null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (exchange != null) {
      exchange.upstreamRead(msg);
    } else {
      // An idle HTTP/1.1 connection must stay silent; anything else means it is out of sync.
      ReferenceCountUtil.release(msg);
      ctx.close();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (exchange != null) {
      exchange.upstreamReadComplete();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (exchange != null) {
      exchange.upstreamWritabilityChanged();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (exchange != null) {
      exchange.upstreamFailed(null);
    } else {
      pool.remove(key, ctx.channel());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (exchange != null) {
      exchange.upstreamFailed(cause);
    }
    ctx.close();
  }
}
