package dev.portcullis.http.server.internal;

import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an HTTP/1.1 connection whose next request head does not arrive in time: idle keep-alive connections
 * and slowloris clients alike. One task per connection at most, rescheduled rather than cancelled per request.
 */
final class HeaderDeadline {

  private static final Logger log = LoggerFactory.getLogger(HeaderDeadline.class);

  private final ChannelHandlerContext ctx;
  private final long timeoutNanos;
  private final BooleanSupplier waiting;
  private long since;
  private boolean scheduled;

  /** {@code waiting} tells whether the connection is still waiting for a request head. */
  HeaderDeadline(ChannelHandlerContext ctx, long timeoutNanos, BooleanSupplier waiting) {
    this.ctx = ctx;
    this.timeoutNanos = timeoutNanos;
    this.waiting = waiting;
  }

  /** The connection starts waiting for a request head now. */
  void start() {
    since = System.nanoTime();
    if (!scheduled) {
      schedule(timeoutNanos);
    }
  }

  private void schedule(long delayNanos) {
    scheduled = true;
    ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void check() {
    scheduled = false;
    if (!waiting.getAsBoolean() || !ctx.channel().isActive()) {
      return;
    }
    long waited = System.nanoTime() - since;
    if (waited >= timeoutNanos) {
      log.debug("closing {}: no complete request head within {} ms", ctx.channel().remoteAddress(),
          TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
      ctx.close();
    } else {
      schedule(timeoutNanos - waited);
    }
  }
}
