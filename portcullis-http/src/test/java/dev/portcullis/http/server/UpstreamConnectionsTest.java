package dev.portcullis.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstream connection reuse, idle cleanup and the failure answers: 502 on connect, 504 on silence. */
class UpstreamConnectionsTest extends ProxyTestSupport {

  @Test
  void reusesOneUpstreamConnectionAcrossManySequentialRequests() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(upstream));
    HttpClient client = client();

    for (int i = 0; i < 200; i++) {
      HttpResponse<String> response = client.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + proxy.port() + "/n/" + i)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
    }

    assertThat(upstream.requests).hasSize(200);
    assertThat(upstream.accepted.get()).isEqualTo(1);
  }

  @Test
  void sharesPooledConnectionsBetweenClientConnections() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(upstream), b -> b.ioThreads(1));

    for (int i = 0; i < 20; i++) {
      assertThat(Raw.status(Raw.exchange(proxy.port(), "GET /c HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")))
          .isEqualTo(200);
    }

    assertThat(upstream.accepted.get()).isEqualTo(1);
  }

  @Test
  void closesPooledConnectionsIdleLongerThanTheIdleTimeout() throws Exception {
    TestUpstream upstream = upstream();
    UpstreamTarget target = UpstreamTarget.of("echo", upstream.origin());
    ProxyServer proxy = proxy(forwardTo(target.withOptions(target.options().withIdleTimeout(Duration.ofMillis(200)))));

    assertThat(get(proxy, "/first").statusCode()).isEqualTo(200);
    long deadline = System.nanoTime() + 3_000_000_000L;
    while (upstream.closed.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(upstream.closed.get()).as("the proxy closed its idle upstream connection").isEqualTo(1);
    assertThat(get(proxy, "/second").statusCode()).isEqualTo(200);
    assertThat(upstream.accepted.get()).isEqualTo(2);
  }

  @Test
  void survivesAnUpstreamThatClosesKeepAliveConnectionsSilently() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(upstream), b -> b.ioThreads(1));
    HttpClient client = client();

    for (int i = 0; i < 20; i++) {
      HttpResponse<String> response = client.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + proxy.port() + "/close-after/" + i)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void resolvesUpstreamHostNamesOffTheEventLoop() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(UpstreamTarget.of("named", "http://localhost:" + upstream.port())));

    HttpResponse<String> response = get(proxy, "/named");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(TestUpstream.parseEcho(response.body())).containsEntry("header:host", "localhost:" + upstream.port());
  }

  @Test
  void answers502WhenTheUpstreamRefusesConnections() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    ProxyServer proxy = proxy(forwardTo(UpstreamTarget.of("gone", "http://127.0.0.1:" + closedPort)));

    HttpResponse<String> response = get(proxy, "/x");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).isEqualTo("upstream connect failed\n");
  }

  @Test
  void answers502WhenTheUpstreamConnectTimesOut() throws Exception {
    // A listener whose accept queue is full silently drops new SYNs, so connecting hangs until the timeout.
    try (ServerSocket backlogged = new ServerSocket()) {
      backlogged.bind(new InetSocketAddress("127.0.0.1", 0), 1);
      List<Socket> fillers = new ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          Socket filler = new Socket();
          try {
            filler.connect(backlogged.getLocalSocketAddress(), 200);
            fillers.add(filler);
          } catch (IOException e) {
            filler.close();
            break;
          }
        }
        UpstreamTarget target = UpstreamTarget.of("slow", "http://127.0.0.1:" + backlogged.getLocalPort());
        ProxyServer proxy = proxy(forwardTo(target.withOptions(
            target.options().withConnectTimeout(Duration.ofMillis(300)))));

        long start = System.nanoTime();
        HttpResponse<String> response = get(proxy, "/x");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).isEqualTo("upstream connect timed out\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
      } finally {
        for (Socket filler : fillers) {
          filler.close();
        }
      }
    }
  }

  @Test
  void answers504WhenNoResponseHeadArrivesInTime() throws Exception {
    TestUpstream upstream = upstream();
    UpstreamTarget target = UpstreamTarget.of("slow", upstream.origin());
    ProxyServer proxy = proxy(forwardTo(target.withOptions(target.options().withResponseTimeout(Duration.ofMillis(300)))));

    long start = System.nanoTime();
    HttpResponse<String> response = get(proxy, "/slow");

    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(response.body()).isEqualTo("upstream response timeout\n");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
    // The timed-out connection is not reused: the next request opens a fresh one.
    assertThat(get(proxy, "/after").statusCode()).isEqualTo(200);
    assertThat(upstream.accepted.get()).isEqualTo(2);
  }

  @Test
  void closesClientConnectionsThatNeverSendACompleteRequestHead() throws Exception {
    ProxyServer proxy = proxy(request -> { throw new AssertionError("no request expected"); },
        b -> b.requestHeaderTimeout(Duration.ofMillis(300)));

    try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\nX-Slow: ".getBytes());
      long start = System.nanoTime();
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }
}
