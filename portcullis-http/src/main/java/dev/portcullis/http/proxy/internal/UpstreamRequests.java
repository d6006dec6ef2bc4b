package dev.portcullis.http.proxy.internal;

import dev.portcullis.http.server.ClientRequest;
import dev.portcullis.http.server.GateResult;
import dev.portcullis.http.server.UpstreamTarget;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the upstream request head from the client's: drops hop-by-hop, internal and forwarding fields,
 * filters cookies, sets {@code Host} and {@code X-Forwarded-*}, then adds the gate's headers last so they
 * always win.
 */
public final class UpstreamRequests {

  private static final io.netty.handler.codec.http.HttpHeadersFactory UNVALIDATED =
      DefaultHttpHeadersFactory.headersFactory().withNameValidation(false).withValueValidation(false);

  private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");

  private static final FastThreadLocal<PreparedTarget> LAST_TARGET = new FastThreadLocal<>();

  private UpstreamRequests() {}

  /**
   * @param hasBody whether a body follows the head
   * @param chunked whether that body's length is unknown (otherwise the client's Content-Length is kept)
   * @param trustedPeer whether the TCP peer is a trusted proxy whose forwarding headers are believed
   */
  public static ForwardRequest build(HttpRequest clientHead, ClientRequest request, GateResult.Forward forward,
      Set<String> strippedCookies, boolean trustedPeer, boolean hasBody, boolean chunked) {
    HttpHeaders in = clientHead.headers();
    Set<String> connectionOptions = ProxyHeaders.connectionOptions(in);
    HttpHeaders out = UNVALIDATED.newHeaders();
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iteratorCharSequence(); it.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> header = it.next();
      if (!ProxyHeaders.dropFromClient(header.getKey(), connectionOptions, trustedPeer)) {
        out.add(header.getKey(), header.getValue());
      }
    }
    PreparedTarget target = prepare(forward.target());
    String clientHost = in.get(HttpHeaderNames.HOST);
    out.set(HttpHeaderNames.HOST, target.preserveHost() && clientHost != null ? clientHost : target.hostHeader());

    if (in.contains(HttpHeaderNames.COOKIE)) {
      String cookies = ProxyHeaders.filterCookies(in.getAll(HttpHeaderNames.COOKIE), strippedCookies);
      if (cookies != null) {
        out.set(HttpHeaderNames.COOKIE, cookies);
      }
    }

    String peer = request.remoteAddress().getAddress().getHostAddress();
    List<String> priorHops = trustedPeer ? in.getAll(X_FORWARDED_FOR) : List.of();
    out.set(X_FORWARDED_FOR, priorHops.isEmpty() ? peer : String.join(", ", priorHops) + ", " + peer);
    if (!out.contains(X_FORWARDED_PROTO)) {
      out.set(X_FORWARDED_PROTO, request.scheme());
    }
    if (!out.contains(X_FORWARDED_HOST) && clientHost != null) {
      out.set(X_FORWARDED_HOST, clientHost);
    }

    if (hasBody && chunked) {
      out.remove(HttpHeaderNames.CONTENT_LENGTH);
      out.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    } else if (!hasBody && out.contains(HttpHeaderNames.CONTENT_LENGTH)
        && !"0".equals(out.get(HttpHeaderNames.CONTENT_LENGTH))) {
      out.set(HttpHeaderNames.CONTENT_LENGTH, "0");
    }
    if (request.websocketUpgrade()) {
      out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
      out.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
    }
    ProxyHeaders.applyGateHeaders(out, forward.addHeaders());
    return new ForwardRequest(target.key(), target.appName(), clientHead.method(),
        request.pathAndQuery(), out, hasBody, request.websocketUpgrade());
  }

  /** What forwarding to a target needs from it, worked out once: its pool key and its Host header. */
  private record PreparedTarget(UpstreamTarget target, UpstreamKey key, String hostHeader, boolean preserveHost) {
    String appName() {
      return target.appName();
    }
  }

  /**
   * The prepared form of {@code target}, reused while a thread keeps forwarding to the same target instance
   * (gate results carry their app's one target), so the key and Host are not rebuilt per request.
   */
  private static PreparedTarget prepare(UpstreamTarget target) {
    PreparedTarget last = LAST_TARGET.get();
    if (last != null && last.target() == target) {
      return last;
    }
    PreparedTarget prepared = new PreparedTarget(target, UpstreamKey.of(target), target.hostHeader(),
        target.options().preserveHost());
    LAST_TARGET.set(prepared);
    return prepared;
  }
}
