package dev.portcullis.http.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP/1.1 upstream for tests. Routes: {@code /bytes/N} and {@code /chunked/N} stream N pattern bytes
 * (flow-controlled, counted in {@link #bytesSent}); {@code /stall} never reads nor answers; {@code /slow} reads
 * but never answers; {@code /ws} echoes WebSocket text frames upper-cased; {@code /status/N} answers N;
 * {@code /close-after} answers then closes without saying so; {@code /die} sends 10 of 1000 promised bytes and closes; anything else echoes the request (method, URI,
 * headers, body length and SHA-256) as {@code key=value} lines.
 */
final class TestUpstream implements AutoCloseable {

  final AtomicInteger accepted = new AtomicInteger();
  final AtomicInteger closed = new AtomicInteger();
  final AtomicLong bytesSent = new AtomicLong();
  final List<HttpRequest> requests = new CopyOnWriteArrayList<>();
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;

  private TestUpstream(SslContext tls) {
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            accepted.incrementAndGet();
            ch.closeFuture().addListener(f -> closed.incrementAndGet());
            if (tls != null) {
              ch.pipeline().addLast(tls.newHandler(ch.alloc()));
            }
            ch.pipeline().addLast("codec", new HttpServerCodec());
            ch.pipeline().addLast("app", new Routes());
          }
        }).bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
  }

  static TestUpstream start() {
    return new TestUpstream(null);
  }

  static TestUpstream startTls(SslContext tls) {
    return new TestUpstream(tls);
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  String origin() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  static byte patternByte(long index) {
    return (byte) ((index * 31 + 7) % 251);
  }

  /** Parses an echo body into a map; header lines become {@code header:name} keys (last value wins). */
  static Map<String, String> parseEcho(String body) {
    Map<String, String> echo = new java.util.LinkedHashMap<>();
    for (String line : body.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        echo.merge(line.substring(0, eq), line.substring(eq + 1), (a, b) -> a + "\u0000" + b);
      }
    }
    return echo;
  }

  private final class Routes extends ChannelInboundHandlerAdapter {
    private HttpRequest current;
    private MessageDigest digest;
    private long bodyLength;
    private long toSend;
    private long sent;
    private boolean streaming;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (msg instanceof HttpRequest request) {
        requests.add(request);
        current = request;
        digest = MessageDigest.getInstance("SHA-256");
        bodyLength = 0;
        String path = request.uri();
        if (path.startsWith("/ws")) {
          ctx.pipeline().addAfter("codec", "aggregate", new HttpObjectAggregator(65536));
          ctx.pipeline().addAfter("aggregate", "ws", new WebSocketServerProtocolHandler(path));
          ctx.pipeline().addAfter("ws", "frames", new WebSocketFrameAggregator(1 << 20));
          ctx.pipeline().addLast("echo", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object frame) {
              if (frame instanceof TextWebSocketFrame text) {
                String reply = text.text().toUpperCase(java.util.Locale.ROOT);
                text.release();
                c.writeAndFlush(new TextWebSocketFrame(reply));
              } else {
                ReferenceCountUtil.release(frame);
              }
            }
          });
          ctx.pipeline().remove(this);
          ctx.pipeline().context("codec").fireChannelRead(msg);
          return;
        }
        if (path.startsWith("/stall")) {
          ctx.channel().config().setAutoRead(false);
        }
      }
      if (!(msg instanceof HttpContent content)) {
        return;
      }
      if (current.uri().startsWith("/stall")) {
        content.release();
        return;
      }
      ByteBuf bytes = content.content();
      bodyLength += bytes.readableBytes();
      digest.update(bytes.nioBuffer());
      content.release();
      if (msg instanceof LastHttpContent) {
        respond(ctx);
      }
    }

    private void respond(ChannelHandlerContext ctx) {
      String uri = current.uri();
      if (uri.startsWith("/slow")) {
        return;
      }
      if (uri.startsWith("/bytes/") || uri.startsWith("/chunked/")) {
        toSend = Long.parseLong(uri.substring(uri.lastIndexOf('/') + 1));
        sent = 0;
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        if (uri.startsWith("/bytes/")) {
          HttpUtil.setContentLength(head, toSend);
        } else {
          HttpUtil.setTransferEncodingChunked(head, true);
        }
        ctx.write(head);
        streaming = true;
        pump(ctx);
        return;
      }
      if (uri.startsWith("/die")) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpUtil.setContentLength(head, 1000);
        ctx.write(head);
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[10])))
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
      int status = uri.startsWith("/status/") ? Integer.parseInt(uri.substring(8, 11)) : 200;
      StringBuilder echo = new StringBuilder()
          .append("method=").append(current.method()).append('\n')
          .append("uri=").append(uri).append('\n')
          .append("body-length=").append(bodyLength).append('\n')
          .append("body-sha256=").append(HexFormat.of().formatHex(digest.digest())).append('\n');
      current.headers().forEach(h -> echo.append("header:").append(h.getKey().toLowerCase(java.util.Locale.ROOT))
          .append('=').append(h.getValue()).append('\n'));
      byte[] body = echo.toString().getBytes(StandardCharsets.UTF_8);
      DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
      response.headers().set("content-type", "text/plain").setInt("content-length", body.length)
          .set("x-upstream", "yes").add("set-cookie", "a=1").add("set-cookie", "b=2")
          .set("keep-alive", "timeout=5").set("connection", "keep-alive, x-drop-me").set("x-drop-me", "1");
      if (uri.startsWith("/close-after")) {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      } else {
        ctx.writeAndFlush(response);
      }
    }

    private void pump(ChannelHandlerContext ctx) {
      while (streaming && ctx.channel().isWritable() && sent < toSend) {
        int size = (int) Math.min(64 * 1024, toSend - sent);
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
          bytes[i] = patternByte(sent + i);
        }
        ByteBuf chunk = Unpooled.wrappedBuffer(bytes);
        sent += size;
        ctx.writeAndFlush(new DefaultHttpContent(chunk)).addListener(f -> {
          if (f.isSuccess()) {
            bytesSent.addAndGet(size);
          }
        });
      }
      if (streaming && sent >= toSend) {
        streaming = false;
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (streaming && ctx.channel().isWritable()) {
        pump(ctx);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
