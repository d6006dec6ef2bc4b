package dev.portcullis.http.proxy.internal;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

/**
 * A request ready to send upstream: target, method, origin-form URI and cleaned headers that already carry
 * the body framing ({@code Content-Length} or {@code Transfer-Encoding: chunked}) when {@code hasBody}.
 */
public record ForwardRequest(
    UpstreamKey key, String appName, HttpMethod method, String uri, HttpHeaders headers, boolean hasBody,
    boolean websocket) {

  /**
   * Safe to send again on a fresh connection when a reused one turns out closed: no body was streamed and
   * the method is idempotent (RFC 9110 section 9.2.2).
   */
  public boolean retryable() {
    if (hasBody || websocket) {
      return false;
    }
    String name = method.name();
    return name.equals("GET") || name.equals("HEAD") || name.equals("OPTIONS") || name.equals("TRACE")
        || name.equals("PUT") || name.equals("DELETE");
  }
}
