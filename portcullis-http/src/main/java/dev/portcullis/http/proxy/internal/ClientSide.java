package dev.portcullis.http.proxy.internal;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/**
 * The client half of a forwarded exchange, as the upstream half sees it. Every call happens on the client
 * channel's event loop, which is also the upstream connection's loop.
 */
public interface ClientSide {

  /** The client channel: an HTTP/1.1 connection or one HTTP/2 stream. */
  Channel channel();

  /** The upstream response head with hop-by-hop fields already removed; the client side adds framing. */
  void responseHead(HttpResponse head);

  /** A response body part; a {@code LastHttpContent} ends the response. Written, not flushed. */
  void responseContent(HttpContent content);

  void flush();

  /** The exchange failed before any response byte reached the client: answer {@code status} locally. */
  void failed(int status, String reason);

  /** The exchange failed after the response head was sent: the client must see a truncated response. */
  void aborted(String reason);

  /** The response was fully written; the upstream connection is released. */
  void completed();

  /** Start or stop reading the client's request body (upstream back-pressure). */
  void requestBodyFlow(boolean flowing);

  /**
   * The upstream switched protocols ({@code 101}); the client side sends {@code switching} and then calls
   * {@link ForwardExchange#completeUpgrade}.
   */
  void upgraded(HttpResponse switching);
}
