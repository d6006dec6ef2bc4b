package dev.portcullis.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A forwarded WebSocket upgrade becomes a raw tunnel after the upstream's 101. */
class WebSocketTest extends ProxyTestSupport {

  @Test
  void relaysAWebSocketSessionBothWays() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(upstream));
    LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();

    WebSocket socket = client().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create("ws://127.0.0.1:" + proxy.port() + "/ws/chat"), new Collector(received))
        .get(5, TimeUnit.SECONDS);
    for (String message : new String[] {"hello", "through", "the proxy"}) {
      socket.sendText(message, true).get(5, TimeUnit.SECONDS);
      assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(message.toUpperCase());
    }
    String large = "x".repeat(40_000);
    socket.sendText(large, true).get(5, TimeUnit.SECONDS);
    String echoed = received.poll(5, TimeUnit.SECONDS);
    assertThat(echoed).as("large message").isNotNull();
    assertThat(echoed.length()).isEqualTo(large.length());
    assertThat(echoed.equals(large.toUpperCase())).isTrue();
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);

    assertThat(seen).singleElement().satisfies(r -> assertThat(r.websocketUpgrade()).isTrue());
    assertThat(upstream.requests.getFirst().headers().get("upgrade")).isEqualToIgnoringCase("websocket");
    assertThat(upstream.requests.getFirst().headers().get("connection")).isEqualToIgnoringCase("upgrade");
  }

  @Test
  void aDeniedUpgradeNeverReachesTheUpstream() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(request -> CompletableFuture.completedFuture(
        new GateResult.Respond(SimpleResponse.text(403, "no"))));

    assertThatThrownBy(() -> client().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + proxy.port() + "/ws/chat"), new Collector(new LinkedBlockingQueue<>()))
        .get(5, TimeUnit.SECONDS)).rootCause().hasMessageContaining("403");
    assertThat(upstream.accepted.get()).isZero();
  }

  @Test
  void anUpgradeTheUpstreamDeclinesIsAnsweredNormally() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(upstream));

    String response = Raw.exchange(proxy.port(), "GET /status/404 HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
        + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
        + "GET /next HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

    assertThat(Raw.status(response)).isEqualTo(404);
    assertThat(response).contains("uri=/next");
  }

  private record Collector(LinkedBlockingQueue<String> received) implements WebSocket.Listener {
    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    private static final StringBuilder partial = new StringBuilder();
  }
}
