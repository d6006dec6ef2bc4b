package dev.portcullis.http.server.internal;

import dev.portcullis.http.server.SimpleResponse;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;

/** Turns {@link SimpleResponse}s and the server's own short error texts into Netty responses. */
final class LocalResponses {

  private LocalResponses() {}

  static FullHttpResponse toNetty(SimpleResponse response, ByteBufAllocator alloc) {
    byte[] body = response.body();
    FullHttpResponse full = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(response.status()),
        body.length == 0 ? Unpooled.EMPTY_BUFFER : alloc.buffer(body.length).writeBytes(body));
    for (Map.Entry<String, String> header : response.headers()) {
      full.headers().add(header.getKey(), header.getValue());
    }
    full.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return full;
  }

  /** The server's own error answer: plain text, never cached, no detail beyond the short reason. */
  static SimpleResponse error(int status, String reason) {
    return SimpleResponse.text(status, reason + "\n");
  }

  /**
   * Frames a relayed response for an HTTP/1.x client: chunked when its length is unknown (close-delimited for
   * HTTP/1.0), {@code Connection: close} when the connection ends. Returns whether it stays open.
   */
  static boolean frameForHttp1(HttpResponse response, HttpRequest request, boolean keepAlive) {
    response.setProtocolVersion(HttpVersion.HTTP_1_1);
    int status = response.status().code();
    boolean bodiless = request.method().name().equals("HEAD") || status == 204 || status == 304;
    if (!bodiless && !response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
        response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      } else {
        keepAlive = false; // an HTTP/1.0 client learns the end of the body from the close
      }
    }
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return keepAlive;
  }

  static FullHttpResponse continueResponse() {
    return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER);
  }
}
