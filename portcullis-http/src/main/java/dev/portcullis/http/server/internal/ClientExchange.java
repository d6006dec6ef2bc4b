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
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request on a client channel, from its head to the end of its response: check it, ask the gate, then
 * forward it, answer it or consume its body. It tells its {@link ExchangeHandler} when it wants body bytes and
 * when it is done.
 */
final class ClientExchange implements ClientSide {

  private static final Logger log = LoggerFactory.getLogger(ClientExchange.class);

  private enum Phase { GATE, FORWARD, CONSUME, LOCAL, DISCARD, UPGRADE, DONE }

  private final ExchangeHandler connection;
  private final ChannelHandlerContext ctx;
  private final ServerContext context;
  private final boolean h2;
  private final HttpRequest head;
  private final long startNanos = System.nanoTime();
  private Phase phase = Phase.GATE;
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
  private List<ByteBuf> upgradeClientBytes;

  ClientExchange(ExchangeHandler connection, ChannelHandlerContext ctx, ServerContext context, boolean h2,
      HttpRequest head) {
    this.connection = connection;
    this.ctx = ctx;
    this.context = context;
    this.h2 = h2;
    this.head = head;
    this.requestComplete = head instanceof LastHttpContent;
  }

  /** Checks the head and asks the gate; a refused head is answered and the connection closed. */
  void start(Http1ServerCodec.ResponseEncoder encoder) {
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    RequestIntake intake;
    try {
      intake = RequestIntake.accept(head, context, remote, h2);
    } catch (RequestRejectedException e) {
      ReferenceCountUtil.release(head);
      log.debug("refused request from {}: {} {}", remote, e.status(), e.reason());
      rejectAndClose(e.status(), e.reason());
      return;
    }
    if (head instanceof FullHttpRequest full) {
      full.release();
    }
    request = intake.request();
    hasBody = intake.hasBody();
    chunked = intake.chunked();
    keepAlive = intake.keepAlive();
    expectContinue = intake.expectContinue() && !requestComplete;
    if (encoder != null) {
      encoder.headRequest(head.method().name().equals("HEAD"));
    }
    OnLoop.await(ctx.executor(), () -> context.gate().admit(request),
        (result, error) -> onGateResult(result, error, intake.trustedPeer()));
    if (phase == Phase.GATE) {
      // The gate answers later (a session lookup or an audit write): stop reading until it has. A gate that
      // answered at once already set the reading its answer needs, so the common case never toggles reads,
      // which would cost two epoll_ctl calls per request.
      connection.updateReading();
    }
  }

  // ---- what the connection asks

  /** Whether a body part may be delivered now (else it waits in the connection's queue). */
  boolean acceptsContent() {
    return phase != Phase.GATE && phase != Phase.LOCAL;
  }

  /** Whether the connection should read from the client now. */
  boolean wantsRead() {
    return switch (phase) {
      case CONSUME, DISCARD -> true;
      // A body is read while the upstream takes it. Once the request is fully read and only the upstream's
      // answer is awaited, reading on costs nothing: anything that arrives is a pipelined request, which
      // the handler holds (and then stops reading). Keeping the channel readable spares two epoll_ctl
      // calls per keep-alive request, with or without a body. Not for an upgrade: bytes after it belong
      // to the tunnel, not to the HTTP decoder.
      case FORWARD -> hasBody && !requestComplete ? bodyFlowing : !request.websocketUpgrade();
      default -> false;
    };
  }

  /** Takes raw bytes the HTTP codec hands over while the connection turns into a tunnel. */
  boolean takeRaw(Object msg) {
    if (phase == Phase.UPGRADE && msg instanceof ByteBuf bytes) {
      upgradeClientBytes.add(bytes);
      return true;
    }
    return false;
  }

  void clientReadComplete() {
    if (forward != null) {
      forward.clientReadComplete();
    }
  }

  void clientWritabilityChanged() {
    if (forward != null) {
      forward.clientWritabilityChanged();
    }
  }

  /** The client channel closed or failed. */
  void cancel() {
    phase = Phase.DONE;
    if (forward != null) {
      forward.cancel();
      forward = null;
    }
    if (upgradeClientBytes != null) {
      upgradeClientBytes.forEach(ByteBuf::release);
      upgradeClientBytes = null;
    }
  }

  /** Neither side moved for the client idle timeout. */
  void idle() {
    switch (phase) {
      case GATE -> rejectAndClose(503, "request timed out");
      case FORWARD -> {
        if (requestComplete && !responseStarted) {
          return; // awaiting the response head is the response timeout's job
        }
        cancel();
        connection.close();
      }
      default -> {
        cancel();
        connection.close();
      }
    }
  }

  // ---- gate outcome

  private void onGateResult(GateResult result, Throwable error, boolean trustedPeer) {
    if (phase != Phase.GATE) {
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
    phase = Phase.FORWARD;
    if (expectContinue) {
      sendContinue();
    }
    forward = ForwardExchange.create(UpstreamRequests.build(head, request, decision,
        context.settings().strippedCookieNames(), trustedPeer, hasBody, chunked), this, context.pools());
    forward.start();
    connection.drainHeld();
  }

  private void startConsume(GateResult.Consume decision) {
    consume = decision;
    if (!hasBody || requestComplete) {
      runConsumeHandler(new byte[0]);
    } else if (!chunked && HttpUtil.getContentLength(head, 0L) > decision.maxBodyBytes()) {
      tooLarge();
    } else {
      phase = Phase.CONSUME;
      collector = new BodyCollector(decision.maxBodyBytes());
      if (expectContinue) {
        sendContinue();
      }
      connection.drainHeld();
    }
  }

  /** A request body part; ownership passes here. */
  void onContent(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (content.decoderResult().isFailure()) {
      content.release();
      if (responseStarted) {
        cancel();
        connection.close();
      } else {
        if (forward != null) {
          forward.cancel();
          forward = null;
        }
        rejectAndClose(400, "malformed request body");
      }
      return;
    }
    if (last) {
      requestComplete = true;
    }
    switch (phase) {
      case FORWARD -> {
        if (hasBody) {
          forward.requestContent(content);
        } else {
          content.release();
        }
        if (last) {
          connection.updateReading();
        }
      }
      case CONSUME -> {
        boolean fits = collector.add(content.content());
        content.release();
        if (!fits) {
          tooLarge();
        } else if (last) {
          runConsumeHandler(collector.toBytes());
        }
      }
      case DISCARD -> {
        discarded += content.content().readableBytes();
        content.release();
        if (last) {
          exchangeFinished();
        } else if (discarded > context.settings().maxDiscardedBodyBytes()) {
          closeAfterFlush();
        }
      }
      default -> content.release();
    }
  }

  private void runConsumeHandler(byte[] body) {
    phase = Phase.LOCAL;
    collector = null;
    connection.updateReading();
    OnLoop.await(ctx.executor(), () -> consume.handler().apply(body), this::onConsumed);
  }

  private void onConsumed(SimpleResponse response, Throwable error) {
    if (phase != Phase.LOCAL) {
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

  // ---- answers and endings

  private void respondLocal(SimpleResponse response) {
    FullHttpResponse full = LocalResponses.toNetty(response, ctx.alloc());
    if (expectContinue && !continueSent && !requestComplete) {
      keepAlive = false; // the client still holds its body back; closing is the clean way out
    }
    if (!h2 && !keepAlive) {
      full.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    status = response.status();
    phase = Phase.LOCAL;
    ctx.writeAndFlush(full, ctx.voidPromise());
    exchangeFinished();
  }

  private void rejectAndClose(int code, String reason) {
    status = code;
    phase = Phase.DONE;
    FullHttpResponse full = LocalResponses.toNetty(LocalResponses.error(code, reason), ctx.alloc());
    if (!h2) {
      full.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    connection.closing();
    ctx.writeAndFlush(full).addListener(ChannelFutureListener.CLOSE);
  }

  /** The response is fully written: drain the rest of the request body, end, or close. */
  private void exchangeFinished() {
    if (!requestComplete) {
      if (h2 || keepAlive) {
        // Read and drop a modest rest of the body so the client sees a clean end; close past the limit.
        phase = Phase.DISCARD;
        discarded = 0;
        connection.drainHeld();
        return;
      }
      closeAfterFlush();
      return;
    }
    if (log.isDebugEnabled()) {
      log.debug("{} {} {}{} -> {} {} ({} us)", request.protocol(), head.method(), request.host(), request.path(),
          status, app == null ? "local" : app, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - startNanos));
    }
    phase = Phase.DONE;
    if (h2) {
      connection.finished(this, false);
    } else if (keepAlive) {
      connection.finished(this, true);
    } else {
      closeAfterFlush();
    }
  }

  private void closeAfterFlush() {
    phase = Phase.DONE;
    connection.closing();
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

  // ---- upstream -> client (ClientSide)

  @Override
  public Channel channel() {
    return ctx.channel();
  }

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
    if (phase == Phase.FORWARD) {
      respondLocal(LocalResponses.error(code, reason));
    }
  }

  @Override
  public void aborted(String reason) {
    forward = null;
    log.debug("aborting response to {}: {}", ctx.channel().remoteAddress(), reason);
    phase = Phase.DONE;
    connection.close();
  }

  @Override
  public void completed() {
    forward = null;
    exchangeFinished();
  }

  @Override
  public void requestBodyFlow(boolean flowing) {
    bodyFlowing = flowing;
    connection.updateReading();
  }

  @Override
  public void upgraded(HttpResponse switching) {
    phase = Phase.UPGRADE;
    status = 101;
    upgradeClientBytes = new ArrayList<>(0);
    connection.updateReading();
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, switching.status(),
        Unpooled.EMPTY_BUFFER, switching.headers(), EmptyHttpHeaders.INSTANCE);
    ForwardExchange exchange = forward;
    forward = null;
    ctx.writeAndFlush(response).addListener(f -> {
      if (!f.isSuccess() || !ctx.channel().isActive()) {
        exchange.cancel();
        connection.close();
        return;
      }
      log.debug("{} {}{} upgraded to a WebSocket tunnel to {}", head.method(), request.host(), request.path(), app);
      // Removing the codec hands any bytes it still buffers to the connection, which passes them to takeRaw.
      ctx.pipeline().remove(ServerInitializer.IDLE);
      ctx.pipeline().remove(ServerInitializer.HTTP_CODEC);
      List<ByteBuf> early = upgradeClientBytes;
      upgradeClientBytes = null;
      phase = Phase.DONE;
      connection.upgradedAway();
      exchange.completeUpgrade(early, context.settings().tunnelIdleTimeout());
    });
  }
}
