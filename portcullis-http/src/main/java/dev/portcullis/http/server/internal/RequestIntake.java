package dev.portcullis.http.server.internal;

import dev.portcullis.http.server.ClientRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;

/**
 * A request head that passed every check, turned into the gate's view plus what the exchange needs to know
 * about its body and connection.
 *
 * @param hasBody body bytes follow the head
 * @param chunked the body's length is not declared (chunked HTTP/1.1 or HTTP/2 without Content-Length)
 * @param keepAlive the HTTP/1.1 connection may carry another request afterwards
 * @param expectContinue the client waits for {@code 100 Continue} before sending the body
 */
record RequestIntake(ClientRequest request, boolean trustedPeer, boolean hasBody, boolean chunked,
    boolean keepAlive, boolean expectContinue) {

  /** Checks {@code head} and builds the intake, or throws {@link RequestRejectedException}. */
  static RequestIntake accept(HttpRequest head, ServerContext context, InetSocketAddress remote, boolean h2) {
    if (head.decoderResult().isFailure()) {
      throw RequestChecks.fromDecoderFailure(head.decoderResult().cause());
    }
    if (h2) {
      RequestChecks.checkCommon(head);
    } else {
      RequestChecks.checkHttp1(head);
    }
    PathNormalizer.Target target = PathNormalizer.normalize(head.uri());
    boolean trustedPeer = context.isTrustedProxy(remote.getAddress());
    ClientRequest request = ClientRequests.build(head, target, context, remote, trustedPeer,
        h2 ? "HTTP/2" : head.protocolVersion().text());
    boolean hasBody;
    if (head instanceof FullHttpRequest) {
      hasBody = false; // HTTP/2 HEADERS with END_STREAM: nothing follows
    } else if (h2) {
      hasBody = !"0".equals(head.headers().get(HttpHeaderNames.CONTENT_LENGTH));
    } else {
      hasBody = HttpUtil.isTransferEncodingChunked(head) || HttpUtil.getContentLength(head, 0L) > 0;
    }
    boolean chunked = hasBody && !head.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
    boolean keepAlive = !h2 && head.protocolVersion().equals(HttpVersion.HTTP_1_1) && HttpUtil.isKeepAlive(head);
    boolean expectContinue = hasBody && HttpUtil.is100ContinueExpected(head);
    return new RequestIntake(request, trustedPeer, hasBody, chunked, keepAlive, expectContinue);
  }
}
