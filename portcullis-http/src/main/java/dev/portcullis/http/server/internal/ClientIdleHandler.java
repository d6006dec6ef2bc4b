package dev.portcullis.http.server.internal;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.TimeUnit;

/**
 * Fires {@link IdleStateEvent#ALL_IDLE_STATE_EVENT} when a client channel has had no traffic for the idle
 * timeout: nothing read, nothing written, and its pending output has not moved. Unlike Netty's
 * IdleStateHandler it reads no clock and wraps no promise per message: traffic only sets a flag, which a
 * check every quarter of the timeout collects, so idleness is reported 1 to 1.25 timeouts after the last
 * traffic.
 */
final class ClientIdleHandler extends ChannelDuplexHandler {

  private static final int CHECKS_PER_TIMEOUT = 4;

  private final long periodNanos;
  private ChannelHandlerContext ctx;
  private boolean started;
  private boolean stopped;
  private boolean traffic;
  private int quietChecks;
  private int lastMessageHash;
  private long lastPendingBytes;
  private long lastProgress;

  ClientIdleHandler(long timeoutNanos) {
    if (timeoutNanos <= 0) {
      throw new IllegalArgumentException("timeoutNanos: " + timeoutNanos + " (expected: > 0)");
    }
    this.periodNanos = Math.max(1, timeoutNanos / CHECKS_PER_TIMEOUT);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
      start();
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stopped = true;
  }

  @Override
  public void channelRegistered(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      start();
    }
    ctx.fireChannelRegistered();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    stopped = true;
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    traffic = true;
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    traffic = true;
    ctx.write(msg, promise);
  }

  private void start() {
    if (started || stopped) {
      return;
    }
    started = true;
    outputMoved(); // remember where the output stands
    schedule();
  }

  private void schedule() {
    ctx.executor().schedule(this::check, periodNanos, TimeUnit.NANOSECONDS);
  }

  private void check() {
    if (stopped || !ctx.channel().isOpen()) {
      return;
    }
    // Read both, so the output's position is always the one of this check.
    boolean moved = outputMoved();
    if (traffic || moved) {
      traffic = false;
      quietChecks = 0;
    } else if (++quietChecks >= CHECKS_PER_TIMEOUT) {
      // A whole timeout passed since the last check that saw traffic; report, then count afresh.
      quietChecks = 0;
      ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    }
    if (!stopped) {
      schedule();
    }
  }

  /** Whether the pending output changed since the last call: a slow client that still reads is not idle. */
  private boolean outputMoved() {
    ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
    if (buffer == null) {
      return false;
    }
    int messageHash = System.identityHashCode(buffer.current());
    long pendingBytes = buffer.totalPendingWriteBytes();
    long progress = buffer.currentProgress();
    boolean moved = messageHash != lastMessageHash || pendingBytes != lastPendingBytes || progress != lastProgress;
    lastMessageHash = messageHash;
    lastPendingBytes = pendingBytes;
    lastProgress = progress;
    return moved;
  }
}
