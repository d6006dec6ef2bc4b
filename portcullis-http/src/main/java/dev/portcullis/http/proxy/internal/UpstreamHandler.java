package dev.portcullis.http.proxy.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of an upstream connection: it hands events to the exchange currently using the
 * connection, and while the connection sits idle in the pool it notices the upstream closing it. It also
 * keeps the connection's response deadline: one check task per connection that moves the deadline along,
 * rather than a timer scheduled and cancelled for every request.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

  private final UpstreamPool pool;
  private final UpstreamKey key;
  private ChannelHandlerContext ctx;
  private ForwardExchange exchange;
  private boolean awaitingHead;
  private long headDeadline;
  private boolean checkScheduled;

  UpstreamHandler(UpstreamPool pool, UpstreamKey key) {
    this.pool = pool;
    this.key = key;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  void attach(ForwardExchange owner) {
    this.exchange = owner;
  }

  void detach() {
    this.exchange = null;
    this.awaitingHead = false;
  }

  /**
   * The attached exchange has sent its request and waits at most {@code timeoutNanos} from now for the
   * response head; past that it hears {@link ForwardExchange#responseTimedOut()}.
   */
  void awaitHead(long timeoutNanos) {
    awaitingHead = true;
    headDeadline = System.nanoTime() + timeoutNanos;
    if (!checkScheduled) {
      scheduleCheck(timeoutNanos);
    }
  }

  /** The response head arrived (or the exchange ended): the deadline no longer applies. */
  void headArrived() {
    awaitingHead = false;
  }

  private void scheduleCheck(long delayNanos) {
    checkScheduled = true;
    ctx.executor().schedule(this::checkDeadline, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void checkDeadline() {
    checkScheduled = false;
    if (!awaitingHead || exchange == null || !ctx.channel().isActive()) {
      return;
    }
    // A connection serves one key, so its timeout never changes: a check scheduled for an earlier request
    // always runs at or before the current deadline, and moves on to it.
    long left = headDeadline - System.nanoTime();
    if (left > 0) {
      scheduleCheck(left);
      return;
    }
    awaitingHead = false;
    exchange.responseTimedOut();
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
