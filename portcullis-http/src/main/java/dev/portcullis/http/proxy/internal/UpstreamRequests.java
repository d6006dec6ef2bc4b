package dev.portcullis.http.proxy.internal;

import dev.portcullis.http.server.ClientRequest;
import dev.portcullis.http.server.GateResult;
import dev.portcullis.http.server.UpstreamTarget;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
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
    UpstreamTarget target = forward.target();
    String clientHost = in.get("host");
    out.set("host", target.options().preserveHost() && clientHost != null ? clientHost : target.hostHeader());

    String cookies = ProxyHeaders.filterCookies(in.getAll("cookie"), strippedCookies);
    if (cookies != null) {
      out.set("cookie", cookies);
    }

    String peer = request.remoteAddress().getAddress().getHostAddress();
    List<String> priorHops = trustedPeer ? in.getAll("x-forwarded-for") : List.of();
    out.set("x-forwarded-for", priorHops.isEmpty() ? peer : String.join(", ", priorHops) + ", " + peer);
    if (!out.contains("x-forwarded-proto")) {
      out.set("x-forwarded-proto", request.scheme());
    }
    if (!out.contains("x-forwarded-host") && clientHost != null) {
      out.set("x-forwarded-host", clientHost);
    }

    if (hasBody && chunked) {
      out.remove("content-length");
      out.set("transfer-encoding", "chunked");
    } else if (!hasBody && out.contains("content-length") && !"0".equals(out.get("content-length"))) {
      out.set("content-length", "0");
    }
    if (request.websocketUpgrade()) {
      out.set("connection", "upgrade");
      out.set("upgrade", "websocket");
    }
    ProxyHeaders.applyGateHeaders(out, forward.addHeaders());
    return new ForwardRequest(UpstreamKey.of(target), target.appName(), clientHead.method(),
        request.pathAndQuery(), out, hasBody, request.websocketUpgrade());
  }
}
