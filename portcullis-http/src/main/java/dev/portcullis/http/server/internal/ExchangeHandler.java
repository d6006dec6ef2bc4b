package dev.portcullis.http.server.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a client channel (an HTTP/1.1 connection or one HTTP/2 stream): it runs one
 * {@link ClientExchange} at a time. Messages that arrive early (a body while the gate decides, pipelined
 * requests) wait in order, and reading stops while anything waits, so memory stays bounded.
 */
public final class ExchangeHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ExchangeHandler.class);

  private final ServerContext context;
  private final boolean h2;
  private final Http1ServerCodec.ResponseEncoder encoder;
  private final ArrayDeque<Object> held = new ArrayDeque<>(2);
  private ChannelHandlerContext ctx;
  private ClientExchange current;
  private boolean closed;
  private boolean draining;
  private HeaderDeadline headerDeadline;

  public ExchangeHandler(ServerContext context, boolean h2, Http1ServerCodec.ResponseEncoder encoder) {
    this.context = context;
    this.h2 = h2;
    this.encoder = encoder;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (!h2) {
      headerDeadline = new HeaderDeadline(ctx, context.settings().requestHeaderTimeout().toNanos(),
          () -> current == null && !closed);
      headerDeadline.start();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (current != null && current.takeRaw(msg)) {
      return;
    }
    if (!held.isEmpty() || !accepts(msg)) {
      held.add(msg);
      updateReading();
      return;
    }
    dispatch(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (current != null) {
      current.clientReadComplete();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (current != null) {
      current.clientWritabilityChanged();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    if (current != null) {
      current.cancel();
      current = null;
    }
    releaseHeld();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseHeld();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!closed) {
      log.debug("client channel {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    }
    if (current != null) {
      current.cancel();
      current = null;
    }
    close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (!(evt instanceof IdleStateEvent)) {
      ctx.fireUserEventTriggered(evt);
    } else if (current != null) {
      current.idle();
    } else {
      close();
    }
  }

  private boolean accepts(Object msg) {
    if (closed) {
      return true; // dispatch drops it
    }
    if (msg instanceof HttpRequest) {
      return current == null;
    }
    return current == null || current.acceptsContent();
  }

  private void dispatch(Object msg) {
    if (!closed && msg instanceof HttpRequest head) {
      current = new ClientExchange(this, ctx, context, h2, head);
      current.start(encoder);
    } else if (!closed && current != null && msg instanceof HttpContent content) {
      current.onContent(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  // ---- called by the current exchange

  /** Delivers waiting messages the current state can take. */
  void drainHeld() {
    if (draining) {
      return;
    }
    draining = true;
    try {
      while (!held.isEmpty() && accepts(held.peek())) {
        dispatch(held.poll());
      }
    } finally {
      draining = false;
    }
    updateReading();
  }

  /** Reads from the client only while nothing waits and the current state wants bytes. */
  void updateReading() {
    boolean want = held.isEmpty() && !closed && (current == null || current.wantsRead());
    Channel channel = ctx.channel();
    if (channel.config().isAutoRead() != want) {
      channel.config().setAutoRead(want);
    }
  }

  /** {@code exchange} ended; with {@code reuse} the connection waits for the next request. */
  void finished(ClientExchange exchange, boolean reuse) {
    if (current != exchange) {
      return;
    }
    current = null;
    if (!reuse) {
      closed = true;
      releaseHeld();
    } else if (headerDeadline != null) {
      headerDeadline.start();
    }
    drainHeld();
  }

  /** No further request will be read; the caller closes the channel once its answer is written. */
  void closing() {
    closed = true;
    releaseHeld();
    updateReading();
  }

  /** Closes the channel now (an HTTP/2 stream is reset). */
  void close() {
    closing();
    ctx.close();
  }

  /** The connection became a tunnel; this handler leaves the pipeline. */
  void upgradedAway() {
    current = null;
    closed = true;
    ctx.pipeline().remove(this);
  }

  private void releaseHeld() {
    Object msg;
    while ((msg = held.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
  }
}
