package dev.portcullis.http.server.internal;

import dev.portcullis.http.server.SimpleResponse;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
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
    full.headers().setInt("content-length", body.length);
    return full;
  }

  /** The server's own error answer: plain text, never cached, no detail beyond the short reason. */
  static SimpleResponse error(int status, String reason) {
    return SimpleResponse.text(status, reason + "\n");
  }

  static FullHttpResponse continueResponse() {
    return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER);
  }
}
