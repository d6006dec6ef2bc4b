package dev.portcullis.http.server.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up each accepted connection: TLS with ALPN choosing HTTP/2 or HTTP/1.1, or plain HTTP/1.1. Both
 * protocols end in the same {@link ExchangeHandler}: once per HTTP/1.1 connection, once per HTTP/2 stream.
 */
public final class ServerInitializer extends ChannelInitializer<Channel> {

  static final String IDLE = "idle";
  static final String HTTP_CODEC = "http";

  private static final Logger log = LoggerFactory.getLogger(ServerInitializer.class);

  private final ServerContext context;
  private final SslContext sslContext;

  public ServerInitializer(ServerContext context, SslContext sslContext) {
    this.context = context;
    this.sslContext = sslContext;
  }

  @Override
  protected void initChannel(Channel ch) {
    if (sslContext == null) {
      configureHttp1(ch.pipeline());
      return;
    }
    ch.pipeline().addLast("tls", sslContext.newHandler(ch.alloc()));
    ch.pipeline().addLast("alpn", new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
      @Override
      protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
          configureHttp2(ctx.pipeline());
        } else {
          configureHttp1(ctx.pipeline());
        }
      }

      @Override
      protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
      }
    });
  }

  private void configureHttp1(ChannelPipeline pipeline) {
    var settings = context.settings();
    HttpDecoderConfig decoder = new HttpDecoderConfig()
        .setMaxInitialLineLength(settings.maxRequestLineBytes())
        .setMaxHeaderSize(settings.maxHeaderBytes())
        .setMaxChunkSize(64 * 1024)
        .setValidateHeaders(true)
        .setAllowDuplicateContentLengths(false)
        .setStrictLineParsing(true);
    Http1ServerCodec codec = new Http1ServerCodec(decoder);
    pipeline.addLast(IDLE, idleHandler());
    pipeline.addLast(HTTP_CODEC, codec);
    pipeline.addLast("exchange", new ExchangeHandler(context, false, codec.encoder()));
  }

  private void configureHttp2(ChannelPipeline pipeline) {
    var settings = context.settings();
    Http2FrameCodec frames = Http2FrameCodecBuilder.forServer()
        .initialSettings(Http2Settings.defaultSettings()
            .maxConcurrentStreams(settings.maxConcurrentStreams())
            .maxHeaderListSize(settings.maxHeaderBytes()))
        .validateHeaders(true)
        .build();
    pipeline.addLast(IDLE, idleHandler());
    pipeline.addLast("h2-idle", new ChannelInboundHandlerAdapter() {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
          if (frames.connection().numActiveStreams() == 0) {
            ctx.close(); // sends GOAWAY
          }
          return;
        }
        super.userEventTriggered(ctx, evt);
      }
    });
    pipeline.addLast("h2", frames);
    pipeline.addLast("h2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
      @Override
      protected void initChannel(Http2StreamChannel stream) {
        stream.pipeline().addLast(IDLE, idleHandler());
        stream.pipeline().addLast(HTTP_CODEC, new Http2StreamFrameToHttpObjectCodec(true, true));
        stream.pipeline().addLast("exchange", new ExchangeHandler(context, true, null));
      }
    }));
  }

  private ClientIdleHandler idleHandler() {
    return new ClientIdleHandler(context.settings().clientIdleTimeout().toNanos());
  }
}
