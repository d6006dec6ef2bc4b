package dev.portcullis.http.proxy.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays one request to its upstream and the response back, streaming both bodies with back-pressure: the
 * reading side pauses while the writing side's buffer is full. Runs entirely on the client's event loop.
 */
public final class ForwardExchange {

  private static final Logger log = LoggerFactory.getLogger(ForwardExchange.class);

  private final ForwardRequest request;
  private final ClientSide client;
  private final UpstreamPool pool;
  private final UpstreamConnector connector;
  private final ArrayDeque<HttpContent> pendingBody = new ArrayDeque<>(2);
  private final List<ByteBuf> upgradeBytes = new ArrayList<>(0);

  private Channel upstream;
  private UpstreamHandler handler;
  private boolean reused;
  private boolean retried;
  private boolean requestComplete;
  private boolean headReceived;
  private boolean keepAliveUpstream;
  private boolean skipInterimEnd;
  private boolean upgrading;
  private boolean finished;
  private boolean unflushed;

  private ForwardExchange(ForwardRequest request, ClientSide client, UpstreamPools pools) {
    this.request = request;
    this.client = client;
    this.pool = pools.forLoop(client.channel().eventLoop());
    this.connector = pools.connector();
  }

  /** An exchange that does nothing until {@link #start()}, so the caller can keep a reference first. */
  public static ForwardExchange create(ForwardRequest request, ClientSide client, UpstreamPools pools) {
    return new ForwardExchange(request, client, pools);
  }

  /** Starts forwarding on a pooled or new connection; body parts follow through {@link #requestContent}. */
  public void start() {
    Channel idle = request.websocket() ? null : pool.acquire(request.key());
    if (idle != null) {
      reused = true;
      connected(idle);
    } else {
      connect();
    }
  }

  private void connect() {
    connector.connect(pool.loop(), request.key(), pool).addListener(f -> {
      Channel ch = (Channel) f.getNow();
      if (finished) {
        if (ch != null) {
          ch.close();
        }
      } else if (f.isSuccess()) {
        connected(ch);
      } else {
        UpstreamException failure = f.cause() instanceof UpstreamException e
            ? e : new UpstreamException(502, "upstream connect failed", f.cause());
        log.debug("{} for {} ({}): {}", failure.getMessage(), request.appName(), request.key(),
            failure.getCause() == null ? "" : failure.getCause().toString());
        fail(failure.status(), failure.getMessage());
      }
    });
  }

  private void connected(Channel ch) {
    upstream = ch;
    handler = ch.pipeline().get(UpstreamHandler.class);
    handler.attach(this);
    ch.config().setAutoRead(true);
    // A failed write of the head reaches UpstreamHandler.exceptionCaught through the void promise, and so
    // upstreamFailed, without a promise and listener per request.
    if (!request.hasBody()) {
      requestComplete = true;
      ch.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(), request.uri(),
          Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE), ch.voidPromise());
      armResponseTimer();
      return;
    }
    ch.write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), request.uri(), request.headers()),
        ch.voidPromise());
    HttpContent part;
    while ((part = pendingBody.poll()) != null) {
      writeBody(part);
    }
    ch.flush();
    unflushed = false;
    if (!requestComplete) {
      client.requestBodyFlow(ch.isWritable());
    }
  }

  /** A request body part from the client; ownership passes to this exchange. */
  public void requestContent(HttpContent content) {
    if (finished || requestComplete) {
      content.release();
      return;
    }
    HttpContent part = content;
    if (content instanceof LastHttpContent last && !last.trailingHeaders().isEmpty()) {
      // Request trailers are not forwarded: they would bypass the header hygiene applied to the head.
      part = new DefaultLastHttpContent(last.content().retain());
      last.release();
    }
    if (upstream == null) {
      pendingBody.add(part);
      return;
    }
    writeBody(part);
    if (requestComplete) {
      upstream.flush();
      unflushed = false;
    } else if (!upstream.isWritable()) {
      client.requestBodyFlow(false);
    }
  }

  private void writeBody(HttpContent part) {
    boolean last = part instanceof LastHttpContent;
    upstream.write(part, upstream.voidPromise());
    unflushed = true;
    if (last) {
      requestComplete = true;
      armResponseTimer();
    }
  }

  /** The client's read batch ended: push what was written upstream. */
  public void clientReadComplete() {
    if (unflushed && upstream != null) {
      unflushed = false;
      upstream.flush();
    }
  }

  /** The client channel's writability changed: resume reading the upstream once it drains. */
  public void clientWritabilityChanged() {
    if (!finished && upstream != null && client.channel().isWritable()) {
      upstream.config().setAutoRead(true);
    }
  }

  /** The client went away: drop the upstream connection (its response can no longer be delivered). */
  public void cancel() {
    if (finished) {
      return;
    }
    finished = true;
    cleanUp();
    if (upstream != null) {
      upstream.close();
    }
  }

  void upstreamWritabilityChanged() {
    if (!finished && !requestComplete && upstream.isWritable()) {
      client.requestBodyFlow(true);
    }
  }

  void upstreamReadComplete() {
    if (!finished) {
      client.flush();
    }
  }

  void upstreamRead(Object msg) {
    if (finished) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (upgrading) {
      if (msg instanceof ByteBuf bytes) {
        upgradeBytes.add(bytes);
      } else {
        ReferenceCountUtil.release(msg);
      }
      return;
    }
    if (msg instanceof HttpResponse response && !responseHead(response)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpContent content) {
      responseContent(content);
    } else if (!(msg instanceof HttpResponse)) {
      ReferenceCountUtil.release(msg);
    }
  }

  /** Returns whether any content in the same message should still be relayed. */
  private boolean responseHead(HttpResponse response) {
    if (response.decoderResult().isFailure()) {
      log.debug("invalid upstream response from {}: {}", request.key(), response.decoderResult().cause().toString());
      fail(502, "invalid upstream response");
      return false;
    }
    int code = response.status().code();
    if (code == 101) {
      if (!request.websocket()) {
        fail(502, "unexpected protocol switch from upstream");
        return false;
      }
      beginUpgrade(response);
      return false;
    }
    if (code < 200) {
      skipInterimEnd = true; // interim responses (100, 103) are dropped; the final one follows
      return false;
    }
    cancelResponseTimer();
    headReceived = true;
    keepAliveUpstream = HttpUtil.isKeepAlive(response) && !request.websocket();
    ProxyHeaders.stripHopByHop(response.headers());
    client.responseHead(response);
    return true;
  }

  private void responseContent(HttpContent content) {
    if (skipInterimEnd && !headReceived) {
      if (content instanceof LastHttpContent) {
        skipInterimEnd = false;
      }
      content.release();
      return;
    }
    if (!headReceived || finished) {
      content.release();
      return;
    }
    if (content.decoderResult().isFailure()) {
      content.release();
      abort("invalid upstream response body");
      return;
    }
    if (content instanceof LastHttpContent last) {
      if (!last.trailingHeaders().isEmpty()) {
        ProxyHeaders.stripHopByHop(last.trailingHeaders());
      }
      client.responseContent(content);
      client.flush();
      responseComplete();
      return;
    }
    client.responseContent(content);
    if (!client.channel().isWritable()) {
      upstream.config().setAutoRead(false);
    }
  }

  private void responseComplete() {
    finished = true;
    cleanUp();
    handler.detach();
    if (keepAliveUpstream && requestComplete) {
      pool.release(request.key(), upstream);
    } else {
      upstream.close();
    }
    client.completed();
  }

  private void beginUpgrade(HttpResponse switching) {
    cancelResponseTimer();
    upgrading = true;
    upstream.config().setAutoRead(false);
    ProxyHeaders.stripHopByHop(switching.headers());
    switching.headers().set("connection", "upgrade").set("upgrade", "websocket");
    client.upgraded(switching);
  }

  /**
   * Called by the client side once it sent the {@code 101} and removed its HTTP handlers: turns both
   * connections into a raw byte tunnel.
   */
  public void completeUpgrade(List<ByteBuf> earlyClientBytes, Duration idleTimeout) {
    // Removing the codec hands any bytes it still buffers to our handler, which adds them to upgradeBytes.
    upstream.pipeline().remove("http");
    finished = true;
    upstream.pipeline().remove(handler);
    Tunnel.join(client.channel(), upstream, earlyClientBytes, upgradeBytes, idleTimeout);
  }

  void upstreamFailed(Throwable cause) {
    if (finished) {
      return;
    }
    if (!headReceived && !upgrading) {
      if (reused && !retried && request.retryable()) {
        // A pooled connection the upstream had already closed: send the request once more on a new one.
        retried = true;
        reused = false;
        cancelResponseTimer();
        handler.detach();
        upstream.close();
        upstream = null;
        requestComplete = false;
        connect();
        return;
      }
      log.debug("upstream {} failed before responding: {}", request.key(), cause == null ? "closed" : cause.toString());
      fail(502, "upstream connection failed");
    } else {
      log.debug("upstream {} failed mid-response: {}", request.key(), cause == null ? "closed" : cause.toString());
      abort("upstream connection lost");
    }
  }

  private void fail(int status, String reason) {
    finished = true;
    cleanUp();
    closeUpstream();
    client.failed(status, reason);
  }

  private void abort(String reason) {
    finished = true;
    cleanUp();
    closeUpstream();
    client.aborted(reason);
  }

  private void closeUpstream() {
    if (upstream != null) {
      if (handler != null) {
        handler.detach();
      }
      upstream.close();
    }
  }

  private void cleanUp() {
    cancelResponseTimer();
    HttpContent part;
    while ((part = pendingBody.poll()) != null) {
      part.release();
    }
    if (!upgrading) {
      upgradeBytes.forEach(ByteBuf::release);
      upgradeBytes.clear();
    }
  }

  private void armResponseTimer() {
    handler.awaitHead(request.key().options().responseTimeout().toNanos());
  }

  private void cancelResponseTimer() {
    if (handler != null) {
      handler.headArrived();
    }
  }

  /** The upstream sent no response head within the response timeout. */
  void responseTimedOut() {
    if (!finished && !headReceived) {
      log.debug("upstream {} sent no response head within {} ms", request.key(),
          request.key().options().responseTimeout().toMillis());
      fail(504, "upstream response timeout");
    }
  }
}
