package dev.portcullis.http.server.internal;

import dev.portcullis.http.proxy.internal.ClientSide;
import dev.portcullis.http.proxy.internal.ForwardExchange;
import dev.portcullis.http.proxy.internal.UpstreamRequests;
import dev.portcullis.http.server.ClientRequest;
import dev.portcullis.http.server.GateResult;
import dev.portcullis.http.server.SimpleResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives request after request on one client channel (an HTTP/1.1 connection or one HTTP/2 stream): check,
 * ask the gate, then forward, answer or consume. One request is handled at a time; messages that arrive early
 * (a body during the gate call, pipelined requests) wait in order, and reading stops while anything waits.
 */
public final class ExchangeHandler extends ChannelInboundHandlerAdapter implements ClientSide {

  private static final Logger log = LoggerFactory.getLogger(ExchangeHandler.class);

  private enum State { IDLE, GATE, FORWARD, CONSUME, LOCAL, DISCARD, UPGRADE, DONE }

  private final ServerContext context;
  private final boolean h2;
  private final Http1ServerCodec.ResponseEncoder encoder;
  private final ArrayDeque<Object> held = new ArrayDeque<>(2);
  private ChannelHandlerContext ctx;
  private State state = State.IDLE;
  private boolean draining;
  private HeaderDeadline headerDeadline;

  // The current request.
  private HttpRequest head;
  private ClientRequest request;
  private boolean keepAlive;
  private boolean hasBody;
  private boolean chunked;
  private boolean requestComplete;
  private boolean expectContinue;
  private boolean continueSent;
  private boolean bodyFlowing;
  private boolean responseStarted;
  private ForwardExchange forward;
  private GateResult.Consume consume;
  private BodyCollector collector;
  private long discarded;
  private int status;
  private String app;
  private long startNanos;
  private List<ByteBuf> upgradeClientBytes;

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
          () -> state == State.IDLE);
    }
    enterIdle();
  }

  @Override
  public Channel channel() {
    return ctx.channel();
  }

  // ---- client -> proxy

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.UPGRADE && msg instanceof ByteBuf bytes) {
      upgradeClientBytes.add(bytes);
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
    if (forward != null) {
      forward.clientReadComplete();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (forward != null) {
      forward.clientWritabilityChanged();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    state = State.DONE;
    if (forward != null) {
      forward.cancel();
      forward = null;
    }
    releaseHeld();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseHeld();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (state != State.DONE) {
      log.debug("client channel {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    }
    if (forward != null) {
      forward.cancel();
      forward = null;
    }
    state = State.DONE;
    ctx.close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (!(evt instanceof IdleStateEvent)) {
      ctx.fireUserEventTriggered(evt);
      return;
    }
    switch (state) {
      case GATE -> rejectAndClose(503, "request timed out");
      case FORWARD -> {
        if (!(requestComplete && !responseStarted)) { // awaiting the head is the response timeout's job
          forward.cancel();
          forward = null;
          state = State.DONE;
          ctx.close();
        }
      }
      default -> {
        state = State.DONE;
        ctx.close();
      }
    }
  }

  private boolean accepts(Object msg) {
    if (msg instanceof HttpRequest) {
      return state == State.IDLE;
    }
    return state != State.GATE && state != State.LOCAL;
  }

  private void dispatch(Object msg) {
    if (msg instanceof HttpRequest request) {
      onRequest(request);
    } else if (msg instanceof HttpContent content) {
      onContent(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void drainHeld() {
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

  private void updateReading() {
    boolean want = held.isEmpty() && switch (state) {
      case IDLE, CONSUME, DISCARD -> true;
      case FORWARD -> hasBody && !requestComplete && bodyFlowing;
      default -> false;
    };
    Channel channel = ctx.channel();
    if (channel.config().isAutoRead() != want) {
      channel.config().setAutoRead(want);
    }
  }

  private void onRequest(HttpRequest msg) {
    startNanos = System.nanoTime();
    head = msg;
    status = 0;
    app = null;
    responseStarted = false;
    continueSent = false;
    requestComplete = msg instanceof LastHttpContent;
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    RequestIntake intake;
    try {
      intake = RequestIntake.accept(msg, context, remote, h2);
    } catch (RequestRejectedException e) {
      ReferenceCountUtil.release(msg);
      log.debug("refused request from {}: {} {}", remote, e.status(), e.reason());
      rejectAndClose(e.status(), e.reason());
      return;
    }
    if (msg instanceof FullHttpRequest full) {
      full.release();
    }
    request = intake.request();
    hasBody = intake.hasBody();
    chunked = intake.chunked();
    keepAlive = intake.keepAlive();
    expectContinue = intake.expectContinue() && !requestComplete;
    boolean trustedPeer = intake.trustedPeer();
    if (encoder != null) {
      encoder.headRequest(msg.method().name().equals("HEAD"));
    }
    state = State.GATE;
    updateReading();
    askGate(trustedPeer);
  }

  private void askGate(boolean trustedPeer) {
    OnLoop.await(ctx.executor(), () -> context.gate().admit(request),
        (result, error) -> onGateResult(result, error, trustedPeer));
  }

  private void onGateResult(GateResult result, Throwable error, boolean trustedPeer) {
    if (state != State.GATE) {
      return; // the connection closed or timed out meanwhile
    }
    if (error != null || result == null) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      log.warn("gate failed for {} {}{}: {}", request.method(), request.host(), request.path(),
          cause == null ? "null result" : cause.toString());
      respondLocal(LocalResponses.error(500, "internal error"));
      return;
    }
    switch (result) {
      case GateResult.Respond respond -> respondLocal(respond.response());
      case GateResult.Consume c -> startConsume(c);
      case GateResult.Forward f -> startForward(f, trustedPeer);
    }
  }

  private void startForward(GateResult.Forward decision, boolean trustedPeer) {
    app = decision.target().appName();
    state = State.FORWARD;
    bodyFlowing = false;
    if (expectContinue) {
      sendContinue();
    }
    forward = ForwardExchange.create(UpstreamRequests.build(head, request, decision,
        context.settings().strippedCookieNames(), trustedPeer, hasBody, chunked), this, context.pools());
    forward.start();
    drainHeld();
  }

  private void startConsume(GateResult.Consume decision) {
    consume = decision;
    if (!hasBody || requestComplete) {
      runConsumeHandler(new byte[0]);
    } else if (!chunked && HttpUtil.getContentLength(head, 0L) > decision.maxBodyBytes()) {
      tooLarge();
    } else {
      state = State.CONSUME;
      collector = new BodyCollector(decision.maxBodyBytes());
      if (expectContinue) {
        sendContinue();
      }
      drainHeld();
    }
  }

  private void onContent(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (content.decoderResult().isFailure()) {
      content.release();
      if (forward != null) {
        forward.cancel();
        forward = null;
      }
      if (responseStarted) {
        state = State.DONE;
        ctx.close();
      } else {
        rejectAndClose(400, "malformed request body");
      }
      return;
    }
    switch (state) {
      case FORWARD -> {
        if (last) {
          requestComplete = true;
        }
        if (hasBody) {
          forward.requestContent(content);
        } else {
          content.release();
        }
        if (last) {
          updateReading();
        }
      }
      case CONSUME -> {
        boolean fits = collector.add(content.content());
        content.release();
        if (!fits) {
          tooLarge();
        } else if (last) {
          requestComplete = true;
          runConsumeHandler(collector.toBytes());
        }
      }
      case DISCARD -> {
        discarded += content.content().readableBytes();
        content.release();
        if (last) {
          requestComplete = true;
          exchangeFinished();
        } else if (discarded > context.settings().maxDiscardedBodyBytes()) {
          closeAfterFlush();
        }
      }
      default -> content.release();
    }
  }

  private void runConsumeHandler(byte[] body) {
    state = State.LOCAL;
    collector = null;
    updateReading();
    OnLoop.await(ctx.executor(), () -> consume.handler().apply(body), this::onConsumed);
  }

  private void onConsumed(SimpleResponse response, Throwable error) {
    if (state != State.LOCAL) {
      return;
    }
    if (error != null || response == null) {
      log.warn("local handler failed for {} {}{}: {}", request.method(), request.host(), request.path(),
          error == null ? "null response" : error.toString());
      respondLocal(LocalResponses.error(500, "internal error"));
    } else {
      respondLocal(response);
    }
  }

  private void tooLarge() {
    keepAlive = false; // the rest of an oversized body is not worth reading
    respondLocal(LocalResponses.error(413, "request body too large"));
  }

  private void sendContinue() {
    if (!continueSent) {
      continueSent = true;
      ctx.writeAndFlush(LocalResponses.continueResponse(), ctx.voidPromise());
    }
  }

  // ---- local answers

  private void respondLocal(SimpleResponse response) {
    FullHttpResponse full = LocalResponses.toNetty(response, ctx.alloc());
    if (expectContinue && !continueSent && !requestComplete) {
      keepAlive = false; // the client still holds its body back; closing is the clean way out
    }
    if (!h2 && !keepAlive) {
      full.headers().set("connection", "close");
    }
    status = response.status();
    state = State.LOCAL;
    ctx.writeAndFlush(full, ctx.voidPromise());
    exchangeFinished();
  }

  private void rejectAndClose(int code, String reason) {
    keepAlive = false;
    status = code;
    FullHttpResponse full = LocalResponses.toNetty(LocalResponses.error(code, reason), ctx.alloc());
    if (!h2) {
      full.headers().set("connection", "close");
    }
    state = State.DONE;
    releaseHeld();
    updateReading();
    ctx.writeAndFlush(full).addListener(ChannelFutureListener.CLOSE);
  }

  /** The response is fully written; continue with the rest of the request body, the next request, or close. */
  private void exchangeFinished() {
    if (!requestComplete) {
      if (h2 || keepAlive) {
        // Read and drop a modest rest of the body so the client sees a clean end; closeAfterFlush past the limit.
        state = State.DISCARD;
        discarded = 0;
        drainHeld();
        return;
      }
      closeAfterFlush();
      return;
    }
    if (log.isDebugEnabled()) {
      log.debug("{} {} {}{} -> {} {} ({} us)", request == null ? "-" : request.protocol(), head.method(),
          request == null ? "-" : request.host(), request == null ? "-" : request.path(), status,
          app == null ? "local" : app, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - startNanos));
    }
    if (h2) {
      state = State.DONE;
      return;
    }
    if (!keepAlive) {
      closeAfterFlush();
      return;
    }
    head = null;
    request = null;
    consume = null;
    collector = null;
    enterIdle();
    drainHeld();
  }

  private void closeAfterFlush() {
    state = State.DONE;
    releaseHeld();
    if (h2) {
      if (!requestComplete) {
        // RFC 9113 section 8.1: after a complete response, NO_ERROR asks the client to stop sending its body
        // without discarding the response.
        ctx.write(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR));
      }
      ctx.flush();
      ctx.close();
    } else {
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void enterIdle() {
    state = State.IDLE;
    if (headerDeadline != null) {
      headerDeadline.start();
    }
  }

  private void releaseHeld() {
    Object msg;
    while ((msg = held.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
    if (upgradeClientBytes != null && state != State.UPGRADE) {
      upgradeClientBytes.forEach(ByteBuf::release);
      upgradeClientBytes = null;
    }
  }

  // ---- upstream -> client (ClientSide)

  @Override
  public void responseHead(HttpResponse response) {
    responseStarted = true;
    status = response.status().code();
    if (!h2) {
      keepAlive = LocalResponses.frameForHttp1(response, head, keepAlive);
    }
    ctx.write(response, ctx.voidPromise());
  }

  @Override
  public void responseContent(HttpContent content) {
    ctx.write(content, ctx.voidPromise());
  }

  @Override
  public void flush() {
    ctx.flush();
  }

  @Override
  public void failed(int code, String reason) {
    forward = null;
    if (state == State.FORWARD) {
      respondLocal(LocalResponses.error(code, reason));
    }
  }

  @Override
  public void aborted(String reason) {
    forward = null;
    log.debug("aborting response to {}: {}", ctx.channel().remoteAddress(), reason);
    state = State.DONE;
    ctx.close();
  }

  @Override
  public void completed() {
    forward = null;
    exchangeFinished();
  }

  @Override
  public void requestBodyFlow(boolean flowing) {
    bodyFlowing = flowing;
    updateReading();
  }

  @Override
  public void upgraded(HttpResponse switching) {
    state = State.UPGRADE;
    status = 101;
    upgradeClientBytes = new ArrayList<>(0);
    updateReading();
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, switching.status(),
        Unpooled.EMPTY_BUFFER, switching.headers(), EmptyHttpHeaders.INSTANCE);
    ForwardExchange exchange = forward;
    forward = null;
    ctx.writeAndFlush(response).addListener(f -> {
      if (!f.isSuccess() || !ctx.channel().isActive()) {
        exchange.cancel();
        ctx.close();
        return;
      }
      log.debug("{} {}{} upgraded to a WebSocket tunnel to {}", head.method(), request.host(), request.path(), app);
      // Removing the codec hands any bytes it still buffers to this handler (collected in UPGRADE state).
      ctx.pipeline().remove(ServerInitializer.IDLE);
      ctx.pipeline().remove(ServerInitializer.HTTP_CODEC);
      List<ByteBuf> early = upgradeClientBytes;
      upgradeClientBytes = null;
      ctx.pipeline().remove(this);
      exchange.completeUpgrade(early, context.settings().tunnelIdleTimeout());
    });
  }
}
